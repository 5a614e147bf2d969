/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What the shared core (parse.c, state.c) needs from its host.  The core is
 * compiled into the module and into the user tools and tests, so it uses only
 * fixed-width types and a few helpers that both worlds provide.
 */

#ifndef _TT_SHARED_H
#define _TT_SHARED_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#endif /* __KERNEL__ */

#include "uapi/linux/tcptrace.h"

/* Sequence number comparisons modulo 2^32, as RFC 793 section 3.3 asks. */
static inline bool tt_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool tt_after(u32 a, u32 b)
{
	return tt_before(b, a);
}

#endif /* _TT_SHARED_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What the shared core (parse.c, state.c, key.c) needs from its host.  The core is
 * compiled into the module and into the user tools and tests, so it uses only
 * fixed-width types and a few helpers that both worlds provide.
 */

#ifndef _TT_SHARED_H
#define _TT_SHARED_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/netfilter.h>	/* union nf_inet_addr */
#else
#include <assert.h>		/* static_assert, as <linux/build_bug.h> has it */
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;

#ifndef BIT
#define BIT(n)		(1UL << (n))
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

/* As <linux/netfilter.h> has it, which does not mix with <netinet/in.h>. */
union nf_inet_addr {
	__u32 all[4];
	__be32 ip;
	__be32 ip6[4];
	struct in_addr in;
	struct in6_addr in6;
};
#endif /* __KERNEL__ */

#include "uapi/linux/tcptrace.h"
#include "defaults.h"

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

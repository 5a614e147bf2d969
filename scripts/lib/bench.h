/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What the benchmark programs (bench-crr.c, bench-syn.c) share.
 */

#ifndef _TT_BENCH_H
#define _TT_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The guest's monotonic clock, in ns: under -icount, instructions. */
static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif /* _TT_BENCH_H */

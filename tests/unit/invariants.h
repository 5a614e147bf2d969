/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What must hold for a flow after every call into state.c, whatever the
 * segments were.  Shared by the unit tests (after every segment they feed)
 * and the fuzzer; needs no test framework.
 */

#ifndef _TT_TEST_INVARIANTS_H
#define _TT_TEST_INVARIANTS_H

#include "state.h"

/* What the previous call left, to check that counters only grow. */
struct tt_inv {
	u64 packets[2];
	u64 bytes[2];
	bool ended;
};

void tt_inv_init(struct tt_inv *p);

/*
 * tt_inv_check() - check a flow after tt_conn_segment() or tt_conn_expire()
 * @p: what the previous call left; updated
 * @c: the flow
 * @v: the verdict of this call
 * @now: the time passed to the call
 *
 * Return: NULL if every invariant holds, else what broke (a static buffer).
 */
const char *tt_inv_check(struct tt_inv *p, const struct tt_conn *c,
			 const struct tt_verdict *v, u64 now);

#endif /* _TT_TEST_INVARIANTS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Invariants of a flow, checked after every call into state.c.
 */

#include <stdio.h>

#include "invariants.h"

void tt_inv_init(struct tt_inv *p)
{
	memset(p, 0, sizeof(*p));
}

static char msg[256];

#define BROKEN(...) do {					\
	snprintf(msg, sizeof(msg), __VA_ARGS__);		\
	return msg;						\
} while (0)

static bool same_note(const struct tt_note *a, const struct tt_note *b)
{
	return a->time == b->time && a->seq == b->seq && a->ack == b->ack &&
	       a->len == b->len && a->anomalies == b->anomalies &&
	       a->endpoint == b->endpoint && a->from == b->from &&
	       a->to == b->to && a->why == b->why && a->sender == b->sender &&
	       a->tcp_flags == b->tcp_flags;
}

static const char *check_note(const struct tt_conn *c,
			      const struct tt_note *n, u64 now)
{
	unsigned int next = tt_why_next(n->why);

	if (n->endpoint != TT_WHO_CLIENT && n->endpoint != TT_WHO_SERVER)
		BROKEN("note endpoint %u", n->endpoint);
	if (n->from >= __TT_STATE_MAX || n->to >= __TT_STATE_MAX)
		BROKEN("note state %u -> %u out of range", n->from, n->to);
	if (n->why == TT_WHY_NONE || n->why >= __TT_WHY_MAX)
		BROKEN("note why %u", n->why);
	/* Each reason always leads to the same state; a remark to none. */
	if (next == TT_STATE_SAME ? n->to != n->from : n->to != next)
		BROKEN("note %s: %s -> %s, but %s leads to %s",
		       tt_why_name(n->why), tt_state_name(n->from),
		       tt_state_name(n->to), tt_why_name(n->why),
		       next == TT_STATE_SAME ? "no change" :
		       tt_state_name(next));
	if (n->sender > TT_WHO_SERVER)
		BROKEN("note sender %u", n->sender);
	if ((n->sender == TT_WHO_NONE) != (n->why == TT_WHY_TIME_WAIT_DONE))
		BROKEN("note %s with sender %s", tt_why_name(n->why),
		       tt_who_name(n->sender));
	if (n->anomalies & ~c->anomalies)
		BROKEN("note anomalies %#x not in the flow's %#x",
		       n->anomalies, c->anomalies);
	if (n->time != now)
		BROKEN("note time %llu, call at %llu",
		       (unsigned long long)n->time, (unsigned long long)now);
	return NULL;
}

const char *tt_inv_check(struct tt_inv *p, const struct tt_conn *c,
			 const struct tt_verdict *v, u64 now)
{
	const char *err;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (c->peer[i].state >= __TT_STATE_MAX)
			BROKEN("peer %u state %u", i, c->peer[i].state);
		if (c->peer[i].packets < p->packets[i] ||
		    c->peer[i].bytes < p->bytes[i])
			BROKEN("peer %u counters went down", i);
		p->packets[i] = c->peer[i].packets;
		p->bytes[i] = c->peer[i].bytes;
	}
	if (c->outcome >= __TT_OUTCOME_MAX)
		BROKEN("outcome %u", c->outcome);
	if (c->opener > TT_WHO_BOTH || c->closer > TT_WHO_BOTH)
		BROKEN("opener %u closer %u", c->opener, c->closer);
	if (c->anomalies >> __TT_ANOM_MAX)
		BROKEN("anomalies %#x", c->anomalies);
	if (c->hist_len > c->hist_depth)
		BROKEN("hist_len %u > depth %u", c->hist_len, c->hist_depth);
	if (c->hist_depth && c->hist_head >= c->hist_depth)
		BROKEN("hist_head %u, depth %u", c->hist_head, c->hist_depth);
	if (!c->hist_depth != !c->hist)
		BROKEN("depth %u with history %p", c->hist_depth, c->hist);
	if (!c->hist_depth && (c->hist_len || c->hist_head))
		BROKEN("depth 0 with hist_len %u", c->hist_len);
	if (v->nnotes > TT_NOTES_PER_SEG)
		BROKEN("%u notes in one verdict", v->nnotes);
	for (i = 0; i < v->nnotes; i++) {
		err = check_note(c, &v->notes[i], now);
		if (err)
			return err;
	}
	/* The history ends with this call's notes, when it can hold them. */
	if (v->nnotes < TT_NOTES_PER_SEG && v->nnotes <= c->hist_len)
		for (i = 0; i < v->nnotes; i++) {
			const struct tt_note *h;

			h = tt_conn_note(c, c->hist_len - v->nnotes + i);
			if (!h || !same_note(h, &v->notes[i]))
				BROKEN("history entry %u is not verdict note %u",
				       c->hist_len - v->nnotes + i, i);
		}
	if (tt_conn_note(c, c->hist_len))
		BROKEN("a note past hist_len");
	if (tt_conn_ended(c) &&
	    (c->peer[0].state != TT_STATE_CLOSED ||
	     c->peer[1].state != TT_STATE_CLOSED))
		BROKEN("ended, but %s/%s", tt_state_name(c->peer[0].state),
		       tt_state_name(c->peer[1].state));
	if (tt_conn_ended(c) && c->outcome == TT_OUTCOME_OPEN)
		BROKEN("ended without an outcome");
	/* v->ended from a segment means both CLOSED; from expire() it may
	 * also mean "remove it" (checked by the caller).
	 */
	if (tt_conn_ended(c) != p->ended && !v->ended)
		BROKEN("ended flag changed without verdict");
	p->ended = tt_conn_ended(c);
	if ((c->flags & TT_FLOW_F_ENDED) && !(c->flags & TT_CONN_STARTED))
		BROKEN("ended but never started");
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder`: each side's notes on one time line, and on the wire segments
 * they were made for.  A flow's notes count their time from its first
 * segment, and the capture dates that segment; its sender's notes go where
 * the segment left, its receiver's where it arrived.  Without a capture
 * the two sides' clocks are lined up on the first segment both noted.
 */

#include <stdlib.h>
#include <string.h>

#include "merge.h"

/* Are @a and @b notes of one segment: sender, flags, seq, ack, len? */
bool same_seg(const struct note *a, const struct note *b)
{
	return a->sender == b->sender && a->tcp_flags == b->tcp_flags &&
	       a->seq == b->seq && a->ack == b->ack && a->len == b->len;
}

/* Where side @s saw segment @w: left it, or arrived; NO_TIME if not. */
static int64_t seen_at(const struct wseg *w, int s)
{
	bool sent = (w->n.sender == TT_WHO_SERVER) == s;

	return sent ? w->t_in : w->t_out;
}

/*
 * When the flow of @file numbered @flowno began, on the wire's clock: at the
 * first segment its side @s sent or got after @after.  NO_TIME if the wire
 * shows none.
 */
static int64_t flow_start(const struct pair *p, int s, int64_t after)
{
	int64_t best = NO_TIME, t;
	unsigned int i;

	for (i = 0; i < p->nseg; i++) {
		t = seen_at(&p->seg[i], s);
		if (t != NO_TIME && t > after && (best == NO_TIME || t < best))
			best = t;
	}
	return best;
}

/* Does copy @seg already carry a note like @a (same side and reason)? */
static bool taken(const struct anote *all, unsigned int n, int seg,
		  const struct anote *a, bool send)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (all[i].seg == seg && all[i].at_send == send &&
		    all[i].side == a->side && all[i].n.why == a->n.why)
			return true;
	return false;
}

/*
 * The wire segment of note @a: the nearest copy in time that has no note
 * of the same reason yet (each resend of a SYN has its own), or -1.
 * @all holds the notes placed so far, @n of them.
 */
static int attach(const struct pair *p, struct anote *a,
		  const struct anote *all, unsigned int n)
{
	int64_t best = 0, d, t;
	int i, found = -1;
	bool send = false;

	for (i = 0; i < (int)p->nseg; i++) {
		const struct wseg *w = &p->seg[i];
		bool mine = (w->n.sender == TT_WHO_SERVER) == a->side;

		if (!same_seg(&w->n, &a->n))
			continue;
		t = mine ? w->t_in : w->t_out;
		if (t == NO_TIME || taken(all, n, i, a, mine))
			continue;
		d = t > a->t ? t - a->t : a->t - t;
		if (d <= ATTACH_NS && (found < 0 || d < best)) {
			best = d;
			found = i;
			send = mine;
		}
	}
	a->at_send = send;
	return found;
}

static int by_note_time(const void *x, const void *y)
{
	const struct anote *a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Side @s's note @r of flow @k, from the file its states come from? */
static bool side_note(const struct pair *p, const struct rev *r, int s,
		      unsigned int k)
{
	return (r->ev.type == EV_TRANSITION || r->ev.type == EV_ANOMALY) &&
	       (int)r->file == p->auth[s] && r->flowno == k &&
	       r->ev.note.endpoint == TT_WHO_CLIENT + s &&
	       r->ev.note.sender != TT_WHO_NONE;
}

/*
 * Without a capture: shift the right side's flow @k so that the first
 * segment both sides noted (the left's earliest that the right noted too)
 * comes at the same time on both.
 */
static void line_up(const struct pair *p, unsigned int k,
		    int64_t start[2][64])
{
	unsigned int i, j;

	for (i = 0; i < p->nev; i++) {
		const struct rev *a = &p->ev[i];

		if (!side_note(p, a, 0, k))
			continue;
		for (j = 0; j < p->nev; j++) {
			const struct rev *b = &p->ev[j];

			if (!side_note(p, b, 1, k) ||
			    !same_seg(&a->ev.note, &b->ev.note))
				continue;
			start[1][k] = start[0][k] +
				      ((int64_t)a->ev.note.time_ms -
				       (int64_t)b->ev.note.time_ms) * NS_PER_MS;
			return;
		}
	}
}

/*
 * The notes of each side, from the file where it is local, placed in time:
 * [@out, @nout), empty at first.  Each flow of a file counts from its
 * first segment.
 */
int place_notes(const struct pair *p, bool wire, struct anote **out,
		       unsigned int *nout)
{
	int64_t start[2][64], end[2][64];
	size_t cap = 0;
	unsigned int i, k, s, nflows[2] = { 0, 0 };

	for (s = 0; s < 2; s++)
		for (k = 0; k < 64; k++)
			start[s][k] = end[s][k] = NO_TIME;
	/* Each side's flows, and where they end (their last note). */
	for (i = 0; i < p->nev; i++) {
		const struct rev *r = &p->ev[i];

		for (s = 0; s < 2; s++) {
			if ((int)r->file != p->auth[s] || r->flowno >= 64)
				continue;
			if (r->flowno + 1 > nflows[s])
				nflows[s] = r->flowno + 1;
		}
	}
	for (s = 0; s < 2; s++) {
		int64_t after = INT64_MIN + 1;

		for (k = 0; k < nflows[s]; k++) {
			uint64_t last = 0;

			for (i = 0; i < p->nev; i++) {
				const struct rev *r = &p->ev[i];

				if ((int)r->file == p->auth[s] &&
				    r->flowno == k &&
				    (r->ev.type == EV_TRANSITION ||
				     r->ev.type == EV_ANOMALY) &&
				    r->ev.note.time_ms > last)
					last = r->ev.note.time_ms;
			}
			if (wire) {
				start[s][k] = flow_start(p, s, after);
				if (start[s][k] == NO_TIME)
					start[s][k] = after == INT64_MIN + 1 ?
						      0 : after;
			} else {
				start[s][k] = after == INT64_MIN + 1 ? 0 :
					      after;
			}
			end[s][k] = start[s][k] + (int64_t)last * NS_PER_MS;
			after = end[s][k] + 1;
		}
	}
	/* Without a capture, the clocks of the two sides' flows are lined up
	 * on the first segment both noted (a flow may begin later on one
	 * side: the SYNs before the first that arrived are not the server's).
	 */
	if (!wire)
		for (k = 0; k < 64; k++)
			if (start[0][k] != NO_TIME && start[1][k] != NO_TIME)
				line_up(p, k, start);
	for (i = 0; i < p->nev; i++) {
		const struct rev *r = &p->ev[i];
		struct anote *a;

		if (r->ev.type != EV_TRANSITION && r->ev.type != EV_ANOMALY)
			continue;
		s = r->ev.note.endpoint == TT_WHO_SERVER;
		if (r->ev.note.endpoint != TT_WHO_CLIENT + s ||
		    (int)r->file != p->auth[s] || r->flowno >= 64)
			continue;
		a = ARRAY_PUSH(*out, *nout, cap);
		if (!a)
			return -ENOMEM;
		a->n = r->ev.note;
		a->side = s;
		a->t = start[s][r->flowno] +
		       (int64_t)r->ev.note.time_ms * NS_PER_MS;
		a->seg = -1;
		a->at_send = false;
		a->line = i;
	}
	/* In time order, so that the first note takes the first copy. */
	qsort(*out, *nout, sizeof(**out), by_note_time);
	for (i = 0; wire && i < *nout; i++)
		if ((*out)[i].n.sender != TT_WHO_NONE)
			(*out)[i].seg = attach(p, &(*out)[i], *out, i);
	return 0;
}


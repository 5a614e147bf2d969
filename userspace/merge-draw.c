// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder`: one connection's rows, in time order: each wire segment where it
 * leaves and where it arrives (one row when nothing happened in between),
 * and each note that belongs to no wire segment; without a capture, the
 * notes alone, a segment both sides noted as one row.  ladder.c draws them.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "merge.h"
#include "print.h"

enum item_kind { IT_SEND, IT_ARRIVE, IT_NOTE };

/**
 * struct item - something that happened at one time: a segment leaving or
 * arriving, or a note that belongs to no segment on the wire
 */
struct item {
	int64_t t;
	enum item_kind kind;
	unsigned int idx;
	unsigned int order;
};

static int by_time(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Does side @s have a note of @n's segment at or after @from? */
static bool matched_ahead(const struct anote *a, const unsigned int *idx,
			  unsigned int from, unsigned int n,
			  const struct note *seg)
{
	for (; from < n; from++)
		if (same_seg(&a[idx[from]].n, seg))
			return true;
	return false;
}

/*
 * Without a capture, the notes are all there is: each side's in their own
 * order, merged by time.  A segment both sides noted becomes one row, and
 * at the same millisecond the note the other side has no match for comes
 * first (a SYN-ACK before the ACK both noted).  Appends them to @it, @nit
 * items in room for @cap, in that order.
 */
static int merge_notes(const struct anote *a, unsigned int na,
		       struct item **it, unsigned int *nit, size_t *cap)
{
	unsigned int *idx[2], n[2] = { 0, 0 }, i = 0, j = 0, k, s;
	struct item *x;
	int err = 0;

	idx[0] = calloc(na + 1, sizeof(*idx[0]));
	idx[1] = calloc(na + 1, sizeof(*idx[1]));
	if (!idx[0] || !idx[1]) {
		err = -ENOMEM;
		goto out;
	}
	for (k = 0; k < na; k++)
		idx[a[k].side][n[a[k].side]++] = k;
	while (i < n[0] || j < n[1]) {
		const struct anote *l = i < n[0] ? &a[idx[0][i]] : NULL;
		const struct anote *r = j < n[1] ? &a[idx[1][j]] : NULL;

		if (!r)
			s = 0;
		else if (!l)
			s = 1;
		else if (same_seg(&l->n, &r->n) && l->n.sender != TT_WHO_NONE)
			s = 0;	/* the right one follows, gathered with it */
		else if (l->t != r->t)
			s = r->t < l->t;
		else
			s = !matched_ahead(a, idx[0], i, n[0], &r->n);
		x = ARRAY_PUSH(*it, *nit, *cap);
		if (!x) {
			err = -ENOMEM;
			goto out;
		}
		k = s ? idx[1][j++] : idx[0][i++];
		*x = (struct item){ a[k].t, IT_NOTE, k, *nit };
	}
out:
	free(idx[0]);
	free(idx[1]);
	return err;
}

/* Notes of segment @seg made where it left (@send) or arrived, in order. */
static unsigned int seg_notes(const struct anote *a, unsigned int na, int seg,
			      bool send, struct note *out, unsigned int max,
			      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < na && n < max; i++)
		if (a[i].seg == seg && a[i].at_send == send)
			out[n++] = a[i].n;
	return n;
}

/* The connection's number in the picture (--svg). */
static uint64_t pair_id(const struct merge *m, const struct pair *p)
{
	return p - m->pairs + 1;
}

static void end_lines(const struct merge *m, const struct pair *p)
{
	unsigned int s, i;
	const char *name;
	char line[PATH_MAX + 128];

	for (s = 0; s < 2; s++) {
		const struct flow *f = NULL;

		if (p->auth[s] < 0 || (s == 1 && p->auth[1] == p->auth[0]))
			continue;
		for (i = 0; i < p->nev; i++)
			if ((int)p->ev[i].file == p->auth[s])
				f = &p->ev[i].ev.flow;
		if (!f)
			continue;
		name = strrchr(m->files[p->auth[s]], '/');
		name = name ? name + 1 : m->files[p->auth[s]];
		if (f->flags & TT_FLOW_F_ENDED)
			snprintf(line, sizeof(line), "%s: the flow ended: %s",
				 name, tt_outcome_name(f->outcome));
		else
			snprintf(line, sizeof(line),
				 "%s: client %s, server %s, outcome %s", name,
				 tt_state_name(f->state[0]),
				 tt_state_name(f->state[1]),
				 tt_outcome_name(f->outcome));
		ladder_foot(m->svg, pair_id(m, p), line);
	}
}

/*
 * Sequence numbers are drawn relative to the ISNs of the flow they belong
 * to: each SYN seen sets its sender's (a 4-tuple may be used again, by a
 * new connection or by an old duplicate SYN).
 */
static void follow_isn(struct flow *f, const struct note *seg)
{
	unsigned int s = seg->sender == TT_WHO_SERVER;

	if (seg->sender == TT_WHO_NONE || !(seg->tcp_flags & TT_TCP_SYN) ||
	    (seg->tcp_flags & TT_TCP_RST))
		return;
	f->isn[s] = seg->seq;
	f->has_isn[s] = true;
}

int draw_pair(const struct merge *m, struct pair *p)
{
	struct flow cur = p->ev[0].ev.flow;
	struct anote *a = NULL;
	struct item *it = NULL;
	struct note notes[2 * LADDER_NOTES + 8];
	unsigned int na = 0, nit = 0, i, nn;
	size_t cap = 0;
	char label[2][128];
	const char *from[2];
	uint8_t first[2];
	int64_t t0 = NO_TIME;
	bool done_first[2] = { false, false };
	int err, s;

	err = place_notes(p, m->wire, &a, &na);
	if (err)
		goto out;
	for (i = 0; i < p->nseg; i++) {
		struct item *x;

		if (p->seg[i].t_in != NO_TIME) {
			x = ARRAY_PUSH(it, nit, cap);
			if (!x)
				goto nomem;
			*x = (struct item){ p->seg[i].t_in, IT_SEND, i,
					    p->seg[i].in_order };
		}
		if (p->seg[i].t_out != NO_TIME) {
			x = ARRAY_PUSH(it, nit, cap);
			if (!x)
				goto nomem;
			*x = (struct item){ p->seg[i].t_out, IT_ARRIVE, i,
					    p->seg[i].in_order };
		}
	}
	if (m->wire) {
		for (i = 0; i < na; i++) {
			struct item *x;

			if (a[i].seg >= 0)
				continue;
			x = ARRAY_PUSH(it, nit, cap);
			if (!x)
				goto nomem;
			*x = (struct item){ a[i].t, IT_NOTE, i, 0 };
		}
		qsort(it, nit, sizeof(*it), by_time);
	} else {
		err = merge_notes(a, na, &it, &nit, &cap);
		if (err)
			goto out;
	}
	if (!nit)
		goto out;
	t0 = it[0].t;

	/* The states before the first row: each side's first note's. */
	for (s = 0; s < 2; s++)
		first[s] = p->ev[0].ev.flow.state[s];
	for (i = 0; i < nit; i++) {
		const struct anote *x;
		unsigned int k;

		for (k = 0; k < na; k++) {
			x = &a[k];
			if (done_first[x->side])
				continue;
			if ((it[i].kind == IT_NOTE && it[i].idx == k) ||
			    (it[i].kind != IT_NOTE && x->seg == (int)it[i].idx &&
			     x->at_send == (it[i].kind == IT_SEND))) {
				first[x->side] = x->n.from;
				done_first[x->side] = true;
			}
		}
	}
	for (s = 0; s < 2; s++) {
		const char *name = p->auth[s] < 0 ? NULL : m->files[p->auth[s]];

		from[s] = NULL;
		if (!name)
			continue;
		if (strrchr(name, '/'))
			name = strrchr(name, '/') + 1;
		snprintf(label[s], sizeof(label[s]), "%s%s", name,
			 p->guess[s] ? ", guessed" : "");
		from[s] = label[s];
	}
	ladder_pair_header(m->svg, pair_id(m, p), &p->f, from, first);

	for (i = 0; i < nit; i++) {
		struct ladder_row r = { .ms = (it[i].t - t0) / 1e6 };
		const struct wseg *w;

		if (it[i].kind == IT_NOTE) {
			const struct anote *x = &a[it[i].idx];

			/* Notes of one segment without a wire: one arrow. */
			nn = 0;
			notes[nn++] = x->n;
			while (i + 1 < nit && it[i + 1].kind == IT_NOTE &&
			       nn < ARRAY_SIZE(notes) &&
			       x->n.sender != TT_WHO_NONE &&
			       same_seg(&a[it[i + 1].idx].n, &x->n) &&
			       it[i + 1].t - it[i].t <= 1000 * NS_PER_MS)
				notes[nn++] = a[it[++i].idx].n;
			r.seg = x->n.sender == TT_WHO_NONE ? NULL : &notes[0];
			r.how = LADDER_WHOLE;
			ladder_row_notes(&r, notes, nn);
			if (r.seg)
				follow_isn(&cur, r.seg);
			ladder_pair_row(m->svg, pair_id(m, p), &cur, &r);
			continue;
		}
		w = &p->seg[it[i].idx];
		nn = 0;
		if (it[i].kind == IT_SEND) {
			nn = seg_notes(a, na, it[i].idx, true, notes,
				       ARRAY_SIZE(notes), nn);
			if (w->t_out == NO_TIME) {
				r.how = LADDER_LOST;
			} else if (i + 1 < nit && it[i + 1].kind == IT_ARRIVE &&
				   it[i + 1].idx == it[i].idx) {
				r.how = LADDER_WHOLE;
				nn = seg_notes(a, na, it[i].idx, false, notes,
					       ARRAY_SIZE(notes), nn);
				i++;
			} else {
				r.how = LADDER_LEAVES;
			}
		} else {
			nn = seg_notes(a, na, it[i].idx, false, notes,
				       ARRAY_SIZE(notes), nn);
			r.how = w->t_in == NO_TIME ? LADDER_FROM_NETWORK :
						     LADDER_ARRIVES;
		}
		r.seg = &w->n;
		r.wire = it[i].idx + 1;
		/* Its notes are its sender's and receiver's (same_seg()). */
		r.retrans = w->retrans;
		ladder_row_notes(&r, notes, nn);
		follow_isn(&cur, &w->n);
		ladder_pair_row(m->svg, pair_id(m, p), &cur, &r);
	}
	end_lines(m, p);
	goto out;
nomem:
	err = -ENOMEM;
out:
	free(it);
	free(a);
	return err;
}


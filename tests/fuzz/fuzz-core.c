// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * libFuzzer target over the shared core: the TCP header parser and the
 * two-endpoint state machine, driven the way the module drives them.
 *
 * The input is a small header and then a sequence of 10-byte records, each
 * one step: a segment seen once, or only leaving, or only arriving, or
 * leaving and then arriving (loopback); time passing and tt_conn_expire();
 * raw header bytes through tt_parse_tcp() and, if the fixed header parsed,
 * on into the flow; or the last segment again.  Sequence and
 * acknowledgment numbers are offsets from what each side would send next,
 * so exact, off-by-one, in-window and out-of-window values, and wraps of
 * the 32-bit space, are all a few bits away.  One flow, a history of 0 to 7
 * notes.  Like the module, a segment that tt_conn_new_incarnation() calls a
 * new connection, or that follows tt_conn_expire() returning true, starts
 * the flow anew, and a segment tt_seg_starts_flow() refuses creates none.
 *
 * After every call the invariants of tests/unit/invariants.c must hold, and
 * more: each verdict's notes chain from the states before the call to the
 * states after it; the flow counted each segment once, when its sender's
 * half was applied; an ended flow has both ends CLOSED; a flow that
 * tt_conn_expire() removes has ended for the caller.
 *
 *   header: [0] depth (bits 0-2), [1..4] ISN of side 0, [5..8] of side 1
 *   record: [0] op (bits 0-3), sighting (bits 4-6), side (bit 7)
 *           [1] TCP flags (op raw: header length)
 *           [2..3] seq offset, [4..5] ack offset (signed, little endian)
 *           [6] window, [7] payload bytes
 *           [8] time step: 2^(n % 43) ns before the step
 *           [9] window scale offered by a SYN (bits 0-3, bit 4: offered),
 *               wire segments - 1 (bits 5-7)
 */

#include <stdio.h>
#include <stdlib.h>

#include "invariants.h"

#define HDR_LEN		9
#define REC_LEN		10

enum {
	OP_SEG_LAST = 10,	/* 0..10: a segment */
	OP_EXPIRE_LAST = 12,	/* 11..12: time passes, expire */
	OP_RAW = 13,		/* raw header bytes follow the record */
	OP_AGAIN = 14,		/* the last segment again */
	OP_JUMP = 15,		/* a segment with an arbitrary seq/ack */
};

static const struct tt_timeouts timeouts = {
	.time_wait = 60ULL * 1000000000,
	.linger = 10ULL * 1000000000,
	.idle = 300ULL * 1000000000,
};

struct fuzz {
	struct tt_conn *c;
	struct tt_note *hist;
	unsigned int depth;
	struct tt_inv inv;
	u64 now;
	u32 nxt[2];		/* next seq of key side 0, 1 */
	u64 packets[2];		/* expected, by peer index */
	u64 bytes[2];
	struct tt_seg last;
	unsigned int last_side;
	bool have_last;
};

static u16 le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-core: invariant broken: %s%s%s\n", what,
		detail ? ": " : "", detail ? detail : "");
	abort();
}

static void restart(struct fuzz *z)
{
	tt_conn_init(z->c, z->hist, z->depth);
	tt_inv_init(&z->inv);
	memset(z->packets, 0, sizeof(z->packets));
	memset(z->bytes, 0, sizeof(z->bytes));
}

/* The notes of one call must lead from the states before to those after. */
static void check_chain(const struct tt_conn *c, const u8 before[2],
			const struct tt_verdict *v)
{
	u8 now[2] = { before[0], before[1] };
	unsigned int i;

	if (v->nnotes >= TT_NOTES_PER_SEG)
		return;		/* maybe full: notes may be missing */
	for (i = 0; i < v->nnotes; i++) {
		const struct tt_note *n = &v->notes[i];
		unsigned int p = n->endpoint == TT_WHO_CLIENT ? TT_CLIENT :
								 TT_SERVER;

		if (n->from != now[p])
			die("a note does not start where its endpoint was",
			    tt_why_name(n->why));
		now[p] = n->to;
	}
	if (now[0] != c->peer[0].state || now[1] != c->peer[1].state)
		die("a state changed without a note", NULL);
}

/* FUZZ_TRACE=1: print every note, to see what a seed does. */
static void trace(const struct tt_verdict *v)
{
	static int on = -1;
	unsigned int i;

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	for (i = 0; on && i < v->nnotes; i++)
		fprintf(stderr, "  %s: %s -> %s (%s)\n",
			tt_who_name(v->notes[i].endpoint),
			tt_state_name(v->notes[i].from),
			tt_state_name(v->notes[i].to),
			tt_why_name(v->notes[i].why));
}

static void check(struct fuzz *z, const struct tt_verdict *v)
{
	const char *err = tt_inv_check(&z->inv, z->c, v, z->now);

	trace(v);
	if (err)
		die(err, NULL);
}

static void feed(struct fuzz *z, const struct tt_seg *s, unsigned int side,
		 unsigned int obs)
{
	struct tt_conn *c = z->c;
	struct tt_verdict v;
	u8 before[2];
	unsigned int snd;
	bool started;

	if (tt_conn_new_incarnation(c, s))
		restart(z);
	started = c->flags & TT_CONN_STARTED;
	if (!started && !tt_seg_starts_flow(s))
		return;
	before[0] = c->peer[0].state;
	before[1] = c->peer[1].state;
	tt_conn_segment(c, s, side, obs, z->now, &v);
	check(z, &v);
	if (v.created == started)
		die("created is not 'first segment'", NULL);
	if (!v.created)
		check_chain(c, before, &v);
	if (v.ended && !tt_conn_ended(c))
		die("a segment ended the flow, but not both are CLOSED", NULL);
	snd = side == c->client_side ? TT_CLIENT : TT_SERVER;
	if (obs & TT_OBS_SEND) {
		z->packets[snd] += s->segs;
		z->bytes[snd] += s->len;
	}
	if (c->peer[0].packets != z->packets[0] ||
	    c->peer[1].packets != z->packets[1] ||
	    c->peer[0].bytes != z->bytes[0] ||
	    c->peer[1].bytes != z->bytes[1])
		die("segments not counted once, when sent", NULL);
	z->last = *s;
	z->last_side = side;
	z->have_last = true;
}

/* How the record's sighting bits map to tt_conn_segment() calls. */
static void sight(struct fuzz *z, const struct tt_seg *s, unsigned int side,
		  unsigned int how)
{
	static const unsigned int local = TT_OBS_LOCAL_SENDER |
					  TT_OBS_LOCAL_RECEIVER;

	switch (how) {
	case 4:
		feed(z, s, side, TT_OBS_SEND | local);
		break;
	case 5:
		feed(z, s, side, TT_OBS_RECV | local);
		break;
	case 6:
		feed(z, s, side, TT_OBS_SEND | local);
		feed(z, s, side, TT_OBS_RECV | local);
		break;
	case 7:
		feed(z, s, side, TT_OBS_BOTH | (side ? TT_OBS_LOCAL_RECEIVER :
						      TT_OBS_LOCAL_SENDER));
		break;
	default:
		feed(z, s, side, TT_OBS_BOTH);
		break;
	}
}

static void expire(struct fuzz *z)
{
	struct tt_conn *c = z->c;
	struct tt_verdict v;
	u8 before[2] = { c->peer[0].state, c->peer[1].state };
	bool gone;

	/* A flow exists from its first segment on: nothing to expire. */
	if (!(c->flags & TT_CONN_STARTED))
		return;
	gone = tt_conn_expire(c, z->now, &timeouts, &v);
	check(z, &v);
	if (v.created)
		die("expire created a flow", NULL);
	check_chain(c, before, &v);
	if (tt_conn_time_wait_left(c, z->now, &timeouts) > timeouts.time_wait)
		die("TIME_WAIT left longer than 2*MSL", NULL);
	if (gone) {
		if (!v.ended && !tt_conn_ended(c))
			die("removed without ending", NULL);
		if (c->outcome == TT_OUTCOME_OPEN)
			die("removed without an outcome", NULL);
		restart(z);
	}
}

static void segment(struct fuzz *z, const u8 *r, bool jump)
{
	unsigned int side = r[0] >> 7, how = (r[0] >> 4) & 7;
	struct tt_seg s = {
		.flags = r[1],
		.window = (u16)(r[6] << (r[6] & 1 ? 8 : 2)),
		.len = r[7],
		.segs = 1 + (r[9] >> 5),
		.doff = 20,
		.sport = side ? 80 : 40000,
		.dport = side ? 40000 : 80,
	};
	u32 end;

	if (jump) {
		/* Anywhere in the sequence space, e.g. half of it away. */
		s.seq = z->nxt[side] + ((u32)le16(r + 2) << 16);
		s.ack = z->nxt[!side] + ((u32)le16(r + 4) << 16);
	} else {
		s.seq = z->nxt[side] + (u32)(__s16)le16(r + 2);
		s.ack = z->nxt[!side] + (u32)(__s16)le16(r + 4);
	}
	if ((s.flags & TT_TCP_SYN) && (r[9] & 16)) {
		s.opts = TT_OPT_WSCALE;
		s.wscale = r[9] & 15;
	}
	sight(z, &s, side, how);
	/* The side goes on from the furthest it sent, as a TCP would. */
	end = s.seq + s.len + !!(s.flags & TT_TCP_SYN) +
	      !!(s.flags & TT_TCP_FIN);
	if (!(s.flags & TT_TCP_RST) && tt_after(end, z->nxt[side]))
		z->nxt[side] = end;
}

/* Raw header bytes, from a heap buffer of exactly their length. */
static size_t raw(struct fuzz *z, const u8 *r, const u8 *rest, size_t left)
{
	size_t n = r[1] % (TT_TCP_HDR_MAX + 5);
	enum tt_parse_err err;
	struct tt_seg s;
	u8 *buf;
	char flags[32];

	if (n > left)
		n = left;
	buf = malloc(n ? n : 1);
	if (!buf)
		abort();
	memcpy(buf, rest, n);
	err = tt_parse_tcp(buf, n, &s);
	free(buf);
	if (strcmp(tt_parse_err_name(err), "?") == 0)
		die("parse result without a name", NULL);
	if (tt_tcp_flags_str(s.flags, flags, sizeof(flags)) >= sizeof(flags))
		die("flags string too long", NULL);
	if (err == TT_PARSE_OK && (s.doff < TT_TCP_HDR_MIN || s.doff > n))
		die("parsed a header longer than its bytes", NULL);
	if (s.nsack > TT_MAX_SACK || (s.nsack && !(s.opts & TT_OPT_SACK)))
		die("bad SACK count", NULL);
	if (err != TT_PARSE_OK && s.opts)
		die("options reported from a malformed header", NULL);
	/* A valid fixed header goes on into the flow, as in the module. */
	if (err == TT_PARSE_OK || err == TT_PARSE_BAD_OPTION) {
		s.len = r[7];
		sight(z, &s, r[0] >> 7, (r[0] >> 4) & 7);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz z = { .now = 1 };
	size_t i = HDR_LEN;
	char buf[256];

	if (size < HDR_LEN)
		return 0;
	z.depth = data[0] & 7;
	z.nxt[0] = le32(data + 1);
	z.nxt[1] = le32(data + 5);
	/* Exactly the history's size: ASan sees a write past it. */
	z.c = malloc(sizeof(*z.c));
	z.hist = z.depth ? malloc(tt_history_size(z.depth)) : NULL;
	if (!z.c || (z.depth && !z.hist))
		abort();
	restart(&z);

	while (i + REC_LEN <= size) {
		const u8 *r = data + i;
		unsigned int op = r[0] & 15;

		i += REC_LEN;
		z.now += 1ULL << (r[8] % 43);
		if (op <= OP_SEG_LAST)
			segment(&z, r, false);
		else if (op <= OP_EXPIRE_LAST)
			expire(&z);
		else if (op == OP_RAW)
			i += raw(&z, r, data + i, size - i);
		else if (op == OP_AGAIN && z.have_last)
			sight(&z, &z.last, z.last_side, (r[0] >> 4) & 7);
		else if (op == OP_JUMP)
			segment(&z, r, true);
	}
	/* The string helpers on whatever the flow holds now. */
	tt_anomalies_str(z.c->anomalies, buf, sizeof(buf));
	if (strlen(buf) >= sizeof(buf))
		die("anomaly string", NULL);
	free(z.c);
	free(z.hist);
	return 0;
}

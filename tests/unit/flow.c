// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The test harness: see flow.h.
 */

#define _GNU_SOURCE	/* vasprintf */
#include <stdio.h>
#include <stdlib.h>

#include "flow.h"
#include "invariants.h"

/*
 * The ISNs every table-driven test runs with: ordinary ones, and ones that
 * put a wrap of the 32-bit sequence space (RFC 793 3.3) at each place that
 * matters: in the ACK of the SYN, inside the data, and at the FIN (the FIN
 * itself is 0xffffffff, its ACK 0).  established() sends 100 bytes from A
 * and 200 from B, so the FINs that follow it are at isn + 101 and isn + 201.
 */
const struct isns isn_sets[] = {
	{ "isn-plain",     { 1000, 500000 } },
	{ "isn-wrap-syn",  { 0xffffffffU, 0xffffffffU } },
	{ "isn-wrap-data", { 0xffffffffU - 50, 0xffffffffU - 150 } },
	{ "isn-wrap-fin",  { 0xffffffffU - 101, 0xffffffffU - 201 } },
};
const unsigned int n_isn_sets = ARRAY_SIZE(isn_sets);

struct flow_priv {
	struct flow f;
	struct tt_note *hist;
	struct tt_inv inv;
};

/* Flows alive, freed after each test: a failed assertion longjmps. */
static struct flow *live[8];

struct flow *flow_new(enum mode mode, const u32 isn[2], unsigned int depth)
{
	struct flow_priv *p = calloc(1, sizeof(*p));
	struct flow *f = &p->f;

	unsigned int i;

	assert_non_null(p);
	f->c = malloc(sizeof(*f->c));
	assert_non_null(f->c);
	/* Exactly the history's size: ASan sees a write past it. */
	p->hist = depth ? malloc(tt_history_size(depth)) : NULL;
	assert_true(!depth || p->hist);
	for (i = 0; i < ARRAY_SIZE(live) && live[i]; i++)
		;
	assert_true(i < ARRAY_SIZE(live));
	live[i] = f;
	tt_conn_init(f->c, p->hist, depth);
	tt_inv_init(&p->inv);
	f->mode = mode;
	f->now = 1000 * SEC;
	f->step = MS;
	f->isn[A] = f->nxt[A] = isn[A];
	f->isn[B] = f->nxt[B] = isn[B];
	f->win[A] = f->win[B] = 502;		/* << 7: 64256 bytes */
	f->wscale[A] = f->wscale[B] = 7;
	return f;
}

void flow_free(struct flow *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < ARRAY_SIZE(live); i++)
		if (live[i] == f)
			live[i] = NULL;
	free(f->c);
	free(((struct flow_priv *)f)->hist);
	free(f);
}

static int free_flows(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(live); i++)
		flow_free(live[i]);
	return 0;
}

static void begin(struct flow *f)
{
	f->nnotes = 0;
	f->created = false;
	f->ended = false;
}

void check_invariants(struct flow *f, const struct tt_verdict *v)
{
	struct flow_priv *p = (struct flow_priv *)f;
	const char *err = tt_inv_check(&p->inv, f->c, v, f->now);

	if (err)
		fail_msg("invariant: %s", err);
}

static void collect(struct flow *f, const struct tt_verdict *v)
{
	unsigned int i;

	check_invariants(f, v);
	for (i = 0; i < v->nnotes; i++) {
		assert_true(f->nnotes < MAX_NOTES);
		f->notes[f->nnotes++] = v->notes[i];
		assert_true(f->nlog < ARRAY_SIZE(f->log));
		f->log[f->nlog++] = v->notes[i];
	}
	f->created |= v->created;
	f->ended |= v->ended;
}

void tx_obs(struct flow *f, int side, unsigned int obs, u8 flags, u32 seq,
	    u32 ack, u32 len)
{
	struct tt_verdict v;
	struct tt_seg s = {
		.sport = side == A ? 40000 : 80,
		.dport = side == A ? 80 : 40000,
		.seq = seq,
		.ack = ack,
		.len = len,
		.segs = 1,
		.window = (flags & fSYN) ? 64240 : f->win[side],
		.doff = 20,
		.flags = flags,
		.csum_bad = f->csum_bad,
	};

	if ((flags & fSYN) && f->wscale[side] >= 0) {
		s.opts = TT_OPT_WSCALE | TT_OPT_MSS;
		s.wscale = f->wscale[side];
		s.mss = 1460;
		s.doff = 28;
	}
	memset(&v, 0xa5, sizeof(v));	/* the core must fill it */
	tt_conn_segment(f->c, &s, side, obs, f->now, &v);
	collect(f, &v);
}

/* Both halves, as the mode sees them. */
static void sight(struct flow *f, int side, u8 flags, u32 seq, u32 ack,
		  u32 len)
{
	if (f->mode == M_BOTH) {
		/* The host is A: its segments leave, B's arrive. */
		tx_obs(f, side, TT_OBS_BOTH | (side == A ?
		       TT_OBS_LOCAL_SENDER : TT_OBS_LOCAL_RECEIVER),
		       flags, seq, ack, len);
		return;
	}
	tx_obs(f, side, TT_OBS_SEND | TT_OBS_LOCAL_SENDER |
	       TT_OBS_LOCAL_RECEIVER, flags, seq, ack, len);
	tx_obs(f, side, TT_OBS_RECV | TT_OBS_LOCAL_SENDER |
	       TT_OBS_LOCAL_RECEIVER, flags, seq, ack, len);
}

void tx(struct flow *f, int side, u8 flags, u32 seq, u32 ack, u32 len)
{
	begin(f);
	f->now += f->step;
	f->sent[side]++;
	f->sent_bytes[side] += len;
	sight(f, side, flags, seq, ack, len);
}

static u32 consumes(u8 flags, u32 len)
{
	return len + !!(flags & fSYN) + !!(flags & fFIN);
}

void seg(struct flow *f, int side, u8 flags, u32 len)
{
	u32 seq = f->nxt[side];

	f->nxt[side] += consumes(flags, len);
	tx(f, side, flags, seq, (flags & fACK) ? f->nxt[!side] : 0, len);
}

void unseen(struct flow *f, int side, u8 flags, u32 len)
{
	f->nxt[side] += consumes(flags, len);
}

void syn(struct flow *f, int side)
{
	seg(f, side, fSYN, 0);
}

void synack(struct flow *f, int side)
{
	seg(f, side, fSYN | fACK, 0);
}

void ack(struct flow *f, int side)
{
	seg(f, side, fACK, 0);
}

void data(struct flow *f, int side, u32 len)
{
	seg(f, side, fACK | fPSH, len);
}

void fin(struct flow *f, int side)
{
	seg(f, side, fFIN | fACK, 0);
}

void handshake(struct flow *f)
{
	syn(f, A);
	synack(f, B);
	ack(f, A);
}

void established(struct flow *f)
{
	handshake(f);
	data(f, A, 100);
	ack(f, B);
	data(f, B, 200);
	ack(f, A);
}

void cross(struct flow *f, u8 fa, u8 fb)
{
	u32 sa = f->nxt[A], sb = f->nxt[B];
	u32 aa = (fa & fACK) ? f->nxt[B] : 0, ab = (fb & fACK) ? f->nxt[A] : 0;

	f->nxt[A] += consumes(fa, 0);
	f->nxt[B] += consumes(fb, 0);
	f->sent[A]++;
	f->sent[B]++;
	begin(f);
	f->now += f->step;
	if (f->mode == M_BOTH) {
		sight(f, A, fa, sa, aa, 0);
		sight(f, B, fb, sb, ab, 0);
		return;
	}
	tx_obs(f, A, TT_OBS_SEND | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER,
	       fa, sa, aa, 0);
	tx_obs(f, B, TT_OBS_SEND | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER,
	       fb, sb, ab, 0);
	tx_obs(f, A, TT_OBS_RECV | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER,
	       fa, sa, aa, 0);
	tx_obs(f, B, TT_OBS_RECV | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER,
	       fb, sb, ab, 0);
}

bool expire(struct flow *f, u64 now, const struct tt_timeouts *t)
{
	struct tt_verdict v;
	bool gone;

	begin(f);
	f->now = now;
	memset(&v, 0xa5, sizeof(v));
	gone = tt_conn_expire(f->c, now, t, &v);
	collect(f, &v);
	/* Removing a flow always ends it for the caller. */
	if (gone)
		assert_true(v.ended || tt_conn_ended(f->c));
	return gone;
}

unsigned int peer_of(const struct flow *f, int side)
{
	return side == f->c->client_side ? TT_CLIENT : TT_SERVER;
}

unsigned int who_of(const struct flow *f, int side)
{
	return peer_of(f, side) == TT_CLIENT ? TT_WHO_CLIENT : TT_WHO_SERVER;
}

unsigned int st(const struct flow *f, int side)
{
	return f->c->peer[peer_of(f, side)].state;
}

int find_note(const struct flow *f, unsigned int endpoint, unsigned int from,
	      unsigned int to, unsigned int why)
{
	unsigned int i;

	for (i = 0; i < f->nnotes; i++) {
		const struct tt_note *n = &f->notes[i];

		if (n->endpoint == endpoint && n->from == from &&
		    n->to == to && n->why == why)
			return i;
	}
	return -1;
}

static void print_notes(const struct flow *f)
{
	unsigned int i;

	for (i = 0; i < f->nnotes; i++) {
		const struct tt_note *n = &f->notes[i];

		print_error("    got %s: %s -> %s (%s)\n",
			    tt_who_name(n->endpoint), tt_state_name(n->from),
			    tt_state_name(n->to), tt_why_name(n->why));
	}
}

void _expect_notes(const struct flow *f, const struct xnote *x,
		   unsigned int n, const char *file, int line)
{
	unsigned int i;
	bool ok = n == f->nnotes;

	for (i = 0; ok && i < n; i++)
		ok = f->notes[i].endpoint == x[i].endpoint &&
		     f->notes[i].from == x[i].from &&
		     f->notes[i].to == x[i].to && f->notes[i].why == x[i].why;
	if (ok)
		return;
	print_error("%s:%d: notes differ; expected %u:\n", file, line, n);
	for (i = 0; i < n; i++)
		print_error("    want %s: %s -> %s (%s)\n",
			    tt_who_name(x[i].endpoint),
			    tt_state_name(x[i].from), tt_state_name(x[i].to),
			    tt_why_name(x[i].why));
	print_notes(f);
	_fail(file, line);
}

void _expect_path(const struct flow *f, unsigned int endpoint,
		  const struct xnote *x, unsigned int n, const char *file,
		  int line)
{
	unsigned int i, k = 0;
	bool ok = true;

	for (i = 0; i < f->nlog; i++) {
		const struct tt_note *t = &f->log[i];

		if (t->endpoint != endpoint || t->to == t->from)
			continue;
		ok = ok && k < n && t->from == x[k].from && t->to == x[k].to &&
		     t->why == x[k].why;
		k++;
	}
	if (ok && k == n)
		return;
	print_error("%s:%d: path of the %s differs; expected:\n", file, line,
		    tt_who_name(endpoint));
	for (i = 0; i < n; i++)
		print_error("    want %s -> %s (%s)\n", tt_state_name(x[i].from),
			    tt_state_name(x[i].to), tt_why_name(x[i].why));
	for (i = 0; i < f->nlog; i++)
		if (f->log[i].endpoint == endpoint &&
		    f->log[i].to != f->log[i].from)
			print_error("    got %s -> %s (%s)\n",
				    tt_state_name(f->log[i].from),
				    tt_state_name(f->log[i].to),
				    tt_why_name(f->log[i].why));
	_fail(file, line);
}

bool logged(const struct flow *f, unsigned int why)
{
	unsigned int i;

	for (i = 0; i < f->nlog; i++)
		if (f->log[i].why == why)
			return true;
	return false;
}

void _expect_states(const struct flow *f, unsigned int client,
		    unsigned int server, const char *file, int line)
{
	const struct tt_conn *c = f->c;

	if (c->peer[TT_CLIENT].state == client &&
	    c->peer[TT_SERVER].state == server)
		return;
	print_error("%s:%d: states client %s server %s, expected %s %s\n",
		    file, line, tt_state_name(c->peer[TT_CLIENT].state),
		    tt_state_name(c->peer[TT_SERVER].state),
		    tt_state_name(client), tt_state_name(server));
	print_notes(f);
	_fail(file, line);
}

void _expect_counted(const struct flow *f, const char *file, int line)
{
	int side;

	for (side = A; side <= B; side++) {
		const struct tt_peer *p = &f->c->peer[peer_of(f, side)];

		if (p->packets == f->sent[side] &&
		    p->bytes == f->sent_bytes[side])
			continue;
		print_error("%s:%d: side %c counted %llu segments %llu bytes, sent %llu %llu\n",
			    file, line, "AB"[side],
			    (unsigned long long)p->packets,
			    (unsigned long long)p->bytes,
			    (unsigned long long)f->sent[side],
			    (unsigned long long)f->sent_bytes[side]);
		_fail(file, line);
	}
}

/* --- running suites ------------------------------------------------------ */

static char **strings;
static size_t nstrings;

const char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	strings = realloc(strings, (nstrings + 1) * sizeof(*strings));
	if (!strings)
		abort();
	strings[nstrings++] = s;
	return s;
}

void tests_add(struct tests *ts, const char *name, CMUnitTestFunction fn,
	       void *state)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 64;
		ts->t = realloc(ts->t, ts->cap * sizeof(*ts->t));
		if (!ts->t)
			abort();
	}
	ts->t[ts->n++] = (struct CMUnitTest){
		.name = name,
		.test_func = fn,
		.teardown_func = free_flows,
		.initial_state = state,
	};
}

const struct tt_timeouts timeouts = {
	.time_wait = 60 * SEC,
	.linger = 10 * SEC,
	.idle = 300 * SEC,
};

static struct variant_params variants[M_MODES][8];

void tests_add_variants(struct tests *ts, const char *name,
			CMUnitTestFunction fn, unsigned int modes)
{
	unsigned int m, n;

	for (m = 0; m < M_MODES; m++)
		for (n = 0; n < n_isn_sets && (modes & (1U << m)); n++) {
			variants[m][n].mode = m;
			variants[m][n].isns = &isn_sets[n];
			if (modes & 4) {
				tests_add(ts, fmt("%s/%s", name,
						  m == M_BOTH ? "both" : "split"),
					  fn, &variants[m][n]);
				break;
			}
			tests_add(ts, fmt("%s/%s/%s", name,
					  m == M_BOTH ? "both" : "split",
					  isn_sets[n].name),
				  fn, &variants[m][n]);
		}
}

struct flow *variant_flow(void **state, unsigned int depth)
{
	const struct variant_params *p = *state;

	return flow_new(p->mode, p->isns->isn, depth);
}

int run_suite(const char *suite, struct tests *ts)
{
	int failed;
	size_t i;

	failed = _cmocka_run_group_tests(fmt("unit-%s", suite), ts->t, ts->n,
					 NULL, NULL);
	fflush(stderr);
	printf("%s: unit-%s\n", failed ? "FAIL" : "PASS", suite);
	fflush(stdout);
	free(ts->t);
	for (i = 0; i < nstrings; i++)
		free(strings[i]);
	free(strings);
	return failed ? 1 : 0;
}

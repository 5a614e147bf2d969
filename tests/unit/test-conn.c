// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * What a flow reports besides its states: who opened and who closed, the
 * outcome, the anomaly bits, the TT_FLOW_F_* flags, the history ring and
 * the notes of each verdict.
 */

#include "setups.h"

static const struct tt_timeouts *const T = &timeouts;

/* --- opener, closer, outcome -------------------------------------------- */

static void simopen(struct flow *f)
{
	syn(f, A);
	syn(f, B);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	tx(f, A, fSYN | fACK, f->isn[A], f->nxt[B], 0);
}

static void close_a(struct flow *f)
{
	established(f);
	fin(f, A);
	ack(f, B);
	fin(f, B);
	ack(f, A);
	expire(f, f->now + T->time_wait, T);
}

static void close_b(struct flow *f)
{
	established(f);
	fin(f, B);
	ack(f, A);
	fin(f, A);
	ack(f, B);
	expire(f, f->now + T->time_wait, T);
}

static void close_both(struct flow *f)
{
	established(f);
	cross(f, fFIN | fACK, fFIN | fACK);
	cross(f, fACK, fACK);
	expire(f, f->now + T->time_wait, T);
}

/* The server closes before the handshake completed (RFC 793 3.5). */
static void early_close(struct flow *f)
{
	syn(f, A);
	synack(f, B);
	fin(f, B);
}

static void refused(struct flow *f)
{
	syn(f, A);
	refuse_b(f);
}

static void reset_a(struct flow *f)
{
	established(f);
	rst_a(f);
}

static void reset_b(struct flow *f)
{
	established(f);
	rst_b(f);
}

static void old_duplicate(struct flow *f)
{
	syn(f, A);
	synack(f, B);
	reject_a(f);
}

/* Both FINs acknowledged, then an exact RST kills A's TIME_WAIT: the flow
 * ends, and it still completed.
 */
static void closed_then_reset(struct flow *f)
{
	established(f);
	fin(f, A);
	ack(f, B);
	fin(f, B);
	ack(f, A);
	rst_b(f);
}

static void idle_established(struct flow *f)
{
	established(f);
	expire(f, f->now + T->idle, T);
}

static void idle_midstream(struct flow *f)
{
	data(f, A, 10);
	expire(f, f->now + T->idle, T);
}

static void idle_syn(struct flow *f)
{
	syn(f, A);
	expire(f, f->now + T->idle, T);
}

/* Only the client's segments are seen, until the flow times out. */
static void one_sided(struct flow *f)
{
	syn(f, A);
	unseen(f, B, fSYN | fACK, 0);
	ack(f, A);
	data(f, A, 10);
	expire(f, f->now + T->idle, T);
}

static const struct {
	const char *name;
	void (*fn)(struct flow *f);
	u8 opener, closer, outcome;
	bool ended;
} stories[] = {
	{ "handshake", handshake, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_OPEN, false },
	{ "simultaneous-open", simopen, TT_WHO_BOTH, TT_WHO_NONE,
	  TT_OUTCOME_OPEN, false },
	{ "client-closes", close_a, TT_WHO_CLIENT, TT_WHO_CLIENT,
	  TT_OUTCOME_COMPLETED, true },
	{ "server-closes", close_b, TT_WHO_CLIENT, TT_WHO_SERVER,
	  TT_OUTCOME_COMPLETED, true },
	{ "both-close", close_both, TT_WHO_CLIENT, TT_WHO_BOTH,
	  TT_OUTCOME_COMPLETED, true },
	{ "early-close", early_close, TT_WHO_CLIENT, TT_WHO_SERVER,
	  TT_OUTCOME_OPEN, false },
	{ "refused", refused, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_REFUSED, true },
	{ "reset-by-client", reset_a, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_RESET_BY_CLIENT, true },
	{ "reset-by-server", reset_b, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_RESET_BY_SERVER, true },
	{ "old-duplicate", old_duplicate, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_HALF_OPEN, true },
	{ "closed-then-reset", closed_then_reset, TT_WHO_CLIENT,
	  TT_WHO_CLIENT, TT_OUTCOME_COMPLETED, true },
	{ "idle-established", idle_established, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_TIMED_OUT, false },
	{ "idle-midstream", idle_midstream, TT_WHO_NONE, TT_WHO_NONE,
	  TT_OUTCOME_MIDSTREAM, false },
	{ "idle-syn", idle_syn, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_HALF_OPEN, false },
	{ "one-sided", one_sided, TT_WHO_CLIENT, TT_WHO_NONE,
	  TT_OUTCOME_ONE_SIDED, false },
};

static void t_stories(void **state)
{
	unsigned int i, m;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(stories); i++)
		for (m = 0; m < M_MODES; m++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 64);
			const struct tt_conn *c = f->c;

			stories[i].fn(f);
			if (c->opener != stories[i].opener ||
			    c->closer != stories[i].closer ||
			    c->outcome != stories[i].outcome ||
			    tt_conn_ended(c) != stories[i].ended)
				fail_msg("%s/%s: opener %s closer %s outcome %s ended %d",
					 stories[i].name,
					 m == M_BOTH ? "both" : "split",
					 tt_who_name(c->opener),
					 tt_who_name(c->closer),
					 tt_outcome_name(c->outcome),
					 tt_conn_ended(c));
			flow_free(f);
		}
}

/* --- anomalies ------------------------------------------------------------ */

static void a_syn_fin(struct flow *f)
{
	tx(f, A, fSYN | fFIN, f->isn[A], 0, 0);
}

static void a_syn_rst(struct flow *f)
{
	handshake(f);
	tx(f, A, fSYN | fRST, f->nxt[A], 0, 0);
}

static void a_fin_no_ack(struct flow *f)
{
	established(f);
	tx(f, A, fFIN, f->nxt[A], 0, 0);
}

static void a_null(struct flow *f)
{
	tx(f, A, 0, f->isn[A], 0, 0);
}

static void a_xmas(struct flow *f)
{
	tx(f, A, fFIN | fPSH | fURG, f->isn[A], 0, 0);
}

static void a_syn_data(struct flow *f)
{
	seg(f, A, fSYN, 100);		/* TCP Fast Open style */
}

static void a_retrans_syn(struct flow *f)
{
	syn(f, A);
	tx(f, A, fSYN, f->isn[A], 0, 0);
}

static void a_retrans_synack(struct flow *f)
{
	syn(f, A);
	synack(f, B);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
}

static void a_retrans_fin(struct flow *f)
{
	established(f);
	fin(f, A);
	tx(f, A, fFIN | fACK, f->nxt[A] - 1, f->nxt[B], 0);
}

static void a_retrans_data(struct flow *f)
{
	established(f);
	data(f, A, 10);
	tx(f, A, fACK, f->nxt[A] - 10, f->nxt[B], 10);
}

static void a_rst_challenge(struct flow *f)
{
	established(f);
	tx(f, A, fRST, f->nxt[A] + 5, 0, 0);
}

static void a_rst_ignored(struct flow *f)
{
	established(f);
	tx(f, A, fRST, f->nxt[A] - 5000, 0, 0);
}

static void a_syn_challenge(struct flow *f)
{
	established(f);
	new_syn_a(f);
}

/* A FIN whose checksum is wrong, then its resend. */
static void a_bad_checksum(struct flow *f)
{
	established(f);
	f->csum_bad = true;
	fin(f, A);
	f->csum_bad = false;
	tx(f, A, fFIN | fACK, f->nxt[A] - 1, f->nxt[B], 0);
}

static const struct {
	const char *name;
	void (*fn)(struct flow *f);
	u32 anomalies;
} anomalies[] = {
	{ "syn-fin", a_syn_fin, ANOM(SYN_FIN) },
	{ "syn-rst", a_syn_rst, ANOM(SYN_RST) },
	{ "fin-no-ack", a_fin_no_ack, ANOM(FIN_NO_ACK) },
	{ "null", a_null, ANOM(NULL) | ANOM(SCAN_PROBE) },
	{ "xmas", a_xmas, ANOM(XMAS) | ANOM(SCAN_PROBE) },
	{ "syn-data", a_syn_data, ANOM(SYN_DATA) },
	{ "half-open", old_duplicate, ANOM(HALF_OPEN) },
	{ "retrans-syn", a_retrans_syn, ANOM(RETRANS_SYN) },
	{ "retrans-synack", a_retrans_synack, ANOM(RETRANS_SYNACK) },
	{ "retrans-fin", a_retrans_fin, ANOM(RETRANS_FIN) },
	{ "retrans-data", a_retrans_data, ANOM(RETRANS_DATA) },
	{ "rst-challenge", a_rst_challenge, ANOM(RST_CHALLENGE) },
	{ "rst-ignored", a_rst_ignored, ANOM(RST_IGNORED) },
	{ "syn-challenge", a_syn_challenge, ANOM(SYN_CHALLENGE) },
	{ "midstream", idle_midstream, ANOM(MIDSTREAM) },
	{ "bad-checksum", a_bad_checksum,
	  ANOM(BAD_CHECKSUM) | ANOM(RETRANS_FIN) },
	{ "one-sided", one_sided, ANOM(ONE_SIDED) },
	{ "none", close_a, 0 },
};

/* Each anomaly bit, raised by a segment that shows it and by nothing
 * else in its story; together they cover every bit.
 */
static void t_anomalies(void **state)
{
	u32 seen = 0;
	unsigned int i, m;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(anomalies); i++)
		for (m = 0; m < M_MODES; m++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 64);

			anomalies[i].fn(f);
			if (f->c->anomalies != anomalies[i].anomalies)
				fail_msg("%s/%s: anomalies %#x, expected %#x",
					 anomalies[i].name,
					 m == M_BOTH ? "both" : "split",
					 f->c->anomalies,
					 anomalies[i].anomalies);
			seen |= f->c->anomalies;
			flow_free(f);
		}
	assert_int_equal(seen, (1U << __TT_ANOM_MAX) - 1);
}

/* Odd flag combinations change nobody's state. */
static void t_odd_flags_move_nobody(void **state)
{
	static const u8 odd[] = {
		fSYN | fFIN, fSYN | fRST, fSYN | fFIN | fRST | fACK,
		fSYN | fFIN | fACK,
	};
	unsigned int i, m;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(odd); i++)
		for (m = 0; m < M_MODES; m++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 64);

			established(f);
			tx(f, A, odd[i], f->nxt[A], f->nxt[B], 0);
			expect_notes(f, RM(C, ES, ODD_SEGMENT));
			tx(f, B, odd[i], f->nxt[B], f->nxt[A], 0);
			expect_notes(f, RM(S, ES, ODD_SEGMENT));
			expect_states(f, ES, ES);
			flow_free(f);
		}
}

/*
 * A segment whose checksum is wrong moves its sender, which sent it, and not
 * its receiver, whose TCP drops it: a remark on the receiver instead.  The
 * resend, good this time, moves the receiver.
 */
static void t_bad_checksum(void **state)
{
	struct flow *f = variant_flow(state, 64);

	established(f);
	f->csum_bad = true;
	data(f, A, 10);
	expect_notes(f, RM(S, ES, BAD_CHECKSUM));
	assert_int_equal(f->notes[0].anomalies, ANOM(BAD_CHECKSUM));
	assert_int_equal(f->notes[0].sender, TT_WHO_CLIENT);
	fin(f, A);
	expect_notes(f, N(C, ES, F1, ACTIVE_CLOSE), RM(S, ES, BAD_CHECKSUM));
	expect_states(f, F1, ES);
	f->csum_bad = false;
	tx(f, A, fFIN | fACK, f->nxt[A] - 1, f->nxt[B], 0);
	expect_notes(f, RM(C, F1, RETRANSMITTED_FIN), N(S, ES, CW, PEER_FIN));
	/* The server's ACK of the FIN is lost to a bad checksum too. */
	f->csum_bad = true;
	ack(f, B);
	expect_notes(f, RM(C, F1, BAD_CHECKSUM));
	expect_states(f, F1, CW);
	f->csum_bad = false;
	ack(f, B);
	expect_notes(f, N(C, F1, F2, FIN_ACKED));
	expect_counted(f);
	flow_free(f);
}

/* In a handshake: the SYN-ACK lost to its checksum leaves the client in
 * SYN_SENT, while the server, which sent it, is in SYN_RECEIVED.
 */
static void t_bad_checksum_synack(void **state)
{
	struct flow *f = variant_flow(state, 64);

	syn(f, A);
	f->csum_bad = true;
	synack(f, B);
	expect_notes(f, N(S, LI, SR, PASSIVE_OPEN), RM(C, SS, BAD_CHECKSUM));
	f->csum_bad = false;
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	expect_notes(f, RM(S, SR, RETRANSMITTED_SYNACK));
	ack(f, A);
	expect_states(f, ES, ES);
	flow_free(f);
}

/* --- flags ----------------------------------------------------------------- */

static void t_flags(void **state)
{
	static const struct {
		const char *name;
		unsigned int obs_a, obs_b;	/* for A's, B's segments */
		u16 flags;
	} cases[] = {
		{ "client local", TT_OBS_BOTH | TT_OBS_LOCAL_SENDER,
		  TT_OBS_BOTH | TT_OBS_LOCAL_RECEIVER,
		  TT_FLOW_F_CLIENT_LOCAL },
		{ "server local", TT_OBS_BOTH | TT_OBS_LOCAL_RECEIVER,
		  TT_OBS_BOTH | TT_OBS_LOCAL_SENDER,
		  TT_FLOW_F_SERVER_LOCAL },
		{ "forwarded", TT_OBS_BOTH, TT_OBS_BOTH, 0 },
		{ "loopback", TT_OBS_BOTH | TT_OBS_LOCAL_SENDER |
		  TT_OBS_LOCAL_RECEIVER, TT_OBS_BOTH,
		  TT_FLOW_F_CLIENT_LOCAL | TT_FLOW_F_SERVER_LOCAL },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct flow *f = flow_new(M_BOTH, isn_sets[0].isn, 8);
		u16 uapi = TT_FLOW_F_PICKED_UP | TT_FLOW_F_CLIENT_LOCAL |
			   TT_FLOW_F_SERVER_LOCAL | TT_FLOW_F_ESTABLISHED |
			   TT_FLOW_F_ENDED;

		tx_obs(f, A, cases[i].obs_a, fSYN, f->isn[A], 0, 0);
		assert_int_equal(f->c->flags & uapi, cases[i].flags);
		tx_obs(f, B, cases[i].obs_b, fSYN | fACK, f->isn[B],
		       f->isn[A] + 1, 0);
		tx_obs(f, A, cases[i].obs_a, fACK, f->isn[A] + 1,
		       f->isn[B] + 1, 0);
		assert_int_equal(f->c->flags & uapi,
				 cases[i].flags | TT_FLOW_F_ESTABLISHED);
		tx_obs(f, A, cases[i].obs_a, fRST, f->isn[A] + 1, 0, 0);
		assert_int_equal(f->c->flags & uapi, cases[i].flags |
				 TT_FLOW_F_ESTABLISHED | TT_FLOW_F_ENDED);
		assert_true(f->c->flags & TT_CONN_STARTED);
		flow_free(f);
	}
}

static void t_flags_picked_up(void **state)
{
	struct flow *f = variant_flow(state, 8);

	data(f, A, 10);
	assert_int_equal(f->c->flags & ~(TT_FLOW_F_CLIENT_LOCAL |
					 TT_FLOW_F_SERVER_LOCAL),
			 TT_FLOW_F_PICKED_UP | TT_FLOW_F_ESTABLISHED |
			 TT_CONN_STARTED);
	flow_free(f);
}

/* --- times ----------------------------------------------------------------- */

static void t_times(void **state)
{
	struct flow *f = variant_flow(state, 8);
	u64 t0, t1;

	syn(f, A);
	t0 = f->now;
	assert_int_equal(f->c->created, t0);
	assert_int_equal(f->c->changed, t0);
	synack(f, B);
	t1 = f->now;
	data(f, A, 0);			/* a bare ACK, later */
	assert_int_equal(f->c->created, t0);
	assert_int_equal(f->c->last_seen, f->now);
	assert_int_equal(f->c->changed, f->now);	/* handshake done */
	data(f, A, 10);
	assert_int_equal(f->c->last_seen, f->now);
	assert_true(f->c->changed < f->now);
	assert_true(t1 > t0);
	flow_free(f);
}

/*
 * A flow expires only from its first segment on: one that has none yet
 * (created, not yet fed) has no times, and would otherwise look as old as
 * the clock.  And a clock read before the flow's first segment (a table
 * walk that started earlier) finds it no older than 0.
 */
static void t_expire_before_first_segment(void **state)
{
	struct flow *f = variant_flow(state, 8);
	struct tt_verdict v;
	u64 t0;

	assert_false(tt_conn_expire(f->c, 1000000 * SEC, T, &v));
	assert_int_equal(v.nnotes, 0);
	assert_false(v.ended);
	assert_int_equal(f->c->outcome, TT_OUTCOME_OPEN);
	syn(f, A);
	t0 = f->now;
	assert_false(expire(f, t0 - T->idle - SEC, T));
	assert_false(f->ended);
	assert_false(expire(f, t0 + T->idle - 1, T));
	assert_true(expire(f, t0 + T->idle, T));
	flow_free(f);
}

/* --- history ---------------------------------------------------------------- */

/* Every note the flow made, with the verdicts' notes as the reference. */
static void check_history(const struct flow *f, unsigned int depth)
{
	const struct tt_conn *c = f->c;
	unsigned int kept = f->nlog < depth ? f->nlog : depth, i;

	assert_int_equal(c->hist_depth, depth);
	assert_int_equal(c->hist_len, kept);
	for (i = 0; i < kept; i++) {
		const struct tt_note *h = tt_conn_note(c, i);
		const struct tt_note *w = &f->log[f->nlog - kept + i];

		assert_non_null(h);
		if (h->why != w->why || h->from != w->from ||
		    h->to != w->to || h->endpoint != w->endpoint ||
		    h->time != w->time || h->seq != w->seq ||
		    h->ack != w->ack || h->tcp_flags != w->tcp_flags ||
		    h->sender != w->sender)
			fail_msg("depth %u: history[%u] is %s, expected %s",
				 depth, i, tt_why_name(h->why),
				 tt_why_name(w->why));
	}
	assert_null(tt_conn_note(c, kept));
	assert_null(tt_conn_note(c, 1000));
}

static void t_history_depths(void **state)
{
	static const unsigned int depths[] = { 0, 1, 2, 3, 7, 11, 12, 64 };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(depths); i++) {
		struct flow *f = flow_new(M_BOTH, isn_sets[0].isn, depths[i]);

		/* 14 notes: 5 to open, 6 to close, 1 remark, 2 timers. */
		syn(f, A);
		tx(f, A, fSYN, f->isn[A], 0, 0);
		check_history(f, depths[i]);
		synack(f, B);
		ack(f, A);
		cross(f, fFIN | fACK, fFIN | fACK);
		check_history(f, depths[i]);
		tx(f, B, fFIN | fACK, f->nxt[B] - 1, f->nxt[A] - 1, 0);
		cross(f, fACK, fACK);
		expire(f, f->now + T->time_wait, T);
		assert_int_equal(f->nlog, 14);
		check_history(f, depths[i]);
		flow_free(f);
	}
}

/* The oldest notes go first, in order. */
static void t_history_ring_order(void **state)
{
	struct flow *f = flow_new(M_BOTH, isn_sets[0].isn, 3);
	const struct tt_conn *c = f->c;

	(void)state;
	syn(f, A);				/* 1: active-open */
	synack(f, B);				/* 2: passive-open */
	ack(f, A);				/* 3, 4: handshake */
	assert_int_equal(c->hist_len, 3);
	assert_int_equal(tt_conn_note(c, 0)->why, TT_WHY_PASSIVE_OPEN);
	assert_int_equal(tt_conn_note(c, 1)->why, TT_WHY_HANDSHAKE_ACK);
	assert_int_equal(tt_conn_note(c, 2)->why, TT_WHY_HANDSHAKE_DONE);
	fin(f, A);				/* 5, 6 */
	assert_int_equal(tt_conn_note(c, 0)->why, TT_WHY_HANDSHAKE_DONE);
	assert_int_equal(tt_conn_note(c, 1)->why, TT_WHY_ACTIVE_CLOSE);
	assert_int_equal(tt_conn_note(c, 2)->why, TT_WHY_PEER_FIN);
	assert_int_equal(tt_conn_note(c, 2)->sender, TT_WHO_CLIENT);
	assert_int_equal(tt_conn_note(c, 2)->endpoint, TT_WHO_SERVER);
	assert_int_equal(tt_conn_note(c, 2)->tcp_flags, fFIN | fACK);
	assert_null(tt_conn_note(c, 3));
	flow_free(f);
}

/* --- verdicts ---------------------------------------------------------------- */

/* Notes are in the verdict whatever the depth, also 0. */
static void t_verdict_notes(void **state)
{
	static const unsigned int depths[] = { 0, 1, 64 };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(depths); i++) {
		struct flow *f = flow_new(M_BOTH, isn_sets[0].isn, depths[i]);
		struct tt_verdict v;
		struct tt_seg s = {
			.seq = 5000, .ack = 9000, .len = 0, .segs = 1,
			.flags = fFIN | fACK | fPSH, .window = 100,
		};

		/* Picked up on a FIN: three notes from one segment. */
		f->now = 7 * SEC;
		tt_conn_segment(f->c, &s, A, TT_OBS_BOTH, f->now, &v);
		check_invariants(f, &v);
		assert_true(v.created);
		assert_false(v.ended);
		assert_int_equal(v.nnotes, 3);
		assert_int_equal(v.notes[0].why, TT_WHY_PICKED_UP);
		assert_int_equal(v.notes[0].anomalies, ANOM(MIDSTREAM));
		assert_int_equal(v.notes[1].why, TT_WHY_ACTIVE_CLOSE);
		assert_int_equal(v.notes[1].from, ES);
		assert_int_equal(v.notes[1].to, F1);
		assert_int_equal(v.notes[2].why, TT_WHY_PEER_FIN);
		assert_int_equal(v.notes[2].endpoint, TT_WHO_SERVER);
		assert_int_equal(v.notes[2].sender, TT_WHO_CLIENT);
		assert_int_equal(v.notes[2].seq, 5000);
		assert_int_equal(v.notes[2].ack, 9000);
		assert_int_equal(v.notes[2].tcp_flags, fFIN | fACK | fPSH);
		assert_int_equal(v.notes[2].time, 7 * SEC);
		assert_int_equal(f->c->hist_len, depths[i] < 3 ? depths[i] : 3);

		/* The next call starts a fresh verdict. */
		s.flags = fACK;
		s.seq = 9000;
		s.ack = 5001;
		f->now = 8 * SEC;
		tt_conn_segment(f->c, &s, B, TT_OBS_BOTH, f->now, &v);
		check_invariants(f, &v);
		assert_false(v.created);
		assert_int_equal(v.nnotes, 1);
		assert_int_equal(v.notes[0].why, TT_WHY_FIN_ACKED);
		flow_free(f);
	}
}

/* expire() with nothing to do says so and adds no note. */
static void t_verdict_expire_nothing(void **state)
{
	struct flow *f = variant_flow(state, 8);

	established(f);
	assert_false(expire(f, f->now + 1, T));
	assert_int_equal(f->nnotes, 0);
	assert_false(f->ended);
	assert_int_equal(tt_conn_time_wait_left(f->c, f->now, T), 0);
	flow_free(f);
}

int main(void)
{
	struct tests ts = { 0 };

	TEST(&ts, t_stories);
	TEST(&ts, t_anomalies);
	TEST(&ts, t_odd_flags_move_nobody);
	VARIANTS(&ts, t_bad_checksum);
	VARIANTS(&ts, t_bad_checksum_synack);
	TEST(&ts, t_flags);
	VARIANTS(&ts, t_flags_picked_up);
	VARIANTS(&ts, t_times);
	VARIANTS(&ts, t_expire_before_first_segment);
	TEST(&ts, t_history_depths);
	TEST(&ts, t_history_ring_order);
	TEST(&ts, t_verdict_notes);
	VARIANTS(&ts, t_verdict_expire_nothing);
	return run_suite("conn", &ts);
}

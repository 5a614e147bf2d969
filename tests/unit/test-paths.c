// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Whole connections, segment by segment: every note each segment must
 * produce, written from RFC 793/9293 and what Linux sends.  Each test runs in
 * both observation modes and with every set of ISNs (flow.c).
 */

#include "flow.h"

static const struct tt_timeouts *const T = &timeouts;

/* The time of the last note of the last segment. */
static u64 last_time(const struct flow *f)
{
	assert_true(f->nnotes > 0);
	return f->notes[f->nnotes - 1].time;
}

static void t_handshake(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;

	syn(f, A);
	expect_notes(f, N(C, CL, SS, ACTIVE_OPEN));
	assert_true(f->created);
	expect_states(f, SS, LI);
	synack(f, B);
	expect_notes(f, N(S, LI, SR, PASSIVE_OPEN));
	assert_false(f->created);
	expect_states(f, SS, SR);
	ack(f, A);
	/* The client's ACK shows it ESTABLISHED; arriving, it makes the
	 * server ESTABLISHED.
	 */
	expect_notes(f, N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	expect_states(f, ES, ES);
	assert_int_equal(c->client_side, A);
	assert_int_equal(c->opener, TT_WHO_CLIENT);
	assert_int_equal(c->closer, TT_WHO_NONE);
	assert_int_equal(c->outcome, TT_OUTCOME_OPEN);
	assert_int_equal(c->anomalies, 0);
	assert_true(c->flags & TT_FLOW_F_ESTABLISHED);
	assert_false(c->flags & (TT_FLOW_F_PICKED_UP | TT_FLOW_F_ENDED));
	assert_int_equal(c->peer[TT_CLIENT].isn, f->isn[A]);
	assert_int_equal(c->peer[TT_SERVER].isn, f->isn[B]);
	/* Data both ways changes nobody. */
	data(f, A, 1000);
	expect_no_notes(f);
	data(f, B, 3000);
	expect_no_notes(f);
	ack(f, A);
	expect_no_notes(f);
	expect_states(f, ES, ES);
	expect_counted(f);
	flow_free(f);
}

/* RFC 793 figure 8: both SYNs cross; each end goes SYN_SENT ->
 * SYN_RECEIVED -> ESTABLISHED, and neither SYN-ACK is a retransmission.
 */
static void check_simopen(struct flow *f)
{
	expect_states(f, ES, ES);
	expect_path(f, C, N(C, CL, SS, ACTIVE_OPEN),
		    N(C, SS, SR, SIMULTANEOUS_OPEN),
		    N(C, SR, ES, HANDSHAKE_DONE));
	expect_path(f, S, N(S, LI, SS, LISTEN_SYN),
		    N(S, SS, SR, SIMULTANEOUS_OPEN),
		    N(S, SR, ES, HANDSHAKE_DONE));
	assert_int_equal(f->c->opener, TT_WHO_BOTH);
	assert_int_equal(f->c->anomalies, 0);
	assert_true(f->c->flags & TT_FLOW_F_ESTABLISHED);
	expect_counted(f);
}

/* Seen in order: A's SYN, B's SYN, then the SYN-ACKs, A's first. */
static void t_simopen_a_first(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	syn(f, B);
	tx(f, A, fSYN | fACK, f->isn[A], f->nxt[B], 0);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	check_simopen(f);
	flow_free(f);
}

/* The same, B's SYN-ACK seen first. */
static void t_simopen_b_first(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	syn(f, B);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	tx(f, A, fSYN | fACK, f->isn[A], f->nxt[B], 0);
	check_simopen(f);
	flow_free(f);
}

/*
 * On loopback, each SYN leaves before the other arrives: the sightings
 * interleave (send A, send B, receive A, receive B) and each end changes
 * state when its own socket does.
 */
#define SND	(TT_OBS_SEND | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER)
#define RCV	(TT_OBS_RECV | TT_OBS_LOCAL_SENDER | TT_OBS_LOCAL_RECEIVER)

static void simopen_loopback(void **state, bool a_first)
{
	const struct variant_params *p = *state;
	struct flow *f;
	u32 ia = p->isns->isn[A], ib = p->isns->isn[B];
	int x = a_first ? A : B, y = !x;
	u32 ix = a_first ? ia : ib, iy = a_first ? ib : ia;

	assert_int_equal(p->mode, M_SPLIT);
	f = variant_flow(state, 32);
	tx_obs(f, A, SND, fSYN, ia, 0, 0);
	tx_obs(f, B, SND, fSYN, ib, 0, 0);
	tx_obs(f, A, RCV, fSYN, ia, 0, 0);
	tx_obs(f, B, RCV, fSYN, ib, 0, 0);
	expect_states(f, SR, SR);
	tx_obs(f, x, SND, fSYN | fACK, ix, iy + 1, 0);
	tx_obs(f, y, SND, fSYN | fACK, iy, ix + 1, 0);
	tx_obs(f, x, RCV, fSYN | fACK, ix, iy + 1, 0);
	tx_obs(f, y, RCV, fSYN | fACK, iy, ix + 1, 0);
	f->sent[A] = f->sent[B] = 2;
	check_simopen(f);
	flow_free(f);
}

static void t_simopen_loopback_a_first(void **state)
{
	simopen_loopback(state, true);
}

static void t_simopen_loopback_b_first(void **state)
{
	simopen_loopback(state, false);
}

static void t_refused(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	/* Linux's answer from a closed port: RST-ACK, seq 0. */
	tx(f, B, fRST | fACK, 0, f->nxt[A], 0);
	expect_notes(f, N(S, LI, CL, NOT_LISTENING), N(C, SS, CL, REFUSED));
	assert_true(f->ended);
	assert_true(tt_conn_ended(f->c));
	assert_int_equal(f->c->outcome, TT_OUTCOME_REFUSED);
	assert_int_equal(f->c->opener, TT_WHO_CLIENT);
	assert_int_equal(f->c->closer, TT_WHO_NONE);
	assert_false(f->c->flags & TT_FLOW_F_ESTABLISHED);
	assert_int_equal(f->c->anomalies, 0);
	expect_counted(f);
	flow_free(f);
}

/* The four-way close, @x closing first. */
static void four_way(void **state, int x)
{
	struct flow *f = variant_flow(state, 32);
	unsigned int wx, wy;
	int y = !x;
	u64 tw;

	established(f);
	wx = who_of(f, x);
	wy = who_of(f, y);
	fin(f, x);
	expect_notes(f, N(wx, ES, F1, ACTIVE_CLOSE), N(wy, ES, CW, PEER_FIN));
	ack(f, y);
	expect_notes(f, N(wx, F1, F2, FIN_ACKED));
	fin(f, y);
	expect_notes(f, N(wy, CW, LA, PASSIVE_CLOSE),
		     N(wx, F2, TW, SECOND_FIN));
	tw = last_time(f);
	assert_int_equal(f->c->outcome, TT_OUTCOME_OPEN);
	ack(f, x);
	expect_notes(f, N(wy, LA, CL, LAST_ACK_ACKED));
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	assert_false(f->ended);
	assert_int_equal(st(f, x), TW);
	assert_int_equal(f->c->closer, wx);

	/* TIME_WAIT lasts 2 * MSL from its start, then the flow ends. */
	assert_false(expire(f, tw + T->time_wait - 1, T));
	expect_no_notes(f);
	assert_int_equal(tt_conn_time_wait_left(f->c, tw + T->time_wait - 1,
						T), 1);
	assert_false(expire(f, tw + T->time_wait, T));
	expect_notes(f, N(wx, TW, CL, TIME_WAIT_DONE));
	assert_int_equal(f->notes[0].sender, TT_WHO_NONE);
	assert_true(f->ended);
	assert_int_equal(tt_conn_time_wait_left(f->c, tw + T->time_wait, T),
			 0);
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	/* Then it lingers, and goes. */
	assert_false(expire(f, tw + T->time_wait + T->linger - 1, T));
	assert_true(expire(f, tw + T->time_wait + T->linger, T));
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	expect_counted(f);
	flow_free(f);
}

static void t_close_client_first(void **state)
{
	four_way(state, A);
}

static void t_close_server_first(void **state)
{
	four_way(state, B);
}

/* The peer's FIN carries the ACK of ours: FIN_WAIT_2 is skipped. */
static void t_fin_wait_1_fin_ack(void **state)
{
	struct flow *f = variant_flow(state, 32);

	established(f);
	fin(f, A);
	fin(f, B);
	expect_notes(f, N(S, CW, LA, PASSIVE_CLOSE),
		     N(C, F1, TW, FIN_AND_ACK));
	ack(f, A);
	expect_notes(f, N(S, LA, CL, LAST_ACK_ACKED));
	expect_states(f, TW, CL);
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	assert_int_equal(f->c->closer, TT_WHO_CLIENT);
	expect_counted(f);
	flow_free(f);
}

/*
 * Both FINs cross: each end goes FIN_WAIT_1 -> CLOSING -> TIME_WAIT.  Seen
 * once, the first FIN seen is assumed to have arrived and moves B to
 * CLOSE_WAIT; B's own FIN, which does not acknowledge A's, shows that B had
 * not seen A's FIN yet: a simultaneous close, CLOSE_WAIT -> CLOSING.
 */
static void t_simultaneous_close(void **state)
{
	const struct variant_params *p = *state;
	struct flow *f = variant_flow(state, 32);
	u64 tw;

	established(f);
	cross(f, fFIN | fACK, fFIN | fACK);
	expect_states(f, CG, CG);
	assert_int_equal(f->c->closer, TT_WHO_BOTH);
	cross(f, fACK, fACK);
	expect_states(f, TW, TW);
	tw = last_time(f);
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	expect_path(f, C, N(C, CL, SS, ACTIVE_OPEN),
		    N(C, SS, ES, HANDSHAKE_ACK),
		    N(C, ES, F1, ACTIVE_CLOSE),
		    N(C, F1, CG, SIMULTANEOUS_CLOSE),
		    N(C, CG, TW, CLOSING_ACKED));
	if (p->mode == M_SPLIT)
		expect_path(f, S, N(S, LI, SR, PASSIVE_OPEN),
			    N(S, SR, ES, HANDSHAKE_DONE),
			    N(S, ES, F1, ACTIVE_CLOSE),
			    N(S, F1, CG, SIMULTANEOUS_CLOSE),
			    N(S, CG, TW, CLOSING_ACKED));
	else
		expect_path(f, S, N(S, LI, SR, PASSIVE_OPEN),
			    N(S, SR, ES, HANDSHAKE_DONE),
			    N(S, ES, CW, PEER_FIN),
			    N(S, CW, CG, SIMULTANEOUS_CLOSE),
			    N(S, CG, TW, CLOSING_ACKED));
	/* Both wait 2 * MSL; time_wait_left reports the longer wait. */
	assert_int_equal(tt_conn_time_wait_left(f->c, tw, T), T->time_wait);
	assert_false(expire(f, tw + T->time_wait, T));
	assert_int_equal(f->nnotes, 2);
	assert_true(find_note(f, C, TW, CL, TT_WHY_TIME_WAIT_DONE) >= 0);
	assert_true(find_note(f, S, TW, CL, TT_WHY_TIME_WAIT_DONE) >= 0);
	assert_true(f->ended);
	expect_counted(f);
	flow_free(f);
}

/* A half-close: A is done sending, B goes on sending for a while. */
static void t_half_close(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;
	int i;

	established(f);
	fin(f, A);
	ack(f, B);
	expect_states(f, F2, CW);
	for (i = 0; i < 3; i++) {
		data(f, B, 1000);
		expect_no_notes(f);
		ack(f, A);
		expect_no_notes(f);
		expect_states(f, F2, CW);
	}
	/* Client: SYN, ACK, 100 bytes, ACK, FIN, 3 ACKs; server: SYN-ACK,
	 * ACK, 200 bytes, ACK, 3 * 1000 bytes.
	 */
	assert_int_equal(c->peer[TT_CLIENT].packets, 8);
	assert_int_equal(c->peer[TT_CLIENT].bytes, 100);
	assert_int_equal(c->peer[TT_SERVER].packets, 7);
	assert_int_equal(c->peer[TT_SERVER].bytes, 3200);
	fin(f, B);
	expect_notes(f, N(S, CW, LA, PASSIVE_CLOSE),
		     N(C, F2, TW, SECOND_FIN));
	ack(f, A);
	expect_states(f, TW, CL);
	assert_int_equal(c->outcome, TT_OUTCOME_COMPLETED);
	assert_int_equal(c->peer[TT_CLIENT].packets, 9);
	assert_int_equal(c->peer[TT_SERVER].packets, 8);
	expect_counted(f);
	flow_free(f);
}

/*
 * The last ACK is lost after the observer, or before it: the server sends
 * its FIN again and TIME_WAIT starts anew (Linux: inet_twsk_reschedule()).
 */
static void tw_restart(void **state, bool last_ack_seen)
{
	struct flow *f = variant_flow(state, 32);
	u64 tw, again;

	established(f);
	fin(f, A);
	ack(f, B);
	fin(f, B);
	tw = last_time(f);
	if (last_ack_seen) {
		ack(f, A);
		expect_states(f, TW, CL);
	}
	f->now = tw + 30 * SEC - f->step;
	tx(f, B, fFIN | fACK, f->nxt[B] - 1, f->nxt[A], 0);
	again = f->now;
	expect_notes(f, RM(S, last_ack_seen ? CL : LA, RETRANSMITTED_FIN),
		     RM(C, TW, TIME_WAIT_RESTART));
	assert_true(f->c->anomalies & ANOM(RETRANS_FIN));
	assert_int_equal(tt_conn_time_wait_left(f->c, again, T),
			 T->time_wait);
	assert_false(expire(f, tw + T->time_wait, T));
	expect_no_notes(f);
	assert_int_equal(st(f, A), TW);
	assert_false(expire(f, again + T->time_wait - 1, T));
	expect_no_notes(f);
	assert_false(expire(f, again + T->time_wait, T));
	expect_notes(f, N(C, TW, CL, TIME_WAIT_DONE));
	if (last_ack_seen)
		assert_true(f->ended);
	expect_counted(f);
	flow_free(f);
}

static void t_tw_restart(void **state)
{
	tw_restart(state, false);
}

static void t_tw_restart_after_last_ack(void **state)
{
	tw_restart(state, true);
}

/* Idle flows go with an outcome that says how far they got. */
static void syn_only(struct flow *f)
{
	syn(f, A);
}

static void synack_unanswered(struct flow *f)
{
	syn(f, A);
	synack(f, B);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
}

static void half_closed(struct flow *f)
{
	established(f);
	fin(f, A);
	ack(f, B);
}

static void picked_up_ack(struct flow *f)
{
	data(f, A, 100);
}

static void picked_up_synack(struct flow *f)
{
	tx(f, A, fSYN | fACK, f->isn[A], f->nxt[B], 0);
}

static void fin_probe(struct flow *f)
{
	tx(f, A, fFIN, f->nxt[A], 0, 0);
}

static const struct {
	const char *name;
	void (*fn)(struct flow *f);
	u8 outcome;
} idles[] = {
	{ "syn", syn_only, TT_OUTCOME_HALF_OPEN },
	{ "synack-unanswered", synack_unanswered, TT_OUTCOME_HALF_OPEN },
	{ "fin-probe", fin_probe, TT_OUTCOME_HALF_OPEN },
	{ "established", established, TT_OUTCOME_TIMED_OUT },
	{ "half-closed", half_closed, TT_OUTCOME_TIMED_OUT },
	{ "picked-up-ack", picked_up_ack, TT_OUTCOME_MIDSTREAM },
	{ "picked-up-synack", picked_up_synack, TT_OUTCOME_MIDSTREAM },
};

static void t_idle(void **state)
{
	unsigned int i, m;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(idles); i++)
		for (m = 0; m < M_MODES; m++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 8);
			u64 last;

			idles[i].fn(f);
			last = f->c->last_seen;
			assert_int_equal(last, f->now);
			assert_false(expire(f, last + T->idle - 1, T));
			assert_false(f->ended);
			assert_int_equal(f->c->outcome, TT_OUTCOME_OPEN);
			if (!expire(f, last + T->idle, T))
				fail_msg("%s: not expired", idles[i].name);
			assert_true(f->ended);
			if (f->c->outcome != idles[i].outcome)
				fail_msg("%s: outcome %s, expected %s",
					 idles[i].name,
					 tt_outcome_name(f->c->outcome),
					 tt_outcome_name(idles[i].outcome));
			flow_free(f);
		}
}

/*
 * RFC 793 figure 10, and a half-open SYN scan (nmap -sS) answered by the
 * scanner's kernel: a SYN the client's socket did not send gets a SYN-ACK,
 * and the client's TCP refuses it with RST (seq = the SYN-ACK's ACK).
 */
static void t_old_duplicate_syn(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	synack(f, B);
	tx(f, A, fRST, f->nxt[A], 0, 0);
	expect_notes(f, N(C, SS, CL, REJECT_SYNACK),
		     N(S, SR, CL, HALF_OPEN_RESET));
	assert_true(f->ended);
	assert_int_equal(f->c->outcome, TT_OUTCOME_HALF_OPEN);
	assert_int_equal(f->c->anomalies, ANOM(HALF_OPEN));
	assert_int_equal(f->notes[1].anomalies, ANOM(HALF_OPEN));
	assert_false(f->c->flags & TT_FLOW_F_ESTABLISHED);
	expect_counted(f);
	flow_free(f);
}

/*
 * RFC 793 figure 9, recovery from an old duplicate SYN.  A sends its SYN
 * (ISN x); an old SYN of A's (ISN x - 10) reaches B first, and B's SYN-ACK
 * (ISN y) acknowledges that one: not A's SYN (synack-bad-ack).  A's TCP
 * answers it with RST at that ACK number and stays in SYN_SENT.  A's SYN,
 * sent again, gets a SYN-ACK of its own (a later ISN: Linux's ISNs follow
 * a clock, RFC 6528) and the handshake completes.
 */
static void t_old_duplicate_syn_recovery(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 x = f->isn[A], y = f->isn[B], z = y + 64000;

	syn(f, A);
	tx(f, A, fSYN, x - 10, 0, 0);		/* the old duplicate */
	expect_no_notes(f);
	tx(f, B, fSYN | fACK, y, x - 9, 0);	/* answers the old one */
	expect_notes(f, N(S, LI, SR, PASSIVE_OPEN),
		     RM(C, SS, SYNACK_BAD_ACK));
	tx(f, A, fRST, x - 9, 0, 0);		/* A's TCP refuses it */
	assert_int_equal(st(f, A), SS);
	assert_int_equal(find_note(f, C, SS, CL, TT_WHY_REJECT_SYNACK), -1);
	tx(f, A, fSYN, x, 0, 0);		/* A's SYN again */
	assert_true(find_note(f, C, SS, SS, TT_WHY_RETRANSMITTED_SYN) >= 0);
	tx(f, B, fSYN | fACK, z, x + 1, 0);	/* answers A's SYN */
	assert_int_equal(find_note(f, C, SS, SS, TT_WHY_SYNACK_BAD_ACK), -1);
	tx(f, A, fACK, x + 1, z + 1, 0);
	expect_states(f, ES, ES);
	assert_true(f->c->anomalies & ANOM(RETRANS_SYN));
	flow_free(f);
}

/* A half-open scan whose SYN-ACK nobody answers: the server resends it. */
static void t_syn_scan_unanswered(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u64 last;

	syn(f, A);
	synack(f, B);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	expect_notes(f, RM(S, SR, RETRANSMITTED_SYNACK));
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	expect_notes(f, RM(S, SR, RETRANSMITTED_SYNACK));
	expect_states(f, SS, SR);
	last = f->now;
	assert_true(expire(f, last + T->idle, T));
	assert_int_equal(f->c->outcome, TT_OUTCOME_HALF_OPEN);
	assert_int_equal(f->c->anomalies, ANOM(RETRANS_SYNACK));
	expect_counted(f);
	flow_free(f);
}

/* FIN, NULL and XMAS probes (nmap -sF/-sN/-sX). */
static const struct {
	const char *name;
	u8 flags;
	u32 anomaly;
} probes[] = {
	{ "fin", fFIN, ANOM(FIN_NO_ACK) },
	{ "null", 0, ANOM(NULL) },
	{ "xmas", fFIN | fPSH | fURG, ANOM(XMAS) },
};

static void t_scan_probes(void **state)
{
	const struct variant_params *p = *state;
	unsigned int i, closed;

	for (i = 0; i < ARRAY_SIZE(probes); i++)
		for (closed = 0; closed < 2; closed++) {
			struct flow *f = variant_flow(state, 32);
			u8 fl = probes[i].flags;
			u32 seq = p->isns->isn[A];

			tx(f, A, fl, seq, 0, 0);
			expect_notes(f, RM(C, CL, SCAN_PROBE),
				     RM(C, CL, ODD_SEGMENT));
			assert_int_equal(f->notes[0].anomalies,
					 ANOM(SCAN_PROBE));
			assert_int_equal(f->notes[1].anomalies,
					 probes[i].anomaly);
			assert_int_equal(f->c->anomalies,
					 ANOM(SCAN_PROBE) | probes[i].anomaly);
			expect_states(f, CL, LI);
			if (!closed) {
				/* An open port stays silent (RFC 793 p. 65). */
				assert_true(expire(f, f->now + T->idle, T));
				assert_int_equal(f->c->outcome,
						 TT_OUTCOME_HALF_OPEN);
				flow_free(f);
				continue;
			}
			/* A closed port answers RST-ACK, seq 0, acking
			 * the probe's FIN if it had one.
			 */
			tx(f, B, fRST | fACK, 0, seq + !!(fl & fFIN), 0);
			expect_notes(f, N(S, LI, CL, NOT_LISTENING));
			assert_true(f->ended);
			assert_int_equal(f->c->outcome, TT_OUTCOME_REFUSED);
			expect_counted(f);
			flow_free(f);
		}
}

/* Picked up mid-stream by an ACK: both ends assumed ESTABLISHED. */
static void t_midstream_ack(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;

	data(f, A, 100);
	expect_notes(f, RM(C, ES, PICKED_UP));
	assert_true(f->created);
	assert_int_equal(f->notes[0].anomalies, ANOM(MIDSTREAM));
	expect_states(f, ES, ES);
	assert_int_equal(c->client_side, A);
	assert_int_equal(c->flags & (TT_FLOW_F_PICKED_UP |
				     TT_FLOW_F_ESTABLISHED),
			 TT_FLOW_F_PICKED_UP | TT_FLOW_F_ESTABLISHED);
	assert_int_equal(c->anomalies, ANOM(MIDSTREAM));
	assert_int_equal(c->opener, TT_WHO_NONE);
	data(f, B, 500);
	expect_no_notes(f);
	/* Its end is seen as usual. */
	fin(f, B);
	expect_notes(f, N(S, ES, F1, ACTIVE_CLOSE), N(C, ES, CW, PEER_FIN));
	fin(f, A);
	expect_notes(f, N(C, CW, LA, PASSIVE_CLOSE),
		     N(S, F1, TW, FIN_AND_ACK));
	ack(f, B);
	expect_notes(f, N(C, LA, CL, LAST_ACK_ACKED));
	assert_int_equal(c->outcome, TT_OUTCOME_COMPLETED);
	assert_int_equal(c->closer, TT_WHO_SERVER);
	expect_counted(f);
	flow_free(f);
}

/* Picked up by a FIN-ACK: established assumed, then the FIN applies. */
static void t_midstream_fin(void **state)
{
	struct flow *f = variant_flow(state, 32);

	fin(f, A);
	expect_notes(f, RM(C, ES, PICKED_UP), N(C, ES, F1, ACTIVE_CLOSE),
		     N(S, ES, CW, PEER_FIN));
	expect_counted(f);
	flow_free(f);
}

/* Picked up by a SYN-ACK: its receiver is the client, in SYN_SENT. */
static void t_midstream_synack(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;

	/* A answers a SYN from B that was not seen. */
	f->nxt[B]++;
	tx(f, A, fSYN | fACK, f->isn[A], f->nxt[B], 0);
	f->nxt[A]++;
	assert_int_equal(c->client_side, B);
	assert_int_equal(peer_of(f, B), TT_CLIENT);
	expect_notes(f, RM(C, SS, PICKED_UP), N(S, LI, SR, PASSIVE_OPEN));
	expect_states(f, SS, SR);
	assert_true(c->flags & TT_FLOW_F_PICKED_UP);
	assert_false(c->flags & TT_FLOW_F_ESTABLISHED);
	assert_int_equal(c->anomalies, ANOM(MIDSTREAM));
	assert_int_equal(c->peer[TT_CLIENT].isn, f->isn[B]);
	/* The SYN-ACK proves the client sent the SYN we missed. */
	assert_int_equal(c->opener, TT_WHO_CLIENT);
	ack(f, B);
	expect_notes(f, N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	expect_counted(f);
	flow_free(f);
}

/*
 * The orphan RST of FIN_WAIT_2: A closed, its application too, and
 * tcp_fin_timeout dropped its FIN_WAIT_2 before B's FIN came.  The FIN
 * seen, A looks to enter TIME_WAIT; but A's host answers it with RST (at
 * the FIN's ACK number, without ACK: tcp_v4_send_reset()), which TIME_WAIT
 * never does.  B in LAST_ACK takes the RST.
 */
static void t_fin_wait_2_orphan(void **state)
{
	struct flow *f = variant_flow(state, 32);

	established(f);
	fin(f, A);
	ack(f, B);
	expect_states(f, F2, CW);
	f->now += 60 * SEC;
	fin(f, B);
	expect_notes(f, N(S, CW, LA, PASSIVE_CLOSE),
		     N(C, F2, TW, SECOND_FIN));
	tx(f, A, fRST, f->nxt[A], 0, 0);
	expect_notes(f, N(C, TW, CL, SOCKET_GONE), N(S, LA, CL, RESET));
	assert_true(f->ended);
	assert_int_equal(f->c->outcome, TT_OUTCOME_RESET_BY_CLIENT);
	expect_counted(f);
	flow_free(f);
}

/* A real TIME_WAIT acknowledged the FIN: its RST is an abort. */
static void t_time_wait_rst_after_ack(void **state)
{
	struct flow *f = variant_flow(state, 32);

	established(f);
	fin(f, A);
	ack(f, B);
	fin(f, B);
	ack(f, A);
	tx(f, A, fRST, f->nxt[A], 0, 0);
	expect_notes(f, N(C, TW, CL, ABORT));
	assert_int_equal(f->c->outcome, TT_OUTCOME_COMPLETED);
	flow_free(f);
}

/*
 * One-sided captures: only A's segments are seen (asymmetric routing, a
 * one-way tap).  A's ACK in SYN_SENT proves the server's SYN-ACK, and the
 * handshake completes; A's FIN closes as usual.  A's ACK of one more byte
 * after its FIN cannot tell B's FIN from a byte of data: B stays in
 * CLOSE_WAIT, and the flow times out as one-sided.
 */
static void t_one_sided_client(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;

	syn(f, A);
	unseen(f, B, fSYN | fACK, 0);
	ack(f, A);
	expect_notes(f, RM(S, LI, ONE_SIDED), N(S, LI, SR, PASSIVE_OPEN),
		     N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	assert_int_equal(f->notes[0].anomalies, ANOM(ONE_SIDED));
	assert_int_equal(f->notes[0].sender, TT_WHO_CLIENT);
	assert_int_equal(c->peer[TT_SERVER].isn, f->isn[B]);
	data(f, A, 5);
	unseen(f, B, fACK | fPSH, 6);
	ack(f, A);
	expect_no_notes(f);
	fin(f, A);
	expect_notes(f, N(C, ES, F1, ACTIVE_CLOSE), N(S, ES, CW, PEER_FIN));
	unseen(f, B, fACK, 0);
	unseen(f, B, fFIN | fACK, 0);
	ack(f, A);
	expect_no_notes(f);
	expect_states(f, F1, CW);
	assert_int_equal(c->anomalies, ANOM(ONE_SIDED));
	assert_true(expire(f, f->now + timeouts.idle, &timeouts));
	assert_int_equal(c->outcome, TT_OUTCOME_ONE_SIDED);
	assert_int_equal(c->peer[TT_SERVER].packets, 0);
	expect_counted(f);
	flow_free(f);
}

/*
 * Only B's segments are seen.  B's SYN-ACK shows a client in SYN_SENT (as
 * any pick-up does); B's acknowledgment of more than the client's SYN
 * proves that the client acknowledged the SYN-ACK and sent data: both are
 * ESTABLISHED.
 */
static void t_one_sided_server(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_conn *c = f->c;

	unseen(f, A, fSYN, 0);
	synack(f, B);
	expect_notes(f, RM(C, SS, PICKED_UP), N(S, LI, SR, PASSIVE_OPEN));
	unseen(f, A, fACK, 0);
	unseen(f, A, fACK | fPSH, 5);
	data(f, B, 6);
	expect_notes(f, RM(C, SS, ONE_SIDED), N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	assert_int_equal(f->notes[0].sender, TT_WHO_SERVER);
	fin(f, B);
	expect_notes(f, N(S, ES, F1, ACTIVE_CLOSE), N(C, ES, CW, PEER_FIN));
	assert_int_equal(c->anomalies, ANOM(MIDSTREAM) | ANOM(ONE_SIDED));
	assert_true(expire(f, f->now + timeouts.idle, &timeouts));
	assert_int_equal(c->outcome, TT_OUTCOME_ONE_SIDED);
	expect_counted(f);
	flow_free(f);
}

/*
 * Not one-sided: a server in SYN_RECEIVED whose SYN-ACK is answered by a
 * lost ACK sends data acknowledging only the SYN (as TCP Fast Open lets
 * it): nothing is proven.  And an ACK that acknowledges unseen data of an
 * established peer, a segment the capture missed, proves no state.
 */
static void t_one_sided_not(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	synack(f, B);
	data(f, B, 10);
	expect_no_notes(f);
	expect_states(f, SS, SR);
	ack(f, A);
	expect_states(f, ES, ES);
	unseen(f, B, fACK | fPSH, 10);
	ack(f, A);
	expect_no_notes(f);
	assert_int_equal(f->c->anomalies, 0);
	flow_free(f);
}

/* A SYN on a 4-tuple whose ends are CLOSED or in TIME_WAIT is a new
 * connection (RFC 1122 4.2.2.13); a SYN while it is open is not.
 */
static bool new_conn(struct flow *f, u8 flags)
{
	struct tt_seg s = {
		.seq = f->nxt[A] + 100000,
		.flags = flags,
		.segs = 1,
	};

	return tt_conn_new_incarnation(f->c, &s);
}

static void t_new_incarnation(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_verdict v;
	struct tt_seg s = { .seq = 77, .flags = fSYN, .segs = 1 };

	assert_false(new_conn(f, fSYN));	/* no segment yet */
	syn(f, A);
	assert_false(new_conn(f, fSYN));	/* SYN_SENT / LISTEN */
	synack(f, B);
	assert_false(new_conn(f, fSYN));
	ack(f, A);
	assert_false(new_conn(f, fSYN));	/* ESTABLISHED */
	fin(f, A);
	assert_false(new_conn(f, fSYN));
	ack(f, B);
	fin(f, B);
	assert_false(new_conn(f, fSYN));	/* TIME_WAIT / LAST_ACK */
	ack(f, A);
	expect_states(f, TW, CL);
	assert_true(new_conn(f, fSYN));		/* TIME_WAIT / CLOSED */
	assert_true(new_conn(f, fSYN | fECE | fCWR));	/* ECN setup */
	assert_false(new_conn(f, fSYN | fACK));
	assert_false(new_conn(f, fACK));
	assert_false(new_conn(f, fRST));
	assert_false(new_conn(f, fSYN | fFIN));
	assert_false(expire(f, f->now + T->time_wait, T));
	expect_states(f, CL, CL);
	assert_true(new_conn(f, fSYN));		/* CLOSED / CLOSED */

	/* The caller starts a new flow for it. */
	tt_conn_init(f->c, f->c->hist, f->c->hist_depth);
	tt_conn_segment(f->c, &s, B, TT_OBS_BOTH, f->now, &v);
	assert_true(v.created);
	assert_int_equal(f->c->client_side, B);
	assert_int_equal(v.nnotes, 1);
	assert_int_equal(v.notes[0].why, TT_WHY_ACTIVE_OPEN);
	assert_int_equal(f->c->peer[TT_CLIENT].isn, 77);
	flow_free(f);
}

static void t_new_incarnation_after_refused(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	tx(f, B, fRST | fACK, 0, f->nxt[A], 0);
	assert_true(new_conn(f, fSYN));
	flow_free(f);
}

int main(void)
{
	struct tests ts = { 0 };

	VARIANTS(&ts, t_handshake);
	VARIANTS(&ts, t_simopen_a_first);
	VARIANTS(&ts, t_simopen_b_first);
	SPLIT_VARIANTS(&ts, t_simopen_loopback_a_first);
	SPLIT_VARIANTS(&ts, t_simopen_loopback_b_first);
	VARIANTS(&ts, t_refused);
	VARIANTS(&ts, t_close_client_first);
	VARIANTS(&ts, t_close_server_first);
	VARIANTS(&ts, t_fin_wait_1_fin_ack);
	VARIANTS(&ts, t_simultaneous_close);
	VARIANTS(&ts, t_half_close);
	VARIANTS(&ts, t_tw_restart);
	VARIANTS(&ts, t_tw_restart_after_last_ack);
	TEST(&ts, t_idle);
	VARIANTS(&ts, t_old_duplicate_syn);
	VARIANTS(&ts, t_old_duplicate_syn_recovery);
	VARIANTS(&ts, t_syn_scan_unanswered);
	VARIANTS(&ts, t_scan_probes);
	VARIANTS(&ts, t_midstream_ack);
	VARIANTS(&ts, t_midstream_fin);
	VARIANTS(&ts, t_midstream_synack);
	VARIANTS(&ts, t_fin_wait_2_orphan);
	VARIANTS(&ts, t_time_wait_rst_after_ack);
	VARIANTS(&ts, t_one_sided_client);
	VARIANTS(&ts, t_one_sided_server);
	VARIANTS(&ts, t_one_sided_not);
	VARIANTS(&ts, t_new_incarnation);
	VARIANTS(&ts, t_new_incarnation_after_refused);
	return run_suite("paths", &ts);
}

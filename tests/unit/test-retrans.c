// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Retransmissions: of SYN, SYN-ACK, FIN and data.  Each is a remark on its
 * sender, never a transition; each sets its anomaly bit; data resends are
 * noted once per run (until new data is sent).  On loopback a segment is
 * seen twice but counted, and remarked on, once.  Every test runs in both
 * modes and with every set of ISNs, so detection across a wrap of the
 * sequence space is checked too (isn-wrap-data resends bytes that straddle
 * 2^32).
 */

#include "flow.h"

static void t_retrans_syn(void **state)
{
	struct flow *f = variant_flow(state, 32);
	int i;

	syn(f, A);
	for (i = 0; i < 2; i++) {
		tx(f, A, fSYN, f->isn[A], 0, 0);
		expect_notes(f, RM(C, SS, RETRANSMITTED_SYN));
		assert_int_equal(f->notes[0].anomalies, ANOM(RETRANS_SYN));
		expect_states(f, SS, LI);
	}
	assert_int_equal(f->c->anomalies, ANOM(RETRANS_SYN));
	synack(f, B);
	ack(f, A);
	expect_states(f, ES, ES);
	expect_counted(f);
	flow_free(f);
}

/* The SYN-ACK was lost: the client resends its SYN, the server its
 * SYN-ACK; the server stays in SYN_RECEIVED.
 */
static void t_retrans_syn_and_synack(void **state)
{
	struct flow *f = variant_flow(state, 32);

	syn(f, A);
	synack(f, B);
	tx(f, A, fSYN, f->isn[A], 0, 0);
	expect_notes(f, RM(C, SS, RETRANSMITTED_SYN));
	expect_states(f, SS, SR);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	expect_notes(f, RM(S, SR, RETRANSMITTED_SYNACK));
	assert_int_equal(f->notes[0].anomalies, ANOM(RETRANS_SYNACK));
	expect_states(f, SS, SR);
	ack(f, A);
	expect_notes(f, N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	assert_int_equal(f->c->anomalies,
			 ANOM(RETRANS_SYN) | ANOM(RETRANS_SYNACK));
	expect_counted(f);
	flow_free(f);
}

/* The client's ACK was lost after the observer: the server resends its
 * SYN-ACK to an established client.  Nobody moves.
 */
static void t_retrans_synack_after_ack(void **state)
{
	struct flow *f = variant_flow(state, 32);

	handshake(f);
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
	expect_notes(f, RM(S, ES, RETRANSMITTED_SYNACK));
	expect_states(f, ES, ES);
	ack(f, A);
	expect_no_notes(f);
	expect_counted(f);
	flow_free(f);
}

static void t_retrans_fin(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 fin_seq;
	int i;

	established(f);
	fin_seq = f->nxt[A];
	fin(f, A);
	for (i = 0; i < 2; i++) {
		tx(f, A, fFIN | fACK, fin_seq, f->nxt[B], 0);
		expect_notes(f, RM(C, F1, RETRANSMITTED_FIN));
		assert_int_equal(f->notes[0].anomalies, ANOM(RETRANS_FIN));
		expect_states(f, F1, CW);
	}
	assert_int_equal(f->c->anomalies, ANOM(RETRANS_FIN));
	ack(f, B);
	expect_notes(f, N(C, F1, F2, FIN_ACKED));
	expect_counted(f);
	flow_free(f);
}

/* A FIN that carries the last 50 bytes, sent again whole. */
static void t_retrans_fin_with_data(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 seq;

	established(f);
	seq = f->nxt[A];
	seg(f, A, fFIN | fACK | fPSH, 50);
	expect_notes(f, N(C, ES, F1, ACTIVE_CLOSE), N(S, ES, CW, PEER_FIN));
	tx(f, A, fFIN | fACK | fPSH, seq, f->nxt[B], 50);
	expect_notes(f, RM(C, F1, RETRANSMITTED_FIN));
	assert_int_equal(f->c->anomalies, ANOM(RETRANS_FIN));
	ack(f, B);
	expect_notes(f, N(C, F1, F2, FIN_ACKED));
	expect_counted(f);
	flow_free(f);
}

static void t_retrans_data(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 s1, s2, ack_b;

	established(f);
	ack_b = f->nxt[B];
	s1 = f->nxt[A];
	data(f, A, 100);
	expect_no_notes(f);
	/* The first resend of a run is noted... */
	tx(f, A, fACK | fPSH, s1, ack_b, 100);
	expect_notes(f, RM(C, ES, RETRANSMITTED_DATA));
	assert_int_equal(f->notes[0].anomalies, ANOM(RETRANS_DATA));
	/* ...the rest of the run is not, whole or in part. */
	tx(f, A, fACK | fPSH, s1, ack_b, 100);
	expect_no_notes(f);
	tx(f, A, fACK | fPSH, s1 + 50, ack_b, 50);
	expect_no_notes(f);
	/* New data ends the run; its resend starts a new one. */
	s2 = f->nxt[A];
	data(f, A, 100);
	expect_no_notes(f);
	tx(f, A, fACK | fPSH, s2, ack_b, 100);
	expect_notes(f, RM(C, ES, RETRANSMITTED_DATA));
	expect_states(f, ES, ES);
	assert_int_equal(f->c->anomalies, ANOM(RETRANS_DATA));
	expect_counted(f);
	flow_free(f);
}

/* Not resends: bytes partly new, a keepalive, a pure ACK. */
static void t_not_retrans(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 s1;

	established(f);
	s1 = f->nxt[A];
	data(f, A, 100);
	tx(f, A, fACK | fPSH, s1 + 50, f->nxt[B], 100);	/* 50 new bytes */
	f->nxt[A] += 50;
	expect_no_notes(f);
	/* Linux's keepalive: seq SND.UNA - 1, no data. */
	tx(f, A, fACK, f->nxt[A] - 1, f->nxt[B], 0);
	expect_no_notes(f);
	ack(f, A);
	ack(f, A);
	expect_no_notes(f);
	assert_int_equal(f->c->anomalies, 0);
	expect_counted(f);
	flow_free(f);
}

/* The server resends data while the client is half-closed. */
static void t_retrans_data_half_closed(void **state)
{
	struct flow *f = variant_flow(state, 32);
	u32 s;

	established(f);
	fin(f, A);
	ack(f, B);
	s = f->nxt[B];
	data(f, B, 1000);
	tx(f, B, fACK | fPSH, s, f->nxt[A], 1000);
	expect_notes(f, RM(S, CW, RETRANSMITTED_DATA));
	expect_states(f, F2, CW);
	expect_counted(f);
	flow_free(f);
}

/* A GSO/GRO packet counts as the segments it carries. */
static void t_gso_counts(void **state)
{
	struct flow *f = variant_flow(state, 32);
	struct tt_verdict v;
	struct tt_seg s = {
		.seq = 0, .ack = 0, .len = 4 * 1448, .segs = 4,
		.flags = fACK | fPSH, .window = 502, .doff = 20,
	};
	u64 before;

	established(f);
	s.seq = f->nxt[A];
	s.ack = f->nxt[B];
	before = f->c->peer[TT_CLIENT].packets;
	if (f->mode == M_BOTH) {
		tt_conn_segment(f->c, &s, A, TT_OBS_BOTH, f->now, &v);
	} else {
		tt_conn_segment(f->c, &s, A, TT_OBS_SEND, f->now, &v);
		tt_conn_segment(f->c, &s, A, TT_OBS_RECV, f->now, &v);
	}
	assert_int_equal(f->c->peer[TT_CLIENT].packets, before + 4);
	assert_int_equal(f->c->peer[TT_CLIENT].bytes,
			 f->sent_bytes[A] + 4 * 1448);
	flow_free(f);
}

int main(void)
{
	struct tests ts = { 0 };

	VARIANTS(&ts, t_retrans_syn);
	VARIANTS(&ts, t_retrans_syn_and_synack);
	VARIANTS(&ts, t_retrans_synack_after_ack);
	VARIANTS(&ts, t_retrans_fin);
	VARIANTS(&ts, t_retrans_fin_with_data);
	VARIANTS(&ts, t_retrans_data);
	VARIANTS(&ts, t_not_retrans);
	VARIANTS(&ts, t_retrans_data_half_closed);
	VARIANTS(&ts, t_gso_counts);
	return run_suite("retrans", &ts);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Sequence numbers around 2^32 (RFC 793 3.3, RFC 1982): every check the
 * core makes, at the exact boundary where the wrap falls.  The table, RST,
 * path and retransmission suites also run whole connections with ISNs that
 * put the wrap in the SYN, the data and the FIN (flow.c); these tests pin
 * the edges: one less is not enough, one more is too much.
 */

#include "flow.h"

#define WND	(502U << 7)	/* what the harness's peers offer */

static void t_before_after(void **state)
{
	static const struct {
		u32 a, b;
		bool before, after;
	} cases[] = {
		{ 1, 2, true, false },
		{ 2, 1, false, true },
		{ 5, 5, false, false },
		{ 0xffffffffU, 0, true, false },
		{ 0, 0xffffffffU, false, true },
		{ 0xfffffff0U, 0x10, true, false },
		{ 0x10, 0xfffffff0U, false, true },
		/* Up to 2^31 - 1 apart, either way round. */
		{ 0, 0x7fffffffU, true, false },
		{ 0x7fffffffU, 0, false, true },
		{ 0x80000000U, 0xffffffffU, true, false },
		{ 0xffffffffU, 0x7ffffffeU, true, false },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (tt_before(cases[i].a, cases[i].b) != cases[i].before ||
		    tt_after(cases[i].a, cases[i].b) != cases[i].after)
			fail_msg("%#x vs %#x", cases[i].a, cases[i].b);
	}
}

static struct flow *wrap_flow(void **state, u32 isn_a, u32 isn_b)
{
	const struct variant_params *p = *state;

	return flow_new(p->mode, (const u32[]){ isn_a, isn_b }, 32);
}

/* The ACK of a SYN at 0xffffffff is 0; 0xffffffff itself is not it. */
static void t_syn_ack_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffffffU, 0xffffffffU);

	syn(f, A);
	assert_int_equal(f->nxt[A], 0);
	synack(f, B);
	assert_int_equal(f->c->peer[TT_CLIENT].isn, 0xffffffffU);
	/* Short by one: acknowledges nothing of the SYN-ACK. */
	tx(f, A, fACK, 0, 0xffffffffU, 0);
	expect_no_notes(f);
	expect_states(f, SS, SR);
	tx(f, A, fACK, 0, 0, 0);
	expect_notes(f, N(C, SS, ES, HANDSHAKE_ACK),
		     N(S, SR, ES, HANDSHAKE_DONE));
	flow_free(f);
}

/* A FIN at 0xffffffff: ACK 0 covers it; 0xffffffff and 1 do not (1 would
 * acknowledge a byte never sent).
 */
static void t_fin_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffffffU - 101, 1000);

	established(f);
	assert_int_equal(f->nxt[A], 0xffffffffU);
	fin(f, A);
	expect_notes(f, N(C, ES, F1, ACTIVE_CLOSE), N(S, ES, CW, PEER_FIN));
	tx(f, B, fACK, f->nxt[B], 0xffffffffU, 0);
	expect_no_notes(f);
	tx(f, B, fACK, f->nxt[B], 1, 0);
	expect_no_notes(f);
	tx(f, B, fACK, f->nxt[B], 0, 0);
	expect_notes(f, N(C, F1, F2, FIN_ACKED));
	/* The FIN sent again is a resend, across the wrap. */
	tx(f, A, fFIN | fACK, 0xffffffffU, f->nxt[B], 0);
	expect_notes(f, RM(C, F2, RETRANSMITTED_FIN));
	flow_free(f);
}

/* RCV.NXT wrapped to 0: RST 0 is exact; 0xffffffff is RCV.NXT - 1, exact
 * only after the peer's FIN.
 */
static void t_rst_exact_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffffffU - 100, 1000);

	established(f);
	assert_int_equal(f->nxt[A], 0);
	tx(f, A, fRST | fACK, 0xffffffffU, f->nxt[B], 0);
	expect_notes(f, RM(S, ES, RST_OUT_OF_WINDOW));
	tx(f, A, fRST | fACK, 0, f->nxt[B], 0);
	expect_notes(f, N(C, ES, CL, ABORT), N(S, ES, CL, RESET));
	flow_free(f);

	f = wrap_flow(state, 0xffffffffU - 101, 1000);
	established(f);
	fin(f, A);			/* the FIN is 0xffffffff */
	assert_int_equal(f->nxt[A], 0);
	tx(f, A, fRST | fACK, 0xffffffffU, f->nxt[B], 0);
	expect_notes(f, N(C, F1, CL, ABORT), N(S, CW, CL, RESET));
	flow_free(f);
}

/* RCV.NXT 0xffffff00 and a window of 64256: its edge is 0xfb00. */
static void t_rst_window_at_wrap(void **state)
{
	static const struct {
		u32 seq;
		u8 why;
	} cases[] = {
		{ 0xffffff00U + 1, TT_WHY_RST_CHALLENGE },
		{ 0xffffffffU, TT_WHY_RST_CHALLENGE },
		{ 0, TT_WHY_RST_CHALLENGE },
		{ 0xffffff00U + WND, TT_WHY_RST_CHALLENGE },	/* 0xfb00 */
		{ 0xffffff00U + WND + 1, TT_WHY_RST_OUT_OF_WINDOW },
		{ 0x7fffff00U, TT_WHY_RST_OUT_OF_WINDOW },
		{ 0xfffffeffU, TT_WHY_RST_OUT_OF_WINDOW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct flow *f = wrap_flow(state, 0xffffff00U - 1, 1000);

		handshake(f);
		ack(f, B);	/* B's window is now 502 << 7, scaled */
		assert_int_equal(f->nxt[A], 0xffffff00U);
		tx(f, A, fRST | fACK, cases[i].seq, f->nxt[B], 0);
		if (f->nnotes != 1 || f->notes[0].why != cases[i].why)
			fail_msg("RST %#x: %s, expected %s", cases[i].seq,
				 f->nnotes ? tt_why_name(f->notes[0].why) :
				 "no note", tt_why_name(cases[i].why));
		expect_states(f, ES, ES);
		flow_free(f);
	}
}

/* SYN_RECEIVED takes any RST in [RCV.NXT, RCV.NXT + window], wrapped. */
static void t_rst_syn_received_at_wrap(void **state)
{
	static const struct {
		u32 seq;
		bool accepted;
	} cases[] = {
		{ 0xffffffffU, true },		/* RCV.NXT */
		{ 0, true },
		{ 64240 - 1, true },		/* RCV.NXT + window */
		{ 64240, false },
		{ 0xfffffffeU, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* RCV.NXT: the client's ISN + 1, 0xffffffff. */
		struct flow *f = wrap_flow(state, 0xfffffffeU, 1000);

		syn(f, A);
		synack(f, B);
		assert_int_equal(f->nxt[A], 0xffffffffU);
		tx(f, A, fRST, cases[i].seq, 0, 0);
		if (cases[i].accepted)
			assert_int_equal(st(f, B), CL);
		else
			expect_notes(f, RM(S, SR, RST_OUT_OF_WINDOW));
		flow_free(f);
	}
}

/* Data straddling the wrap, resent whole and in parts. */
static void t_retrans_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffff9bU, 1000);
	u32 ack_b;

	handshake(f);
	ack_b = f->nxt[B];
	assert_int_equal(f->nxt[A], 0xffffff9cU);
	data(f, A, 200);		/* 0xffffff9c .. 0x63 */
	assert_int_equal(f->nxt[A], 100);
	tx(f, A, fACK | fPSH, 0xffffff9cU, ack_b, 200);
	expect_notes(f, RM(C, ES, RETRANSMITTED_DATA));
	tx(f, A, fACK | fPSH, 0xffffff9cU, ack_b, 100);	/* up to the wrap */
	expect_no_notes(f);
	tx(f, A, fACK | fPSH, 0, ack_b, 100);		/* after it */
	expect_no_notes(f);
	data(f, A, 10);
	expect_no_notes(f);
	tx(f, A, fACK | fPSH, 0xffffffffU, ack_b, 111);	/* all old */
	expect_notes(f, RM(C, ES, RETRANSMITTED_DATA));
	tx(f, A, fACK | fPSH, 0xffffffffU, ack_b, 112);	/* one new byte */
	f->nxt[A]++;
	expect_no_notes(f);
	expect_counted(f);
	flow_free(f);
}

/* A SYN at 0xffffffff sent again. */
static void t_retrans_syn_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffffffU, 0);

	syn(f, A);
	tx(f, A, fSYN, 0xffffffffU, 0, 0);
	expect_notes(f, RM(C, SS, RETRANSMITTED_SYN));
	tx(f, A, fSYN, 0, 0, 0);	/* another ISN: not a resend */
	expect_no_notes(f);
	flow_free(f);
}

/* A RST in SYN_SENT must acknowledge the SYN at 0xffffffff with 0. */
static void t_rst_syn_sent_at_wrap(void **state)
{
	struct flow *f = wrap_flow(state, 0xffffffffU, 0);

	syn(f, A);
	tx(f, B, fRST | fACK, 0, 0xffffffffU, 0);
	expect_notes(f, RM(C, SS, RST_BAD_ACK));
	tx(f, B, fRST | fACK, 0, 1, 0);
	expect_notes(f, RM(C, SS, RST_BAD_ACK));
	tx(f, B, fRST | fACK, 0, 0, 0);
	expect_notes(f, N(S, LI, CL, NOT_LISTENING), N(C, SS, CL, REFUSED));
	flow_free(f);
}

int main(void)
{
	struct tests ts = { 0 };

	TEST(&ts, t_before_after);
	MODES(&ts, t_syn_ack_at_wrap);
	MODES(&ts, t_fin_at_wrap);
	MODES(&ts, t_rst_exact_at_wrap);
	MODES(&ts, t_rst_window_at_wrap);
	MODES(&ts, t_rst_syn_received_at_wrap);
	MODES(&ts, t_retrans_at_wrap);
	MODES(&ts, t_retrans_syn_at_wrap);
	MODES(&ts, t_rst_syn_sent_at_wrap);
	return run_suite("wrap", &ts);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * RSTs in every state, at every kind of sequence number, as Linux accepts
 * them:
 *
 *   SYN_SENT      only with an ACK of our SYN (tcp_rcv_synsent_state_process())
 *   SYN_RECEIVED  a listener's: any RST in the window (tcp_check_req(),
 *                 tcp_in_window()); a simultaneous open's: RFC 5961, as
 *                 below, and refused (RFC 9293 3.10.7.4)
 *   TIME_WAIT     only seq == RCV.NXT (tcp_timewait_state_process())
 *   the others    RFC 5961 3.2 (tcp_validate_incoming()): seq == RCV.NXT
 *                 resets, and so does RCV.NXT - 1 after the peer's FIN in
 *                 CLOSE_WAIT, LAST_ACK and CLOSING (tcp_reset_check());
 *                 anything else in [RCV.WUP, RCV.WUP + window] draws a
 *                 challenge ACK (tcp_sequence()); the rest is dropped.
 *
 * Each case runs in both modes and with every set of ISNs, so "exact" and
 * "in window" are also checked across a wrap of the sequence space.
 */

#include "setups.h"

/* Where the RST's sequence number is, from the receiver's RCV.NXT. */
enum where {
	EXACT,		/* RCV.NXT */
	MINUS_1,	/* RCV.NXT - 1: the peer's FIN again */
	IN,		/* RCV.NXT + 1000 */
	EDGE,		/* RCV.NXT + window: last in window */
	PAST,		/* RCV.NXT + window + 1 */
	BELOW,		/* RCV.NXT - 1000 */
	ACK_OK,		/* SYN_SENT: RST-ACK acknowledging our SYN */
	ACK_BAD,	/* SYN_SENT: RST-ACK acknowledging something else */
	NO_ACK,		/* SYN_SENT: RST without ACK */
};

static const char *const where_names[] = {
	"exact", "rcv.nxt-1", "in-window", "window-edge", "past-window",
	"below-window", "ack-ok", "ack-bad", "no-ack",
};

struct rcase {
	const struct setup *setup;	/* its side receives the RST */
	enum where where;
	u8 why;				/* the receiver's note */
	u8 to;				/* the receiver afterwards */
	u8 outcome;			/* of the flow afterwards */
};

/*
 * The windows the receivers offered: 502 << 7 after a handshake with
 * window scaling both ways; 64240 on a SYN-ACK, which is never scaled.
 */
#define WND		(502U << 7)
#define WND_SYNACK	64240U

#define R(setup, where, why, to, outcome) \
	{ &setup, where, TT_WHY_##why, to, TT_OUTCOME_##outcome }

static const struct rcase rcases[] = {
	/* SYN_SENT: the RST must acknowledge the SYN. */
	R(s_syn_sent, ACK_OK, REFUSED, CL, REFUSED),
	R(s_syn_sent, ACK_BAD, RST_BAD_ACK, SS, OPEN),
	R(s_syn_sent, NO_ACK, RST_BAD_ACK, SS, OPEN),
	R(s_synack_sent, ACK_OK, REFUSED, CL, REFUSED),
	R(s_synack_sent, ACK_BAD, RST_BAD_ACK, SS, OPEN),
	/* SYN_RECEIVED: anything in the window. */
	R(s_synack_recv, EXACT, HALF_OPEN_RESET, CL, HALF_OPEN),
	R(s_synack_recv, IN, HALF_OPEN_RESET, CL, HALF_OPEN),
	R(s_synack_recv, EDGE, HALF_OPEN_RESET, CL, HALF_OPEN),
	R(s_synack_recv, PAST, RST_OUT_OF_WINDOW, SR, OPEN),
	R(s_synack_recv, BELOW, RST_OUT_OF_WINDOW, SR, OPEN),
	/* A simultaneous open's SYN_RECEIVED: RFC 5961, and refused. */
	R(s_simopen, EXACT, REFUSED, CL, REFUSED),
	R(s_simopen, IN, RST_CHALLENGE, SR, OPEN),
	R(s_simopen, BELOW, RST_OUT_OF_WINDOW, SR, OPEN),
	/* Synchronised states: RFC 5961. */
	R(s_est_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_est_b, MINUS_1, RST_OUT_OF_WINDOW, ES, OPEN),
	R(s_est_b, IN, RST_CHALLENGE, ES, OPEN),
	R(s_est_b, EDGE, RST_CHALLENGE, ES, OPEN),
	R(s_est_b, PAST, RST_OUT_OF_WINDOW, ES, OPEN),
	R(s_est_b, BELOW, RST_OUT_OF_WINDOW, ES, OPEN),
	R(s_est_a, EXACT, RESET, CL, RESET_BY_SERVER),
	R(s_est_a, IN, RST_CHALLENGE, ES, OPEN),
	R(s_est_a, PAST, RST_OUT_OF_WINDOW, ES, OPEN),
	R(s_fw1_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_fw1_b, MINUS_1, RST_OUT_OF_WINDOW, F1, OPEN),
	R(s_fw1_b, IN, RST_CHALLENGE, F1, OPEN),
	R(s_fw1_b, EDGE, RST_CHALLENGE, F1, OPEN),
	R(s_fw1_b, PAST, RST_OUT_OF_WINDOW, F1, OPEN),
	R(s_fw1_a, EXACT, RESET, CL, RESET_BY_SERVER),
	R(s_fw1_a, IN, RST_CHALLENGE, F1, OPEN),
	R(s_fw2_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_fw2_b, IN, RST_CHALLENGE, F2, OPEN),
	R(s_fw2_b, EDGE, RST_CHALLENGE, F2, OPEN),
	R(s_fw2_b, PAST, RST_OUT_OF_WINDOW, F2, OPEN),
	R(s_fw2_b, BELOW, RST_OUT_OF_WINDOW, F2, OPEN),
	R(s_fw2_a, EXACT, RESET, CL, RESET_BY_SERVER),
	R(s_fw2_a, IN, RST_CHALLENGE, F2, OPEN),
	/* After the peer's FIN, RCV.NXT - 1 is exact too. */
	R(s_cw_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_cw_b, MINUS_1, RESET, CL, RESET_BY_CLIENT),
	R(s_cw_b, IN, RST_CHALLENGE, CW, OPEN),
	R(s_cw_b, BELOW, RST_OUT_OF_WINDOW, CW, OPEN),
	R(s_cw_a, EXACT, RESET, CL, RESET_BY_SERVER),
	R(s_cw_a, MINUS_1, RESET, CL, RESET_BY_SERVER),
	R(s_cw_a, IN, RST_CHALLENGE, CW, OPEN),
	R(s_closing_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_closing_b, MINUS_1, RESET, CL, RESET_BY_CLIENT),
	R(s_closing_b, IN, RST_CHALLENGE, CG, OPEN),
	R(s_closing_b, BELOW, RST_OUT_OF_WINDOW, CG, OPEN),
	R(s_closing_a, EXACT, RESET, CL, RESET_BY_SERVER),
	R(s_closing_a, MINUS_1, RESET, CL, RESET_BY_SERVER),
	R(s_closing_a, IN, RST_CHALLENGE, CG, OPEN),
	/*
	 * A four-way close before its last ACK: A in TIME_WAIT, B in
	 * LAST_ACK.  B's FIN is not acknowledged yet, so an accepted RST
	 * decides the outcome.
	 */
	R(s_la_b, EXACT, RESET, CL, RESET_BY_CLIENT),
	R(s_la_b, MINUS_1, RESET, CL, RESET_BY_CLIENT),
	R(s_la_b, IN, RST_CHALLENGE, LA, OPEN),
	R(s_la_b, BELOW, RST_OUT_OF_WINDOW, LA, OPEN),
	/* TIME_WAIT: exact only, the rest silently dropped. */
	R(s_tw_a, EXACT, TIME_WAIT_ASSASSINATED, CL, RESET_BY_SERVER),
	R(s_tw_a, MINUS_1, RST_OUT_OF_WINDOW, TW, OPEN),
	R(s_tw_a, IN, RST_OUT_OF_WINDOW, TW, OPEN),
	R(s_tw_a, BELOW, RST_OUT_OF_WINDOW, TW, OPEN),
	/* Both FINs acknowledged: the flow completed whatever comes. */
	R(s_tw_sim, EXACT, TIME_WAIT_ASSASSINATED, CL, COMPLETED),
	R(s_tw_sim, MINUS_1, RST_OUT_OF_WINDOW, TW, COMPLETED),
	R(s_tw_sim, IN, RST_OUT_OF_WINDOW, TW, COMPLETED),
};

static void send_rst(struct flow *f, int rcv, enum where w, u32 wnd)
{
	int snd = !rcv;
	u32 nxt = f->nxt[snd];

	switch (w) {
	case EXACT:
		tx(f, snd, fRST | fACK, nxt, f->nxt[rcv], 0);
		break;
	case MINUS_1:
		tx(f, snd, fRST | fACK, nxt - 1, f->nxt[rcv], 0);
		break;
	case IN:
		tx(f, snd, fRST | fACK, nxt + 1000, f->nxt[rcv], 0);
		break;
	case EDGE:
		tx(f, snd, fRST | fACK, nxt + wnd, f->nxt[rcv], 0);
		break;
	case PAST:
		tx(f, snd, fRST | fACK, nxt + wnd + 1, f->nxt[rcv], 0);
		break;
	case BELOW:
		tx(f, snd, fRST | fACK, nxt - 1000, f->nxt[rcv], 0);
		break;
	case ACK_OK:	/* seq 0 if nothing was sent: a closed port */
		tx(f, snd, fRST | fACK, nxt == f->isn[snd] ? 0 : nxt,
		   f->nxt[rcv], 0);
		break;
	case ACK_BAD:
		tx(f, snd, fRST | fACK, nxt == f->isn[snd] ? 0 : nxt,
		   f->nxt[rcv] + 1, 0);
		break;
	case NO_ACK:
		tx(f, snd, fRST, f->nxt[snd], 0, 0);
		break;
	}
}

struct variant {
	const struct rcase *rc;
	enum mode mode;
	const struct isns *isns;
};

static void t_rst(void **state)
{
	const struct variant *var = *state;
	const struct rcase *rc = var->rc;
	const struct setup *su = rc->setup;
	struct flow *f = flow_new(var->mode, var->isns->isn, 16);
	int rcv = su->side, snd = !rcv;
	u8 snd_before;
	u32 anom_before;
	unsigned int w;

	su->fn(f);
	assert_int_equal(st(f, rcv), su->state);
	snd_before = st(f, snd);
	anom_before = f->c->anomalies;
	send_rst(f, rcv, rc->where, su->state == SR ? WND_SYNACK : WND);
	w = who_of(f, rcv);

	if (find_note(f, w, su->state, rc->to, rc->why) < 0)
		_expect_notes(f, (const struct xnote[]){
			{ w, su->state, rc->to, rc->why } }, 1,
			__FILE__, __LINE__);
	assert_int_equal(st(f, rcv), rc->to);
	assert_int_equal(f->c->outcome, rc->outcome);

	if (rc->to == CL) {
		/* Accepted.  The sender aborted: it is CLOSED too, and the
		 * flow ended.  Except a SYN_SENT client whose RST does not
		 * answer the SYN-ACK (seq != its ISN + 1): not its own RST
		 * but a blind one, so the client stays.
		 */
		if (snd_before == SS && rc->where != EXACT) {
			assert_int_equal(st(f, snd), SS);
			assert_false(tt_conn_ended(f->c));
		} else {
			assert_int_equal(st(f, snd), CL);
			assert_true(tt_conn_ended(f->c));
			assert_true(f->ended);
		}
		assert_int_equal(f->c->anomalies & ~anom_before,
				 rc->why == TT_WHY_HALF_OPEN_RESET ?
				 ANOM(HALF_OPEN) : 0);
	} else {
		/* Not accepted: nobody moves; the receiver notes why. */
		u32 a = rc->why == TT_WHY_RST_CHALLENGE ? ANOM(RST_CHALLENGE) :
			ANOM(RST_IGNORED);

		assert_int_equal(st(f, snd), snd_before);
		assert_int_equal(f->nnotes, 1);
		assert_int_equal(f->notes[0].anomalies, a);
		assert_true(f->c->anomalies & a);
		assert_false(f->ended);
	}
	expect_counted(f);
	flow_free(f);
}

/* A's RST at @base + @offset; B's note must say @want. */
static void rst_a_at(struct flow *f, u32 base, s32 offset, const char *what,
		     unsigned int want)
{
	unsigned int why;

	tx(f, A, fRST | fACK, base + offset, f->nxt[B], 0);
	why = f->nnotes ? f->notes[f->nnotes - 1].why : TT_WHY_NONE;
	if (why != want)
		fail_msg("RST at %s %+d: %s, expected %s", what, offset,
			 tt_why_name(why), tt_why_name(want));
}

/*
 * Picked up mid-stream, the receiver's window scale is unknown: its window
 * is taken at the largest scale, 14, so a RST is challenged rather than
 * ignored when in doubt.
 */
static void t_rst_midstream_window(void **state)
{
	static const struct {
		u32 offset;
		u8 why;
	} cases[] = {
		{ 0, TT_WHY_RESET },
		{ 1000, TT_WHY_RST_CHALLENGE },
		{ 502U << 14, TT_WHY_RST_CHALLENGE },
		{ (502U << 14) + 1, TT_WHY_RST_OUT_OF_WINDOW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct flow *f = variant_flow(state, 8);

		data(f, A, 100);		/* picked up */
		ack(f, B);			/* B's window: 502, scale? */
		rst_a_at(f, f->nxt[A], cases[i].offset, "RCV.NXT",
			 cases[i].why);
		flow_free(f);
	}
}

/*
 * The window starts at what the receiver acknowledged last (RCV.WUP) and
 * ends that plus the window it then advertised, as tcp_sequence() has it,
 * not RCV.NXT plus the window: data that arrived since moved RCV.NXT, not
 * the window's right edge (RFC 9293 3.10.7.4: RCV.NXT + RCV.WND, RCV.WND
 * being what is left of it).
 */
static void t_rst_window_from_wup(void **state)
{
	static const struct {
		s32 offset;		/* from B's RCV.WUP */
		u8 why;
	} cases[] = {
		{ 1000, TT_WHY_RESET },			/* RCV.NXT */
		{ 500, TT_WHY_RST_CHALLENGE },		/* below RCV.NXT */
		{ 0, TT_WHY_RST_CHALLENGE },		/* RCV.WUP */
		{ -1, TT_WHY_RST_OUT_OF_WINDOW },
		{ 502 << 7, TT_WHY_RST_CHALLENGE },	/* the right edge */
		{ (502 << 7) + 1, TT_WHY_RST_OUT_OF_WINDOW },
		{ (502 << 7) + 1000, TT_WHY_RST_OUT_OF_WINDOW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct flow *f = variant_flow(state, 8);
		u32 wup;

		established(f);
		wup = f->nxt[A];
		data(f, A, 1000);		/* not acknowledged yet */
		rst_a_at(f, wup, cases[i].offset, "RCV.WUP", cases[i].why);
		flow_free(f);
	}
}

/* A RST alone never creates a flow: it answers something already gone. */
static void t_rst_starts_no_flow(void **state)
{
	static const struct {
		u8 flags;
		bool starts;
	} cases[] = {
		{ fRST, false }, { fRST | fACK, false },
		{ fRST | fSYN, true }, { fSYN, true }, { fACK, true },
		{ fFIN, true }, { 0, true }, { fSYN | fACK, true },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tt_seg s = { .flags = cases[i].flags };

		assert_int_equal(tt_seg_starts_flow(&s), cases[i].starts);
	}
}

/* A RST to a CLOSED or LISTEN endpoint changes nothing for it. */
static void t_rst_after_end(void **state)
{
	unsigned int m;

	(void)state;
	for (m = 0; m < M_MODES; m++) {
		struct flow *f = flow_new(m, isn_sets[0].isn, 8);

		syn(f, A);
		refuse_b(f);
		expect_states(f, CL, CL);
		rst_a(f);
		expect_states(f, CL, CL);
		expect_no_notes(f);
		assert_int_equal(f->c->outcome, TT_OUTCOME_REFUSED);
		flow_free(f);
	}
}

/*
 * RFC 9293 section 3.5.1, half-open discovery (its figure 10): the client's
 * SYN draws an old ACK from the server's side, the client answers with a
 * RST at that ACK's number, which resets nothing (the server listens, and
 * the client's own SYN_SENT only closes on a RST at ISN + 1), then resends
 * its SYN and the connection runs normally. The stray RST must not decide
 * the outcome: the connection completes.
 */
static void half_open_discovery(struct flow *f, bool stray)
{
	syn(f, A);
	if (stray) {
		tx(f, B, fACK, f->isn[B] - 100, f->isn[A] - 300, 0);
		tx(f, A, fRST, f->isn[A] - 300, 0, 0);
		assert_int_equal(f->c->outcome, TT_OUTCOME_OPEN);
		expect_states(f, SS, LI);
		tx(f, A, fSYN, f->isn[A], 0, 0);
	}
	synack(f, B);
	ack(f, A);
	data(f, A, 100);
	ack(f, B);
	fin(f, A);
	fin(f, B);
	ack(f, A);
}

static void t_rst_half_open_discovery(void **state)
{
	unsigned int m, stray;

	(void)state;
	for (m = 0; m < M_MODES; m++)
		for (stray = 0; stray < 2; stray++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 16);

			half_open_discovery(f, stray);
			expect_states(f, TW, CL);
			assert_string_equal(tt_outcome_name(f->c->outcome),
					    tt_outcome_name(TT_OUTCOME_COMPLETED));
			flow_free(f);
		}
}

int main(void)
{
	static struct variant vars[ARRAY_SIZE(rcases) * M_MODES * 8];
	struct tests ts = { 0 };
	unsigned int i, m, n, nv = 0;

	TEST(&ts, t_rst_starts_no_flow);
	TEST(&ts, t_rst_after_end);
	TEST(&ts, t_rst_half_open_discovery);
	VARIANTS(&ts, t_rst_midstream_window);
	VARIANTS(&ts, t_rst_window_from_wup);
	for (i = 0; i < ARRAY_SIZE(rcases); i++)
		for (m = 0; m < M_MODES; m++)
			for (n = 0; n < n_isn_sets; n++) {
				const struct rcase *rc = &rcases[i];

				vars[nv] = (struct variant){ rc, m, &isn_sets[n] };
				tests_add(&ts, fmt("rst %s to %s(%s %c) -> %s %s/%s/%s",
					  where_names[rc->where],
					  tt_state_name(rc->setup->state),
					  rc->setup->name,
					  "AB"[rc->setup->side],
					  tt_state_name(rc->to),
					  tt_why_name(rc->why),
					  m == M_BOTH ? "both" : "split",
					  isn_sets[n].name), t_rst, &vars[nv++]);
			}
	return run_suite("rst", &ts);
}

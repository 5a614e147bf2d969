// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Every cell of both transition tables, from real segment sequences.
 *
 * The expectations below are written by hand from RFC 793/9293, RFC 5961 and
 * Linux; they are not read from the tables.  The tables are read only to
 * find cells that have no case here: a cell added to state.c without a test
 * fails "coverage", and so does a case whose expectation the table no longer
 * holds.  Each case runs in both observation modes (seen once; loopback,
 * seen leaving and arriving) and with every set of ISNs (flow.c), so each
 * transition is also checked across a wrap of the sequence space.
 */

#include <stdio.h>
#include <stdlib.h>

#include "setups.h"

/* --- the cases ----------------------------------------------------------- */

enum kind { SEND, RECV };

struct cell {
	enum kind kind;
	unsigned int ev;
	const struct setup *setup;	/* its side is in the cell's state */
	void (*event)(struct flow *f);
	const char *event_name;
	u8 to;				/* where that endpoint goes */
	u8 why;				/* TT_WHY_NONE: an empty cell */
	u8 modes;			/* 1 << M_*; 0: both */
};

#define T(kind, ev, setup, event, to, why) \
	{ kind, TT_##kind##_##ev, &setup, event, #event, to, TT_WHY_##why, 0 }
/* A cell that only one observation mode can reach. */
#define TM(mode, kind, ev, setup, event, to, why) \
	{ kind, TT_##kind##_##ev, &setup, event, #event, to, TT_WHY_##why, \
	  1 << (mode) }

static const struct cell cells[] = {
	/* The sender's half. */
	T(SEND, ACK_SYN, s_synack_sent, ack_a, ES, HANDSHAKE_ACK),
	T(SEND, SYN, s_fresh, syn_a, SS, ACTIVE_OPEN),
	T(SEND, SYN, s_syn_listen, syn_b, SS, LISTEN_SYN),
	T(SEND, SYNACK, s_syn_listen, synack_b, SR, PASSIVE_OPEN),
	T(SEND, SYNACK, s_listen_syn, simopen_synack_b, SR, SIMULTANEOUS_OPEN),
	T(SEND, FIN, s_synack_recv, fin_b, F1, EARLY_CLOSE),
	T(SEND, FIN, s_est_a, fin_a, F1, ACTIVE_CLOSE),
	T(SEND, FIN, s_est_b, fin_b, F1, ACTIVE_CLOSE),
	T(SEND, FIN, s_cw_b, fin_b, LA, PASSIVE_CLOSE),
	T(SEND, FIN, s_cw_a, fin_a, LA, PASSIVE_CLOSE),
	/* FINs crossing: on loopback B is still ESTABLISHED when it sends
	 * its FIN; seen once, A's FIN already moved B to CLOSE_WAIT, and
	 * B's FIN, not acknowledging A's, shows that it had not arrived.
	 */
	TM(M_SPLIT, SEND, FIN_CROSSED, s_est_b_fin_leaving, fin_b_crossing,
	   F1, ACTIVE_CLOSE),
	TM(M_BOTH, SEND, FIN_CROSSED, s_cw_b, fin_b_crossing, CG,
	   SIMULTANEOUS_CLOSE),
	T(SEND, FIN_CROSSED, s_synack_recv_fin, fin_b_crossing, F1,
	  EARLY_CLOSE),
	T(SEND, RST, s_syn_listen, refuse_b, CL, NOT_LISTENING),
	T(SEND, RST, s_synack_sent, reject_a, CL, REJECT_SYNACK),
	T(SEND, RST, s_synack_recv, rst_b, CL, ABORT),
	T(SEND, RST, s_est_a, rst_a, CL, ABORT),
	T(SEND, RST, s_fw1_a, rst_a, CL, ABORT),
	T(SEND, RST, s_fw2_a, rst_a, CL, ABORT),
	T(SEND, RST, s_cw_b, rst_b, CL, ABORT),
	T(SEND, RST, s_closing_a, rst_a, CL, ABORT),
	T(SEND, RST, s_la_b, rst_b, CL, ABORT),
	T(SEND, RST, s_tw_sim, rst_a, CL, ABORT),
	T(SEND, RST_FIN_UNACKED, s_tw_a, rst_a, CL, SOCKET_GONE),
	/* Empty cells worth a word: a client's SYN_SENT does not end by
	 * sending FIN (Linux just drops the connection, nothing is sent).
	 * A FIN with ACK from SYN_SENT would prove a SYN-ACK that was not
	 * seen: a one-sided capture (test-paths).
	 */
	T(SEND, FIN, s_syn_sent, fin_a_no_ack, SS, NONE),

	/* The receiver's half. */
	T(RECV, ACK_SYN, s_synack_recv, ack_a, ES, HANDSHAKE_DONE),
	T(RECV, ACK_SYN, s_simopen, simopen_synack_b, ES, HANDSHAKE_DONE),
	T(RECV, SYN, s_syn_sent, syn_b, SR, SIMULTANEOUS_OPEN),
	T(RECV, SYN, s_est_b, new_syn_a, ES, SYN_CHALLENGE),
	T(RECV, SYN, s_fw1_b, new_syn_a, F1, SYN_CHALLENGE),
	T(RECV, SYN, s_fw2_b, new_syn_a, F2, SYN_CHALLENGE),
	T(RECV, SYN, s_cw_b, new_syn_a, CW, SYN_CHALLENGE),
	T(RECV, SYN, s_closing_b, new_syn_a, CG, SYN_CHALLENGE),
	T(RECV, SYN, s_la_b, new_syn_a, LA, SYN_CHALLENGE),
	T(RECV, ACK_FIN, s_fw1_a, ack_b, F2, FIN_ACKED),
	T(RECV, ACK_FIN, s_closing_a, ack_b, TW, CLOSING_ACKED),
	T(RECV, ACK_FIN, s_la_b, ack_a, CL, LAST_ACK_ACKED),
	T(RECV, FIN, s_est_b, fin_a, CW, PEER_FIN),
	T(RECV, FIN, s_est_a, fin_b, CW, PEER_FIN),
	T(RECV, FIN, s_fw1_a, fin_b_crossing, CG, SIMULTANEOUS_CLOSE),
	T(RECV, FIN, s_fw2_a_late, fin_b_late, TW, SECOND_FIN),
	T(RECV, FIN, s_tw_sim, fin_b_duplicate, TW, TIME_WAIT_RESTART),
	T(RECV, FIN_ACK, s_fw1_a, fin_b, TW, FIN_AND_ACK),
	T(RECV, FIN_ACK, s_fw2_a, fin_b, TW, SECOND_FIN),
	T(RECV, FIN_ACK, s_closing_a, fin_b_again, TW, CLOSING_ACKED),
	T(RECV, FIN_ACK, s_la_b, fin_a_again, CL, LAST_ACK_ACKED),
	T(RECV, FIN_ACK, s_tw_a, fin_b_again, TW, TIME_WAIT_RESTART),
	T(RECV, RST, s_syn_sent, refuse_b, CL, REFUSED),
	T(RECV, RST, s_synack_recv, reject_a, CL, HALF_OPEN_RESET),
	T(RECV, RST, s_est_b, rst_a, CL, RESET),
	T(RECV, RST, s_fw1_b, rst_a, CL, RESET),
	T(RECV, RST, s_fw2_a, rst_b, CL, RESET),
	T(RECV, RST, s_cw_b, rst_a, CL, RESET),
	T(RECV, RST, s_closing_a, rst_b, CL, RESET),
	T(RECV, RST, s_la_b, rst_a, CL, RESET),
	T(RECV, RST, s_tw_a, rst_b, CL, TIME_WAIT_ASSASSINATED),
	T(RECV, RST_OPENER, s_simopen, rst_b, CL, REFUSED),
	/* A listener stays in LISTEN until its SYN-ACK shows it answered. */
	T(RECV, SYN, s_syn_listen, syn_a, LI, NONE),
	/* A client's ESTABLISHED is shown by its ACK, not by the SYN-ACK. */
	T(RECV, SYNACK, s_syn_sent, synack_b, SS, NONE),
	/* A FIN in SYN_SENT (no SYN-ACK yet) is not acceptable. */
	T(RECV, FIN, s_syn_sent, fin_b, SS, NONE),
};

static const char *cell_name(enum kind kind, unsigned int ev,
			     unsigned int state)
{
	return fmt("%s[%s][%s]", kind == SEND ? "send" : "recv",
		   kind == SEND ? tt_send_event_name(ev) :
				  tt_recv_event_name(ev),
		   tt_state_name(state));
}

static unsigned int table_cell(enum kind kind, unsigned int ev,
			       unsigned int state)
{
	return kind == SEND ? tt_send_rules[ev][state] :
			      tt_recv_rules[ev][state];
}

struct variant {
	const struct cell *cell;
	enum mode mode;
	const struct isns *isns;
};

static void t_cell(void **state)
{
	const struct variant *var = *state;
	const struct cell *k = var->cell;
	const struct setup *su = k->setup;
	struct flow *f = flow_new(var->mode, var->isns->isn, 16);
	unsigned int w, i;

	su->fn(f);
	if (st(f, su->side) != su->state)
		fail_msg("setup %s left side %c in %s, not %s", su->name,
			 "AB"[su->side], tt_state_name(st(f, su->side)),
			 tt_state_name(su->state));
	k->event(f);
	w = who_of(f, su->side);
	if (k->why == TT_WHY_NONE) {
		for (i = 0; i < f->nnotes; i++)
			if (f->notes[i].endpoint == w &&
			    f->notes[i].to != f->notes[i].from)
				fail_msg("empty cell moved %s: %s -> %s (%s)",
					 tt_who_name(w),
					 tt_state_name(f->notes[i].from),
					 tt_state_name(f->notes[i].to),
					 tt_why_name(f->notes[i].why));
	} else if (find_note(f, w, su->state, k->to, k->why) < 0) {
		_expect_notes(f, (const struct xnote[]){
			{ w, su->state, k->to, k->why } }, 1,
			__FILE__, __LINE__);
	}
	if (st(f, su->side) != k->to)
		fail_msg("%s ended in %s, expected %s", tt_who_name(w),
			 tt_state_name(st(f, su->side)),
			 tt_state_name(k->to));
	flow_free(f);
}

/*
 * Every non-empty cell has a case, and every case agrees with its cell.
 * A new cell, or a cell changed in state.c, fails here until a case with a
 * hand-written expectation covers it.
 */
static void t_coverage(void **state)
{
	static const unsigned int nev[2] = { TT_SEND_EVENTS, TT_RECV_EVENTS };
	unsigned int kind, ev, s, i, j, missing = 0;

	(void)state;
	for (kind = SEND; kind <= RECV; kind++)
		for (ev = 0; ev < nev[kind]; ev++)
			for (s = 0; s < __TT_STATE_MAX; s++) {
				unsigned int why = table_cell(kind, ev, s);
				bool found = false;

				for (i = 0; i < ARRAY_SIZE(cells); i++)
					if (cells[i].kind == kind &&
					    cells[i].ev == ev &&
					    cells[i].setup->state == s)
						found = true;
				if (found || why == TT_WHY_NONE)
					continue;
				missing++;
				print_error("no case for %s = %s; setups reaching %s:",
					    cell_name(kind, ev, s),
					    tt_why_name(why),
					    tt_state_name(s));
				for (j = 0; j < n_setups; j++)
					if (setups[j]->state == s)
						print_error(" %s(%c)",
							    setups[j]->name,
							    "AB"[setups[j]->side]);
				print_error("\n");
			}
	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		const struct cell *k = &cells[i];
		unsigned int why = table_cell(k->kind, k->ev, k->setup->state);

		if (why == k->why)
			continue;
		missing++;
		print_error("case %s expects %s, the table holds %s\n",
			    cell_name(k->kind, k->ev, k->setup->state),
			    tt_why_name(k->why), tt_why_name(why));
	}
	if (missing)
		fail_msg("%u cells without a matching case", missing);
}

/* Each setup reaches the state it claims, in both modes. */
static void t_setups(void **state)
{
	unsigned int i, m;

	(void)state;
	for (i = 0; i < n_setups; i++)
		for (m = 0; m < M_MODES; m++) {
			struct flow *f = flow_new(m, isn_sets[0].isn, 16);

			setups[i]->fn(f);
			if (st(f, setups[i]->side) != setups[i]->state)
				fail_msg("setup %s (%s): side %c in %s, not %s",
					 setups[i]->name,
					 m == M_BOTH ? "both" : "split",
					 "AB"[setups[i]->side],
					 tt_state_name(st(f, setups[i]->side)),
					 tt_state_name(setups[i]->state));
			flow_free(f);
		}
}

int main(void)
{
	static struct variant vars[ARRAY_SIZE(cells) * M_MODES * 8];
	struct tests ts = { 0 };
	unsigned int i, m, n, nv = 0;

	TEST(&ts, t_coverage);
	TEST(&ts, t_setups);
	for (i = 0; i < ARRAY_SIZE(cells); i++)
		for (m = 0; m < M_MODES; m++)
			for (n = 0; n < n_isn_sets; n++) {
				const struct cell *k = &cells[i];
				struct variant *v = &vars[nv++];

				if (k->modes && !(k->modes & (1U << m)))
					continue;
				if (nv > ARRAY_SIZE(vars))
					abort();
				*v = (struct variant){ k, m, &isn_sets[n] };
				tests_add(&ts, fmt("%s(%s %c) %s -> %s %s/%s/%s",
					  cell_name(k->kind, k->ev,
						    k->setup->state),
					  k->setup->name,
					  "AB"[k->setup->side], k->event_name,
					  tt_state_name(k->to),
					  tt_why_name(k->why),
					  m == M_BOTH ? "both" : "split",
					  isn_sets[n].name), t_cell, v);
			}
	return run_suite("table", &ts);
}

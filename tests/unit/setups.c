// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Setups and events for the table and RST suites: see setups.h.
 */

#include "setups.h"

/* --- setups ------------------------------------------------------------- */

static void fresh(struct flow *f)
{
	(void)f;	/* no segment yet: the client is CLOSED */
}

static void one_syn(struct flow *f)
{
	syn(f, A);
}

static void syn_synack(struct flow *f)
{
	syn(f, A);
	synack(f, B);
}

/* Both send SYN; B's is seen second (RFC 793 figure 8). */
static void two_syns(struct flow *f)
{
	syn(f, A);
	syn(f, B);
}

static void est_fin_a(struct flow *f)
{
	established(f);
	fin(f, A);
}

static void est_fin_b(struct flow *f)
{
	established(f);
	fin(f, B);
}

static void est_fin_a_ack(struct flow *f)
{
	est_fin_a(f);
	ack(f, B);
}

static void est_fin_b_ack(struct flow *f)
{
	est_fin_b(f);
	ack(f, A);
}

/* B sent its FIN before A's arrived, then acknowledged A's; the ACK
 * overtook the FIN on its way to the observer.
 */
static void est_fin_a_late_ack(struct flow *f)
{
	est_fin_a(f);
	tx(f, B, fACK, f->nxt[B] + 1, f->nxt[A], 0);
}

/* On loopback: A's FIN has left A but not reached B yet. */
static void est_fin_a_leaving(struct flow *f)
{
	established(f);
	tx_obs(f, A, TT_OBS_SEND | TT_OBS_LOCAL_SENDER |
	       TT_OBS_LOCAL_RECEIVER, fFIN | fACK, f->nxt[A], f->nxt[B], 0);
	f->nxt[A]++;
}

/* A FIN without ACK from a client in SYN_SENT: crafted, the only way to
 * have the peer's FIN seen while the server is in SYN_RECEIVED.
 */
static void syn_synack_bare_fin(struct flow *f)
{
	syn_synack(f);
	tx(f, A, fFIN, f->nxt[A], 0, 0);
	f->nxt[A]++;
}

static void sim_close(struct flow *f)
{
	established(f);
	cross(f, fFIN | fACK, fFIN | fACK);
}

static void sim_close_acked(struct flow *f)
{
	sim_close(f);
	cross(f, fACK, fACK);
}

static void four_way(struct flow *f)
{
	est_fin_a_ack(f);
	fin(f, B);
}

const struct setup
	s_fresh = { "fresh", A, CL, fresh },
	s_syn_listen = { "syn", B, LI, one_syn },
	s_syn_sent = { "syn", A, SS, one_syn },
	s_synack_sent = { "syn,synack", A, SS, syn_synack },
	s_synack_recv = { "syn,synack", B, SR, syn_synack },
	s_listen_syn = { "syn,syn", B, SS, two_syns },
	s_simopen = { "syn,syn", A, SR, two_syns },
	s_est_a = { "established", A, ES, established },
	s_est_b = { "established", B, ES, established },
	s_synack_recv_fin = { "syn,synack,bare-fin", B, SR,
			      syn_synack_bare_fin },
	s_est_b_fin_leaving = { "fin-a-leaving", B, ES, est_fin_a_leaving },
	s_fw1_a = { "fin-a", A, F1, est_fin_a },
	s_cw_b = { "fin-a", B, CW, est_fin_a },
	s_fw1_b = { "fin-b", B, F1, est_fin_b },
	s_cw_a = { "fin-b", A, CW, est_fin_b },
	s_fw2_a = { "fin-a,ack", A, F2, est_fin_a_ack },
	s_fw2_a_late = { "fin-a,late-ack", A, F2, est_fin_a_late_ack },
	s_fw2_b = { "fin-b,ack", B, F2, est_fin_b_ack },
	s_closing_a = { "sim-close", A, CG, sim_close },
	s_closing_b = { "sim-close", B, CG, sim_close },
	s_tw_sim = { "sim-close,acks", A, TW, sim_close_acked },
	s_tw_a = { "four-way", A, TW, four_way },
	s_la_b = { "four-way", B, LA, four_way };

const struct setup *const setups[] = {
	&s_fresh, &s_syn_listen, &s_syn_sent, &s_synack_sent,
	&s_synack_recv, &s_synack_recv_fin, &s_listen_syn, &s_simopen,
	&s_est_a, &s_est_b, &s_est_b_fin_leaving,
	&s_fw1_a, &s_cw_b, &s_fw1_b, &s_cw_a, &s_fw2_a, &s_fw2_a_late,
	&s_fw2_b, &s_closing_a, &s_closing_b, &s_tw_sim, &s_tw_a, &s_la_b,
};
const unsigned int n_setups = ARRAY_SIZE(setups);

/* --- events -------------------------------------------------------------- */

/* The plain events, one endpoint each: tables of tests name them. */
#define SIDE_EVENT(name, event, side)		\
	void name(struct flow *f)		\
	{					\
		event(f, side);			\
	}

SIDE_EVENT(syn_a, syn, A)
SIDE_EVENT(syn_b, syn, B)
SIDE_EVENT(synack_b, synack, B)
SIDE_EVENT(ack_a, ack, A)
SIDE_EVENT(ack_b, ack, B)
SIDE_EVENT(fin_a, fin, A)
SIDE_EVENT(fin_b, fin, B)

/* The SYN-ACK of a simultaneous open repeats the sender's ISN. */
void simopen_synack_b(struct flow *f)
{
	tx(f, B, fSYN | fACK, f->isn[B], f->nxt[A], 0);
}

/* A SYN on an open connection: the client came back with a new ISN. */
void new_syn_a(struct flow *f)
{
	tx(f, A, fSYN, f->nxt[A] + 0x40000000U, 0, 0);
}

/* B's FIN, sent before A's FIN arrived: it does not acknowledge it. */
void fin_b_crossing(struct flow *f)
{
	tx(f, B, fFIN | fACK, f->nxt[B], f->nxt[A] - 1, 0);
	f->nxt[B]++;
}

/* B's FIN, sent before A's, seen after B's ACK of A's FIN. */
void fin_b_late(struct flow *f)
{
	tx(f, B, fFIN | fACK, f->nxt[B], f->nxt[A] - 1, 0);
	f->nxt[B] += 2;
}

/* The network duplicates B's FIN of a simultaneous close. */
void fin_b_duplicate(struct flow *f)
{
	tx(f, B, fFIN | fACK, f->nxt[B] - 1, f->nxt[A] - 1, 0);
}

/* B resends its FIN, now acknowledging A's. */
void fin_b_again(struct flow *f)
{
	tx(f, B, fFIN | fACK, f->nxt[B] - 1, f->nxt[A], 0);
}

/*
 * A's FIN again, acknowledging B's FIN.  Two Linux peers never produce
 * this for a peer in LAST_ACK (its FIN acknowledged A's, so A has nothing
 * to resend): crafted, as from a peer that believes it is in CLOSING.
 */
void fin_a_again(struct flow *f)
{
	tx(f, A, fFIN | fACK, f->nxt[A] - 1, f->nxt[B], 0);
}

/* A FIN without ACK, from A's next sequence number. */
void fin_a_no_ack(struct flow *f)
{
	seg(f, A, fFIN, 0);
}

/* Connection refused: Linux answers a SYN to a closed port with RST-ACK,
 * seq 0, acknowledging the SYN (tcp_v4_send_reset()).
 */
void refuse_b(struct flow *f)
{
	tx(f, B, fRST | fACK, 0, f->nxt[A], 0);
}

/* A socket that has no connection answers a SYN-ACK with RST, seq = its
 * ACK number (tcp_v4_send_reset()): a half-open scan, an old duplicate.
 */
void reject_a(struct flow *f)
{
	tx(f, A, fRST, f->nxt[A], 0, 0);
}

/* An abort: RST-ACK at the sender's SND.NXT (tcp_send_active_reset()). */
void rst_a(struct flow *f)
{
	tx(f, A, fRST | fACK, f->nxt[A], f->nxt[B], 0);
}

void rst_b(struct flow *f)
{
	tx(f, B, fRST | fACK, f->nxt[B], f->nxt[A], 0);
}

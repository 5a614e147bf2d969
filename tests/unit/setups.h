/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Realistic segment sequences that leave one endpoint in a given state, and
 * the events the table and RST suites send next.  Shared by test-table.c and
 * test-rst.c.
 */

#ifndef _TT_TEST_SETUPS_H
#define _TT_TEST_SETUPS_H

#include "flow.h"

/*
 * A setup leaves the endpoint at key side @side in @state.  setups[] is the
 * list of constructible states: the table suite names them when a cell has
 * no case.
 */
struct setup {
	const char *name;
	int side;
	u8 state;
	void (*fn)(struct flow *f);
};

extern const struct setup
	s_fresh, s_syn_listen, s_syn_sent, s_synack_sent, s_synack_recv,
	s_synack_recv_fin, s_est_b_fin_leaving,
	s_listen_syn, s_simopen, s_est_a, s_est_b, s_fw1_a, s_cw_b, s_fw1_b,
	s_cw_a, s_fw2_a, s_fw2_a_late, s_fw2_b, s_closing_a, s_closing_b,
	s_tw_sim, s_tw_a, s_la_b;
extern const struct setup *const setups[];
extern const unsigned int n_setups;

/* Events: see setups.c for what each one is. */
void syn_a(struct flow *f);
void syn_b(struct flow *f);
void synack_b(struct flow *f);
void ack_a(struct flow *f);
void ack_b(struct flow *f);
void fin_a(struct flow *f);
void fin_b(struct flow *f);
void simopen_synack_b(struct flow *f);
void new_syn_a(struct flow *f);
void fin_b_crossing(struct flow *f);
void fin_b_late(struct flow *f);
void fin_b_duplicate(struct flow *f);
void fin_b_again(struct flow *f);
void fin_a_again(struct flow *f);
void fin_a_no_ack(struct flow *f);
void refuse_b(struct flow *f);
void reject_a(struct flow *f);
void rst_a(struct flow *f);
void rst_b(struct flow *f);

#endif /* _TT_TEST_SETUPS_H */

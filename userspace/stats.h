/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `replay --stats`: per-connection statistics of a capture, each direction
 * apart, as classic tcptrace's `-l -r` gives them: RTT samples (Karn's
 * rule), retransmissions (the state machine's own), out-of-order segments,
 * duplicate ACKs, windows and throughput.  replay feeds it every segment
 * it hands to the state machine, with the verdict.
 */

#ifndef TCPTRACECTL_STATS_H
#define TCPTRACECTL_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "state.h"

struct stats;
struct flow_stats;

struct stats *stats_new(void);
struct flow_stats *stats_flow_new(struct stats *st);
void stats_segment(struct flow_stats *fs, const struct tt_conn *c,
		   const struct tt_seg *seg, unsigned int snd,
		   const struct tt_verdict *v, uint64_t now);
void stats_flow_done(struct flow_stats *fs, const struct flow *f, bool shown);
int stats_print(struct stats *st);
void stats_free(struct stats *st);

#endif /* TCPTRACECTL_STATS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `replay --graph tsg FILE`: the time-sequence graph ("Stevens graph", as
 * classic tcptrace -S and Wireshark draw it) of one direction of one flow,
 * as a self-contained SVG picture.  replay.c hands over every TCP segment
 * with the flow it belongs to; tsg_close() picks the flow and the
 * direction, draws and writes the picture.
 */

#ifndef TCPTRACECTL_TSG_H
#define TCPTRACECTL_TSG_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

struct capture_frame;
struct tt_seg;
struct tsg;

/**
 * struct tsg_opts - what replay's command line asks of the graph
 * @on: --graph tsg
 * @has_flow: --flow N was given
 * @flow: that N, the flow's number as replay prints it ("#1")
 * @sender: --sender: TT_WHO_CLIENT or TT_WHO_SERVER, TT_WHO_NONE for the
 *	one that sent the most
 * @out: the picture's file (--svg's), "-" for standard output
 */
struct tsg_opts {
	bool on;
	bool has_flow;
	uint64_t flow;
	unsigned int sender;
	const char *out;
};

int tsg_option(struct tsg_opts *o, int argc, char **argv, int *i);
int tsg_check(struct tsg_opts *o, bool list);
int tsg_open(const struct tsg_opts *o, const char *capture, struct tsg **out);
void tsg_segment(struct tsg *t, const struct flow *f, bool match,
		 const struct capture_frame *fr, const struct tt_seg *seg,
		 bool from_server);
int tsg_close(struct tsg *t);

#endif /* TCPTRACECTL_TSG_H */

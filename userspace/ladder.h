/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * --ladder: each connection as a sequence diagram, the client on the left,
 * the server on the right, one arrow per segment that changed a state or
 * drew a remark, each side's new state written beside the arrow.
 *
 * The module reports notes, not segments: one per state change or remark,
 * each with the segment that caused it.  The notes of one segment (its
 * sender's and its receiver's, seen at once, or on loopback as it leaves
 * and as it arrives) are gathered into one arrow here.
 */

#ifndef TCPTRACECTL_LADDER_H
#define TCPTRACECTL_LADDER_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

#define LADDER_PENDING	32
#define LADDER_NOTES	(2 * TT_NOTES_PER_SEG)

/**
 * struct ladder_seg - the notes of one segment, gathered into one arrow
 * @used: this slot holds a segment
 * @flow: the flow as its first note's event showed it (ISNs, endpoints)
 * @notes: the notes
 * @n: how many
 * @has_recv: a note of the receiver's half is among them
 * @since: when the first note came, on the caller's clock (ms)
 */
struct ladder_seg {
	bool used;
	struct flow flow;
	struct note notes[LADDER_NOTES];
	unsigned int n;
	bool has_recv;
	uint64_t since;
};

/**
 * struct ladder - a diagram being drawn
 * @pend: segments being gathered, one per flow at most
 * @last_flow: the flow of the last line drawn, for headers between flows
 * @seen: flows whose header was drawn
 * @nseen: entries of @seen
 * @cap: entries allocated
 */
struct ladder {
	struct ladder_seg pend[LADDER_PENDING];
	uint64_t last_flow;
	uint64_t *seen;
	unsigned int nseen;
	unsigned int cap;
};

void ladder_init(struct ladder *l);
void ladder_event(struct ladder *l, const struct event *ev, uint64_t now);
void ladder_flush(struct ladder *l, uint64_t now, uint64_t older_than);
void ladder_done(struct ladder *l);
bool ladder_pending(const struct ladder *l);
void ladder_show(const struct flow *f);

#endif /* TCPTRACECTL_LADDER_H */

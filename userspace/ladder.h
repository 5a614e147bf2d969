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
 *
 * The text of a ladder (labels, remarks, the clock's lines) is made here;
 * --svg draws the same rows as a picture (svg.c), the text on stdout
 * otherwise.
 */

#ifndef TCPTRACECTL_LADDER_H
#define TCPTRACECTL_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define LADDER_PENDING	32
#define LADDER_NOTES	(2 * TT_NOTES_PER_SEG)

struct svg;

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
 * @svg: the picture being drawn (--svg), or NULL for text
 */
struct ladder {
	struct ladder_seg pend[LADDER_PENDING];
	uint64_t last_flow;
	uint64_t *seen;
	unsigned int nseen;
	size_t cap;
	struct svg *svg;
};

int ladder_init(struct ladder *l);
void ladder_event(struct ladder *l, const struct event *ev, uint64_t now);
void ladder_flush(struct ladder *l, uint64_t now, uint64_t older_than);
int ladder_done(struct ladder *l);
bool ladder_pending(const struct ladder *l);
int ladder_show(const struct flow *f);

/*
 * A row of either ladder: the live one (monitor, replay, show: its segments
 * are all LADDER_WHOLE) and the recorded one (`ladder FILE...`, merge.c).
 * How a row draws its segment:
 */
enum ladder_arrow {
	LADDER_WHOLE,		/* sent and delivered, nothing in between */
	LADDER_LOST,		/* went into the network, never came out */
	LADDER_LEAVES,		/* sent; it arrives further down */
	LADDER_ARRIVES,		/* arrives; it was sent further up */
	LADDER_FROM_NETWORK,	/* arrives, and nobody sent it now */
};

/**
 * struct ladder_row - one row of a ladder
 * @ms: time since the connection's first row (recorded ladders) or since
 *	the flow was created (live ones), in ms
 * @seg: the segment: sender, flags, seq, ack, len; NULL for the clock
 * @how: enum ladder_arrow
 * @wire: the segment's place in the capture plus one, the same in the row
 *	where it leaves and the row where it arrives; 0 for none
 * @retrans: its sender had sent it before
 * @to: each side's state after the row, or -1 where it did not change
 * @notes: the notes of the row; those that are remarks are drawn under it
 * @nnotes: how many
 */
struct ladder_row {
	double ms;
	const struct note *seg;
	enum ladder_arrow how;
	unsigned int wire;
	bool retrans;
	int to[2];
	const struct note *notes;
	unsigned int nnotes;
};

void ladder_row_notes(struct ladder_row *r, const struct note *notes,
		      unsigned int n);

/* The words of a row, for the text and the picture alike. */
void ladder_label(const struct flow *f, const struct ladder_row *r,
		  char *buf, size_t size);
bool ladder_is_remark(const struct note *n);
void ladder_remark(const struct note *n, char *buf, size_t size);
void ladder_timer(const struct note *n, char *buf, size_t size);

void ladder_pair_header(struct svg *svg, uint64_t id, const struct flow *f,
			const char *const from[2], const uint8_t state[2]);
void ladder_pair_row(struct svg *svg, uint64_t id, const struct flow *f,
		     const struct ladder_row *r);
void ladder_foot(struct svg *svg, uint64_t id, const char *text);

#endif /* TCPTRACECTL_LADDER_H */

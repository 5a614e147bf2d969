/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder FILE...`, the merged ladder of recorded runs: what its parts
 * share.  merge.c reads the event files into connections and is the
 * subcommand; merge-wire.c rebuilds each connection's segments from the
 * capture; merge-align.c puts each side's notes on one time line and on
 * their wire segments; merge-draw.c turns that into the rows of ladder.c.
 * The events are read back by json-event.c, the inverse of print.c.
 */

#ifndef TCPTRACECTL_MERGE_H
#define TCPTRACECTL_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "array.h"
#include "filter.h"
#include "flow.h"

struct svg;

#define MAX_FILES	16
#define NS_PER_MS	1000000LL
/* A note further than this from every copy of its segment stays alone. */
#define ATTACH_NS	(250 * NS_PER_MS)
#define NO_TIME		INT64_MIN

/**
 * struct rev - an event read back from a file, turned to its connection
 * @ev: the event; ev.flow's index 0 is the connection's left side
 * @file: the file it came from
 * @flowno: which of the connection's flows in that file (incarnation)
 */
struct rev {
	struct event ev;
	unsigned int file;
	unsigned int flowno;
};

/**
 * struct wseg - a segment on the wire
 * @t_in: when it went into the network (ns), or NO_TIME
 * @t_out: when it came out of it, or NO_TIME
 * @n: its sender, flags, sequence numbers and length, as a note
 * @retrans: its sender had sent it before
 * @key: its TCP header: the copies of one segment share it
 * @keylen: bytes of @key
 * @in_order: order of the copy that went in (or came out), for sorting
 */
struct wseg {
	int64_t t_in;
	int64_t t_out;
	struct note n;
	bool retrans;
	uint8_t key[64];
	unsigned int keylen;
	unsigned int in_order;
};

/**
 * struct anote - a note of one side, placed on the time line
 * @n: the note, turned to the connection
 * @side: 0 left, 1 right
 * @t: its time (ns on the capture's clock, or lined up without one)
 * @seg: the wire segment it belongs to, or -1
 * @at_send: it was made where @seg left (else where it arrived)
 * @line: its event's place among the connection's events (file order)
 */
struct anote {
	struct note n;
	int side;
	int64_t t;
	int seg;
	bool at_send;
	unsigned int line;
};

/**
 * struct pair - one connection (both ends' addresses and ports)
 * @f: what its last event says of it, turned so that index 0 is left
 * @ev: its events, in the order of the files and their lines
 * @nev: how many
 * @ev_cap: room in @ev
 * @auth: the file each side's states come from
 * @guess: that file is not the side's own: it guesses the side's states
 * @seg: its segments on the wire
 * @nseg: how many
 * @seg_cap: room in @seg
 */
struct pair {
	struct flow f;
	struct rev *ev;
	unsigned int nev;
	size_t ev_cap;
	int auth[2];
	bool guess[2];
	struct wseg *seg;
	unsigned int nseg;
	size_t seg_cap;
};

/**
 * struct merge - the whole run
 * @files: the event files
 * @nfiles: how many
 * @wire: the capture, or NULL
 * @filter: which connections to draw
 * @pairs: the connections, in order of appearance
 * @npairs: how many
 * @pairs_cap: room in @pairs
 * @svg: the picture (--svg), or NULL for text
 */
struct merge {
	const char *files[MAX_FILES];
	unsigned int nfiles;
	const char *wire;
	struct filter filter;
	struct pair *pairs;
	unsigned int npairs;
	size_t pairs_cap;
	struct svg *svg;
};

/* merge-wire.c (wire_add(), wire_mark_resends(): tsg.c's too) */
struct capture_frame;
struct tt_seg;
int wire_add(struct wseg **v, unsigned int *n, size_t *cap,
	     const struct capture_frame *fr, const struct tt_seg *seg,
	     int from, unsigned int order);
void wire_mark_resends(struct wseg *segs, unsigned int n);
int read_wire(struct merge *m);

/* merge-align.c */
bool same_seg(const struct note *a, const struct note *b);
int place_notes(const struct pair *p, bool wire, struct anote **out,
		unsigned int *nout);

/* merge-draw.c */
int draw_pair(const struct merge *m, struct pair *p);

#endif /* TCPTRACECTL_MERGE_H */

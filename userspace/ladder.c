// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The ladder (sequence) diagram.  A row is
 *
 *   <client's new state>  <arrow with the segment>  <server's new state>
 *
 * e.g.
 *
 *   SYN_SENT      -- SYN seq=0 ----------------------------------->
 *                 <------------------------- SYN,ACK seq=0 ack=1 --  SYN_RECEIVED
 *   ESTABLISHED   -- ACK seq=1 ack=1 ----------------------------->  ESTABLISHED
 *
 * A state is written only where it changes.  Remarks (retransmissions,
 * ignored RSTs, ...) follow their arrow on lines starting with '!', with the
 * module's own words for them (tt_why_text()); a retransmitted segment's
 * arrow says "(retransmitted)".  The clock's transitions (the end of
 * TIME_WAIT) are rows of dots.
 *
 * Gathering notes into segments: a note belongs to the segment being
 * gathered for its flow when it has the same sender, flags, sequence,
 * acknowledgment and length, came within a second of the first, and is not
 * the start of another segment that looks the same: a sender's note after
 * the receiver's (the state machine applies the sender's half first), or a
 * retransmission remark after anything but an odd-flags remark (the
 * sender's half makes those first).
 *
 * With --svg the same headers, rows and closing lines go to svg.c instead,
 * which draws them as a picture; the words of each come from here.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "ladder.h"
#include "print.h"
#include "svg.h"
#include "tcptracectl.h"

#define STATE_COL	14	/* "SYN_RECEIVED" and two spaces */
#define ARROW_W		50
#define SAME_SEG_MS	1000
#define TIME_COL	9	/* "   12.345 ", the merged ladder's times */

/*
 * The two ladders' rows differ in three things, each kept as it was drawn:
 * the recorded ladder's rows start with their time, its arrows keep eight
 * dashes at least (room for its '~' and "X lost") and are padded to
 * ARROW_W before the right side's state; the live ladder's have no time,
 * keep two dashes, and the state follows the arrow.
 */
struct row_style {
	bool timed;
	int min_fill;
	bool pad;
};

static const struct row_style live_style = { false, 2, false };
static const struct row_style recorded_style = { true, 8, true };

static void put_row(const struct flow *f, const struct ladder_row *r,
		    const struct row_style *st);

/**
 * ladder_row_notes() - a row's notes, and what they say of it
 * @r: the row: its notes, its new states, and whether it is a resend, as
 *	its notes say (added to what @r->retrans says already)
 * @notes: the notes of the row's segment, or the clock's
 * @n: how many
 */
void ladder_row_notes(struct ladder_row *r, const struct note *notes,
		      unsigned int n)
{
	unsigned int i;

	r->notes = notes;
	r->nnotes = n;
	r->to[0] = r->to[1] = -1;
	for (i = 0; i < n; i++) {
		if (notes[i].from != notes[i].to &&
		    (notes[i].endpoint == TT_WHO_CLIENT ||
		     notes[i].endpoint == TT_WHO_SERVER))
			r->to[notes[i].endpoint - TT_WHO_CLIENT] = notes[i].to;
		r->retrans |= tt_why_resent(notes[i].why);
	}
}

/**
 * ladder_label() - the words on a row's arrow: "SYN seq=0 (retransmitted)"
 * @f: the flow, for the ISNs
 * @r: the row, with its segment
 * @buf: where to write
 * @size: its size
 */
void ladder_label(const struct flow *f, const struct ladder_row *r,
		  char *buf, size_t size)
{
	seg_str(f, r->seg, buf, size);
	if (r->retrans)
		strncat(buf, " (retransmitted)", size - strlen(buf) - 1);
	if (r->how == LADDER_FROM_NETWORK)
		strncat(buf, " (from the network)", size - strlen(buf) - 1);
}

/**
 * ladder_is_remark() - is a row's note drawn under it?
 * @n: the note
 *
 * Return: true for a remark (no change of state) or a note that raised an
 * anomaly.
 */
bool ladder_is_remark(const struct note *n)
{
	return n->from == n->to || n->anomalies;
}

/**
 * ladder_remark() - a remark's line: "! server: retransmitted-synack: ..."
 * @n: the note
 * @buf: where to write
 * @size: its size
 */
void ladder_remark(const struct note *n, char *buf, size_t size)
{
	char anom[160];
	int k;

	k = snprintf(buf, size, "! %s: %s", tt_who_name(n->endpoint),
		     tt_why_name(n->why));
	if (n->from == n->to && k >= 0 && (size_t)k < size)
		k += snprintf(buf + k, size - k, ": %s", tt_why_text(n->why));
	/* The reason names the anomaly, but for odd flags and transitions. */
	if (n->anomalies && k >= 0 && (size_t)k < size &&
	    (n->from != n->to || n->why == TT_WHY_ODD_SEGMENT)) {
		tt_anomalies_str(n->anomalies, anom, sizeof(anom));
		snprintf(buf + k, size - k, " [%s]", anom);
	}
}

/**
 * ladder_timer() - what a clock's note did: "timer: 2*MSL passed in ..."
 * @n: the note
 * @buf: where to write
 * @size: its size
 */
void ladder_timer(const struct note *n, char *buf, size_t size)
{
	snprintf(buf, size, "timer: %s", tt_why_text(n->why));
}

/* A note of the receiver's half (the first notes of a flow do not count). */
static bool recv_note(const struct note *n)
{
	return n->endpoint != n->sender && n->why != TT_WHY_PICKED_UP &&
	       n->why != TT_WHY_SCAN_PROBE;
}

static bool same_segment(const struct ladder_seg *g, const struct flow *f,
			 const struct note *n)
{
	const struct note *a = &g->notes[0];
	uint64_t dt = n->time_ms > a->time_ms ? n->time_ms - a->time_ms :
						a->time_ms - n->time_ms;
	unsigned int i;

	if (g->flow.id != f->id || n->sender == TT_WHO_NONE ||
	    a->sender != n->sender || a->tcp_flags != n->tcp_flags ||
	    a->seq != n->seq || a->ack != n->ack || a->len != n->len ||
	    dt > SAME_SEG_MS || g->n == LADDER_NOTES)
		return false;
	if (!recv_note(n) && g->has_recv)
		return false;
	if (tt_why_resent(n->why))
		for (i = 0; i < g->n; i++)
			if (g->notes[i].why != TT_WHY_ODD_SEGMENT)
				return false;
	return true;
}

/**
 * ladder_init() - start a diagram
 * @l: the diagram
 *
 * With --svg it is a picture, into the file that names.
 *
 * Return: 0, or a negative errno (reported) when that file cannot be made.
 */
int ladder_init(struct ladder *l)
{
	memset(l, 0, sizeof(*l));
	return opts.svg ? svg_open(opts.svg, &l->svg) : 0;
}

static bool seen(struct ladder *l, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < l->nseen; i++)
		if (l->seen[i] == id)
			return true;
	if (array_reserve(&l->seen, &l->cap, l->nseen + 1, sizeof(*l->seen),
			  64))
		return false;
	l->seen[l->nseen++] = id;
	return false;
}

static void put_state(unsigned int state, int width)
{
	printf("%s%-*s%s", color_on(state_color(state)), width,
	       tt_state_name(state), color_off(state_color(state)));
}

/* The state @who had before the segment @g: its first note's "from". */
static unsigned int state_before(const struct ladder_seg *g, unsigned int who)
{
	unsigned int i;

	for (i = 0; i < g->n; i++)
		if (g->notes[i].endpoint == who + TT_WHO_CLIENT)
			return g->notes[i].from;
	return g->flow.state[who];
}

/* A flow's header the first time, a reminder when flows interleave. */
static void header(struct ladder *l, const struct ladder_seg *g)
{
	const struct flow *f = &g->flow;
	char ep[2][ENDPOINT_STRLEN], title[2 * ENDPOINT_STRLEN + 48];
	char side[2][ENDPOINT_STRLEN + 8];
	const char *sides[2] = { side[0], side[1] };
	uint8_t st[2] = { state_before(g, 0), state_before(g, 1) };
	int pad;

	if (l->last_flow == f->id)
		return;
	endpoint_str(f, 0, ep[0], sizeof(ep[0]));
	endpoint_str(f, 1, ep[1], sizeof(ep[1]));
	if (seen(l, f->id)) {
		if (!l->svg)
			printf("%s-- flow %llu: %s -> %s%s\n", color_on(C_DIM),
			       (unsigned long long)f->id, ep[0], ep[1],
			       color_off(C_DIM));
		l->last_flow = f->id;
		return;
	}
	snprintf(title, sizeof(title), "flow %llu (%s): %s -> %s",
		 (unsigned long long)f->id, family_name(f->family), ep[0],
		 ep[1]);
	snprintf(side[0], sizeof(side[0]), "client %s", ep[0]);
	snprintf(side[1], sizeof(side[1]), "server %s", ep[1]);
	if (l->svg) {
		l->last_flow = f->id;
		svg_head(l->svg, f->id, title, sides, st);
		return;
	}
	if (l->last_flow)
		printf("\n");
	l->last_flow = f->id;
	printf("%s== %s ==%s\n", color_on(C_BOLD), title, color_off(C_BOLD));
	pad = STATE_COL + ARROW_W + 2 - (int)strlen(side[0]);
	printf("%s%*s %s\n", side[0], pad > 0 ? pad - 1 : 0, "", side[1]);
	put_state(st[0], STATE_COL + ARROW_W + 2);
	put_state(st[1], 0);
	printf("\n");
}

/* A clock's line: dots, and what the timer did. */
static void timer_row(const struct note *n)
{
	char what[ARROW_W + 48], buf[ARROW_W + 64];
	int w = n->endpoint == TT_WHO_CLIENT ? 0 : 1;

	ladder_timer(n, what, sizeof(what));
	snprintf(buf, sizeof(buf), ".. %s ..", what);
	if (w == 0)
		put_state(n->to, STATE_COL);
	else
		printf("%*s", STATE_COL, "");
	if (w == 1) {
		printf("%s%-*s%s  ", color_on(C_DIM), ARROW_W, buf,
		       color_off(C_DIM));
		put_state(n->to, 0);
	} else {
		printf("%s%s%s", color_on(C_DIM), buf, color_off(C_DIM));
	}
	printf("\n");
}

/* A remark on its own line under its arrow, after @indent columns. */
static void remark_at(const struct note *n, int indent)
{
	char buf[320];

	ladder_remark(n, buf, sizeof(buf));
	printf("%*s%*s%s%s%s\n", indent, "", STATE_COL, "", color_on(C_RED),
	       buf, color_off(C_RED));
}

/* Draw a gathered segment and free its slot. */
static void draw(struct ladder *l, struct ladder_seg *g)
{
	struct ladder_row r = {
		.ms = g->notes[0].time_ms, .how = LADDER_WHOLE
	};

	header(l, g);
	if (g->notes[0].sender != TT_WHO_NONE)
		r.seg = &g->notes[0];
	ladder_row_notes(&r, g->notes, g->n);
	if (l->svg)
		svg_row(l->svg, g->flow.id, &g->flow, &r);
	else
		put_row(&g->flow, &r, &live_style);
	g->used = false;
}

/* "= flow 1 ended: completed" */
static void end_line(struct ladder *l, const struct flow *f)
{
	char buf[64];

	if (l->last_flow != f->id && !l->svg)
		printf("%s-- flow %llu%s\n", color_on(C_DIM),
		       (unsigned long long)f->id, color_off(C_DIM));
	l->last_flow = f->id;
	snprintf(buf, sizeof(buf), "flow %llu ended: %s",
		 (unsigned long long)f->id, tt_outcome_name(f->outcome));
	ladder_foot(l->svg, f->id, buf);
}

static struct ladder_seg *pending_of(struct ladder *l, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < LADDER_PENDING; i++)
		if (l->pend[i].used && l->pend[i].flow.id == id)
			return &l->pend[i];
	return NULL;
}

/* A free slot; the oldest is drawn to make one if need be. */
static struct ladder_seg *new_slot(struct ladder *l)
{
	struct ladder_seg *old = NULL;
	unsigned int i;

	for (i = 0; i < LADDER_PENDING; i++) {
		if (!l->pend[i].used)
			return &l->pend[i];
		if (!old || l->pend[i].since < old->since)
			old = &l->pend[i];
	}
	draw(l, old);
	return old;
}

/**
 * ladder_event() - add an event to the diagram
 * @l: the diagram
 * @ev: the event
 * @now: the caller's clock in ms, for ladder_flush()
 */
void ladder_event(struct ladder *l, const struct event *ev, uint64_t now)
{
	const struct flow *f = &ev->flow;
	struct ladder_seg *g;

	switch (ev->type) {
	case EV_NEW:
		return;		/* the header comes with the first arrow */
	case EV_LOST:
		ladder_flush(l, now, 0);
		print_event(ev);
		l->last_flow = 0;
		return;
	case EV_END:
		g = pending_of(l, f->id);
		if (g)
			draw(l, g);
		end_line(l, f);
		fflush(stdout);
		return;
	default:
		break;
	}
	g = pending_of(l, f->id);
	if (g && same_segment(g, f, &ev->note)) {
		g->notes[g->n++] = ev->note;
		g->has_recv |= recv_note(&ev->note);
		return;
	}
	if (g)
		draw(l, g);
	else
		g = new_slot(l);
	g->used = true;
	g->flow = *f;
	g->flow.hist = NULL;
	g->flow.nhist = 0;
	g->notes[0] = ev->note;
	g->n = 1;
	g->has_recv = recv_note(&ev->note);
	g->since = now;
}

/**
 * ladder_flush() - draw the segments gathered for a while
 * @l: the diagram
 * @now: the caller's clock in ms
 * @older_than: draw those gathered at least this long ago; 0 for all
 */
void ladder_flush(struct ladder *l, uint64_t now, uint64_t older_than)
{
	unsigned int i;
	bool any;

	do {
		struct ladder_seg *old = NULL;

		any = false;
		for (i = 0; i < LADDER_PENDING; i++) {
			struct ladder_seg *g = &l->pend[i];

			if (g->used && (!older_than ||
					now - g->since >= older_than) &&
			    (!old || g->since < old->since))
				old = g;
		}
		if (old) {
			draw(l, old);
			any = true;
		}
	} while (any);
	fflush(stdout);
}

bool ladder_pending(const struct ladder *l)
{
	unsigned int i;

	for (i = 0; i < LADDER_PENDING; i++)
		if (l->pend[i].used)
			return true;
	return false;
}

/**
 * ladder_done() - draw what is left and free the diagram
 * @l: the diagram
 *
 * Return: 0, or a negative errno (reported) when the picture could not be
 * written.
 */
int ladder_done(struct ladder *l)
{
	int err = 0;

	ladder_flush(l, 0, 0);
	free(l->seen);
	l->seen = NULL;
	if (l->svg)
		err = svg_close(l->svg);
	l->svg = NULL;
	return err;
}

/**
 * ladder_show() - the diagram of one flow from its history
 * @f: the flow, with its history
 *
 * Return: 0, or a negative errno (reported) when --svg's file could not be
 * written.
 */
int ladder_show(const struct flow *f)
{
	struct event ev = { .type = EV_TRANSITION, .flow = *f };
	struct ladder l;
	unsigned int i, w;
	int err;

	err = ladder_init(&l);
	if (err)
		return err;
	ev.flow.hist = NULL;
	ev.flow.nhist = 0;
	/* The header's states: where each endpoint's history starts. */
	for (w = 0; w < 2; w++)
		for (i = f->nhist; i-- > 0;)
			if (f->hist[i].endpoint == w + TT_WHO_CLIENT)
				ev.flow.state[w] = f->hist[i].from;
	for (i = 0; i < f->nhist; i++) {
		ev.note = f->hist[i];
		ladder_event(&l, &ev, 0);
	}
	if (!f->nhist && l.svg) {
		struct ladder_seg g = { .flow = ev.flow };

		header(&l, &g);
		svg_foot(l.svg, f->id, "(no history kept)");
	} else if (!f->nhist) {
		char ep[2][ENDPOINT_STRLEN];

		endpoint_str(f, 0, ep[0], sizeof(ep[0]));
		endpoint_str(f, 1, ep[1], sizeof(ep[1]));
		printf("== flow %llu (%s): %s -> %s ==\n(no history kept)\n",
		       (unsigned long long)f->id, family_name(f->family),
		       ep[0], ep[1]);
	}
	ladder_flush(&l, 0, 0);
	l.last_flow = f->id;
	if (f->flags & TT_FLOW_F_ENDED) {
		end_line(&l, f);
	} else if (l.svg) {
		char buf[64];

		snprintf(buf, sizeof(buf), "now: client %s, server %s",
			 tt_state_name(f->state[0]), tt_state_name(f->state[1]));
		svg_foot(l.svg, f->id, buf);
	} else {
		printf("= now: client ");
		put_state(f->state[0], 0);
		printf(", server ");
		put_state(f->state[1], 0);
		printf("\n");
	}
	return ladder_done(&l);
}

/* --- the merged ladder of recorded files (`ladder`, merge.c) ------------ */

/**
 * ladder_pair_header() - the head of one connection's merged ladder
 * @svg: the picture (--svg), or NULL for text
 * @id: the connection's number in the picture
 * @f: the connection, the left endpoint as its client
 * @from: where each side's states come from (a file name), or NULL
 * @state: each side's state before the first row
 */
void ladder_pair_header(struct svg *svg, uint64_t id, const struct flow *f,
			const char *const from[2], const uint8_t state[2])
{
	char ep[2][ENDPOINT_STRLEN], col[2][ENDPOINT_STRLEN + 320];
	char title[2 * ENDPOINT_STRLEN + 32];
	const char *cols[2] = { col[0], col[1] };
	int pad, w;

	for (w = 0; w < 2; w++) {
		endpoint_str(f, w, ep[w], sizeof(ep[w]));
		snprintf(col[w], sizeof(col[w]), "%s %s%s%s%s",
			 w ? "server" : "client", ep[w], from[w] ? " (" : "",
			 from[w] ? from[w] : "", from[w] ? ")" : "");
	}
	snprintf(title, sizeof(title), "%s <-> %s (%s)", ep[0], ep[1],
		 family_name(f->family));
	if (svg) {
		svg_head(svg, id, title, cols, state);
		return;
	}
	printf("%s== %s ==%s\n", color_on(C_BOLD), title, color_off(C_BOLD));
	pad = STATE_COL + ARROW_W + 2 - (int)strlen(col[0]);
	printf("%*s%s%*s%s\n", TIME_COL, "", col[0], pad > 1 ? pad : 1, "",
	       col[1]);
	printf("%*s", TIME_COL, "");
	put_state(state[0], STATE_COL + ARROW_W + 2);
	put_state(state[1], 0);
	printf("\n");
}

static void fill(char *buf, size_t size, size_t *i, char c, int n)
{
	while (n-- > 0 && *i + 1 < size)
		buf[(*i)++] = c;
	buf[*i] = '\0';
}

static void put(char *buf, size_t size, size_t *i, const char *s)
{
	while (*s && *i + 1 < size)
		buf[(*i)++] = *s++;
	buf[*i] = '\0';
}

/*
 * The arrow of a row, ARROW_W wide unless the label is long:
 *
 *   -- SYN seq=0 ------------------------------->   sent and delivered
 *   -- SYN seq=0 ---------------------------X lost   lost in the network
 *   -- SYN seq=0 ---------------~~~~~~~~~~~~~~~~~~   on its way...
 *   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~ SYN seq=0 ------>   ...delivered
 *
 * and the mirror images for the right side's segments.
 */
static void arrow(const struct flow *f, const struct ladder_row *r,
		  int min_fill, char *buf, size_t size)
{
	bool right = r->seg->sender == TT_WHO_CLIENT;
	char label[160];
	size_t i = 0;
	int n;

	ladder_label(f, r, label, sizeof(label));
	n = ARROW_W - (int)strlen(label) - 6;
	if (n < min_fill)
		n = min_fill;
	buf[0] = '\0';
	switch (r->how) {
	case LADDER_WHOLE:
		if (right) {
			put(buf, size, &i, "-- ");
			put(buf, size, &i, label);
			put(buf, size, &i, " ");
			fill(buf, size, &i, '-', n);
			put(buf, size, &i, ">");
		} else {
			put(buf, size, &i, "<");
			fill(buf, size, &i, '-', n);
			put(buf, size, &i, " ");
			put(buf, size, &i, label);
			put(buf, size, &i, " --");
		}
		break;
	case LADDER_LOST:
		if (right) {
			put(buf, size, &i, "-- ");
			put(buf, size, &i, label);
			put(buf, size, &i, " ");
			fill(buf, size, &i, '-', n - 5);
			put(buf, size, &i, "X lost");
		} else {
			put(buf, size, &i, "lost X");
			fill(buf, size, &i, '-', n - 5);
			put(buf, size, &i, " ");
			put(buf, size, &i, label);
			put(buf, size, &i, " --");
		}
		break;
	case LADDER_LEAVES:
		if (right) {
			put(buf, size, &i, "-- ");
			put(buf, size, &i, label);
			put(buf, size, &i, " ");
			fill(buf, size, &i, '-', n / 2);
			fill(buf, size, &i, '~', n + 1 - n / 2);
		} else {
			fill(buf, size, &i, '~', n + 1 - n / 2);
			fill(buf, size, &i, '-', n / 2);
			put(buf, size, &i, " ");
			put(buf, size, &i, label);
			put(buf, size, &i, " --");
		}
		break;
	case LADDER_ARRIVES:
	case LADDER_FROM_NETWORK:
		if (right) {
			fill(buf, size, &i, '~', n + 1 - n / 2);
			fill(buf, size, &i, '-', n / 2);
			put(buf, size, &i, " ");
			put(buf, size, &i, label);
			put(buf, size, &i, " --");
			/* the head, in place of the last dash */
			buf[i - 1] = '>';
		} else {
			put(buf, size, &i, "<-- ");
			put(buf, size, &i, label);
			put(buf, size, &i, " ");
			fill(buf, size, &i, '-', n / 2 - 1);
			fill(buf, size, &i, '~', n + 1 - n / 2);
		}
		break;
	}
}

/*
 * One row: its time (@st->timed), the left side's new state, the arrow,
 * the right side's new state; then the row's remarks, each on its own
 * line.  A row of the clock is a line of dots for each of its notes.
 */
static void put_row(const struct flow *f, const struct ladder_row *r,
		    const struct row_style *st)
{
	int indent = st->timed ? TIME_COL : 0;
	char buf[256];
	bool red;
	unsigned int i;

	if (st->timed)
		printf("%8.3f ", r->ms / 1000.0);
	if (!r->seg) {
		for (i = 0; i < r->nnotes; i++) {
			if (i)
				printf("%*s", indent, "");
			timer_row(&r->notes[i]);
		}
		return;
	}
	if (r->to[0] >= 0)
		put_state(r->to[0], STATE_COL);
	else
		printf("%*s", STATE_COL, "");
	arrow(f, r, st->min_fill, buf, sizeof(buf));
	red = r->retrans || r->how == LADDER_LOST ||
	      r->how == LADDER_FROM_NETWORK;
	printf("%s%-*s%s", color_on(red ? C_RED : C_NONE),
	       st->pad && r->to[1] >= 0 ? ARROW_W : 0, buf,
	       color_off(red ? C_RED : C_NONE));
	if (r->to[1] >= 0) {
		printf("  ");
		put_state(r->to[1], 0);
	}
	printf("\n");
	for (i = 0; i < r->nnotes; i++)
		if (ladder_is_remark(&r->notes[i]))
			remark_at(&r->notes[i], indent);
}

/**
 * ladder_pair_row() - draw one row of a merged ladder
 * @svg: the picture (--svg), or NULL for text
 * @id: the connection's number in the picture
 * @f: the connection, the left endpoint as its client
 * @r: the row
 */
void ladder_pair_row(struct svg *svg, uint64_t id, const struct flow *f,
		     const struct ladder_row *r)
{
	if (svg)
		svg_row(svg, id, f, r);
	else
		put_row(f, r, &recorded_style);
}

/**
 * ladder_foot() - a closing line: how a flow ended, or how it stands
 * @svg: the picture (--svg), or NULL for text ("= " and @text)
 * @id: the flow's (or connection's) number in the picture
 * @text: the line
 */
void ladder_foot(struct svg *svg, uint64_t id, const char *text)
{
	if (svg)
		svg_foot(svg, id, text);
	else
		printf("%s= %s%s\n", color_on(C_BOLD), text, color_off(C_BOLD));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `replay --graph tsg FILE`: the time-sequence graph of one direction of
 * one flow, as classic tcptrace -S (xplot) and Wireshark's "Stevens graph"
 * draw it.  Time runs right, in seconds since the flow's first segment;
 * sequence numbers run up, relative to the sender's ISN:
 *
 *   each segment the sender sent: a bar from its first sequence number to
 *	its last, at the time it was sent (a SYN or a FIN takes one number)
 *   a SYN a square on its bar, a FIN a triangle, a RST a filled diamond
 *	with "RST"; a retransmission a red bar with an "R"; a segment that
 *	went into the network and never came out (a router's capture) an X
 *   the peer's ACK line: the highest acknowledgment the sender had been
 *	given, a solid step line; its window line, the ACK plus the peer's
 *	window (scaled, as the handshake agreed), a dashed one above it
 *
 * Shapes, letters and dash patterns carry the meaning; colour only adds to
 * them.  The picture is drawn with svg.c's primitives.
 *
 * Which flow: of those replay's filters pass (at any of their segments),
 * --flow N's, or the one whose busier direction sent the most; which
 * direction: --sender's, or the one that sent the most payload (then the
 * most sequence space: SYNs and FINs, resends included, so that a flow of
 * resent FINs shows its resends).
 *
 * A capture made with `tcpdump -i any` on a router (Linux cooked capture,
 * as the break-it lab's) has each segment twice: going into the network
 * and coming out of it.  The two copies are one segment (wire_add(), as
 * the ladder's): the sender's segments are drawn when they went in, the
 * peer's ACKs when they came out towards the sender; an ACK lost on its
 * way moves no line, as the sender never had it.  A capture that says no
 * direction, or one whose copies never pair (taken on an endpoint), has
 * each segment once, at its time.  Retransmissions are the shared core's:
 * each segment through tt_conn_segment(), in order, a resend one its
 * sender's tt_why_resent() note or inside the sender's run of data resends
 * (wire_mark_resends()).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "capture.h"
#include "merge.h"
#include "svg.h"
#include "tcptracectl.h"
#include "tsg.h"

#define FS		12
#define FS_SMALL	11
#define FS_TITLE	14
#define MARGIN		16
#define WIDTH_MIN	960
#define PL		112	/* the plot's left edge: room for the y ticks */
#define PR		40	/* room right of the plot */
#define PAD		12	/* between the y axis and time 0 */
#define PT		64	/* the plot's top */
#define PH		440	/* its height */
#define LEGEND_H	22
#define TICKS		8	/* about this many ticks an axis */
#define WIN_ROOM	4	/* the window line fits if the plot stays 1/4 data */

/* What the picture drew, for its legend. */
enum {
	USED_SYN	= 1 << 0,
	USED_FIN	= 1 << 1,
	USED_RST	= 1 << 2,
	USED_RETRANS	= 1 << 3,
	USED_LOST	= 1 << 4,
	USED_CLAMPED	= 1 << 5,	/* the window line runs above the top */
};

/**
 * struct tflow - a flow's segments, as the capture had them
 * @f: the flow as replay last reported it (endpoints, ISNs)
 * @match: replay's filters passed it at one of its segments
 * @seg: its segments, the copies of one segment made one
 * @nseg: how many
 * @cap: room in @seg
 */
struct tflow {
	struct flow f;
	bool match;
	struct wseg *seg;
	unsigned int nseg;
	size_t cap;
};

/**
 * struct tsg - a graph being gathered
 * @o: the options
 * @capture: the capture's name, for messages
 * @fp: the picture's file
 * @err: the first error while gathering (-ENOMEM)
 * @dirs: a frame said which way it crossed its interface
 * @order: frames so far
 * @fl: the flows, in the order of their ids
 * @n: how many
 * @cap: room in @fl
 */
struct tsg {
	struct tsg_opts o;
	const char *capture;
	FILE *fp;
	int err;
	bool dirs;
	unsigned int order;
	struct tflow *fl;
	unsigned int n;
	size_t cap;
};

/* A segment of the graph's direction, placed. */
struct mark {
	int64_t t;		/* ns since the flow's first segment */
	int64_t y0, y1;		/* sequence numbers, relative */
	uint8_t flags;		/* TT_TCP_* */
	bool retrans;
	bool lost;
	bool peer;		/* the peer's RST, on the ACK line */
};

/* An ACK of the peer's, as it reached the sender. */
struct step {
	int64_t t;
	int64_t ack;		/* relative to the sender's ISN */
	int64_t top;		/* @ack plus the window */
};

/* The plot's scales. */
struct scale {
	double xhi;		/* seconds at the right edge */
	double xstep;
	int64_t ylo, yhi;	/* sequence numbers at the bottom and top */
	int64_t ystep;
	int x0;			/* where time 0 is */
	int pw;			/* from there to the right edge */
};

/* --- options --------------------------------------------------------- */

/**
 * tsg_option() - read one of the graph's options at argv[*i]
 * @o: the options
 * @argc: arguments
 * @argv: the arguments
 * @i: the option's index; moved past its value when it is one of them
 *
 * --graph tsg, --flow N, --sender client|server.
 *
 * Return: 0 if it was one, 1 if not, -ERR_USAGE (reported) for a bad value.
 */
int tsg_option(struct tsg_opts *o, int argc, char **argv, int *i)
{
	const char *opt = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned long long n;
	int who;

	if (strcmp(opt, "--graph") && strcmp(opt, "--flow") &&
	    strcmp(opt, "--sender"))
		return 1;
	if (!val)
		return usage_error("%s needs a value", opt);
	if (!strcmp(opt, "--graph")) {
		if (strcmp(val, "tsg"))
			return usage_error("--graph draws tsg (the time-sequence graph), not '%s'",
					   val);
		o->on = true;
	} else if (!strcmp(opt, "--flow")) {
		if (!parse_uint(val, UINT64_MAX, &n) || !n)
			return usage_error("--flow takes a flow's number, as replay prints it (from 1), not '%s'",
					   val);
		o->has_flow = true;
		o->flow = n;
	} else {
		who = tt_who_value(val);	/* the core's names */
		if (who != TT_WHO_CLIENT && who != TT_WHO_SERVER)
			return usage_error("--sender is client or server, not '%s'",
					   val);
		o->sender = who;
	}
	*i += 2;
	return 0;
}

/**
 * tsg_check() - the options as a whole, once read
 * @o: the options
 * @list: replay's --list was given
 *
 * The graph takes --svg's file (standard output without it) and draws no
 * ladder: opts.svg and opts.ladder are cleared for replay's own output.
 *
 * Return: 0, or -ERR_USAGE (reported).
 */
int tsg_check(struct tsg_opts *o, bool list)
{
	if (!o->on) {
		if (o->has_flow || o->sender != TT_WHO_NONE)
			return usage_error("--flow and --sender choose what --graph tsg draws");
		return 0;
	}
	if (opts.json)
		return usage_error("--json and --graph do not mix");
	if (list)
		return usage_error("--list and --graph do not mix");
	if (opts.ladder && !opts.svg)
		return usage_error("--ladder and --graph do not mix");
	o->out = opts.svg ? opts.svg : "-";
	opts.svg = NULL;
	opts.ladder = false;
	return 0;
}

/* --- gathering ------------------------------------------------------- */

/**
 * tsg_open() - start a graph
 * @o: the options, as tsg_check() left them
 * @capture: the capture's name, for messages
 * @out: the graph
 *
 * Return: 0, or a negative errno (reported).
 */
int tsg_open(const struct tsg_opts *o, const char *capture, struct tsg **out)
{
	struct tsg *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	t->o = *o;
	t->capture = capture;
	err = svg_file_open(o->out, &t->fp);
	if (err) {
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

/* The flow numbered @id: flows come in the order of their ids. */
static struct tflow *find(struct tsg *t, uint64_t id)
{
	unsigned int lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->fl[mid].f.id == id)
			return &t->fl[mid];
		if (t->fl[mid].f.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/**
 * tsg_segment() - a TCP segment of the capture, and its flow
 * @t: the graph
 * @f: its flow, as replay reports it now
 * @match: replay's filters pass the flow now
 * @fr: its frame
 * @seg: its segment, parsed (@seg->len set)
 * @from_server: the server sent it
 */
void tsg_segment(struct tsg *t, const struct flow *f, bool match,
		 const struct capture_frame *fr, const struct tt_seg *seg,
		 bool from_server)
{
	struct tflow *tf = find(t, f->id);

	if (t->err)
		return;
	if (!tf) {
		tf = ARRAY_PUSH(t->fl, t->n, t->cap);
		if (!tf) {
			t->err = -ENOMEM;
			return;
		}
		memset(tf, 0, sizeof(*tf));
	}
	tf->f = *f;
	tf->f.hist = NULL;
	tf->f.nhist = 0;
	tf->match |= match;
	if (fr->dir != CAPTURE_DIR_UNKNOWN)
		t->dirs = true;
	if (wire_add(&tf->seg, &tf->nseg, &tf->cap, fr, seg, from_server,
		     t->order++))
		t->err = -ENOMEM;
}

/* --- choosing -------------------------------------------------------- */

/* What side @w sent: payload bytes and sequence space, resends included. */
static void sent(const struct tflow *tf, unsigned int w, uint64_t *bytes,
		 uint64_t *space)
{
	unsigned int i;

	*bytes = *space = 0;
	for (i = 0; i < tf->nseg; i++) {
		const struct note *n = &tf->seg[i].n;

		if (n->sender != TT_WHO_CLIENT + w)
			continue;
		*bytes += n->len;
		*space += n->len + !!(n->tcp_flags & TT_TCP_SYN) +
			  !!(n->tcp_flags & TT_TCP_FIN);
	}
}

/* Did side @w of @tf send more than *@best (bytes, then space)? */
static bool more(const struct tflow *tf, unsigned int w, uint64_t best[2])
{
	uint64_t b, s;

	sent(tf, w, &b, &s);
	if (b < best[0] || (b == best[0] && s <= best[1]))
		return false;
	best[0] = b;
	best[1] = s;
	return true;
}

/* The flow and the sender to draw: 0 client, 1 server; or reported NULL. */
static struct tflow *choose(struct tsg *t, unsigned int *who)
{
	uint64_t best[2] = { 0, 0 };
	struct tflow *pick = NULL, *tf;
	unsigned int i, w;
	bool any = false;

	if (!t->n) {
		error_msg("replay --graph: %s: no TCP segment to draw",
			  t->capture);
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		tf = &t->fl[i];
		if (!tf->match || (t->o.has_flow && tf->f.id != t->o.flow))
			continue;
		for (w = 0; w < 2; w++) {
			if (t->o.sender != TT_WHO_NONE &&
			    t->o.sender != TT_WHO_CLIENT + w)
				continue;
			if (more(tf, w, best) || !any) {
				pick = tf;
				*who = w;
			}
			any = true;
		}
	}
	if (!pick) {
		tf = t->o.has_flow ? find(t, t->o.flow) : NULL;
		if (t->o.has_flow && !tf)
			error_msg("replay --graph: %s: no flow #%llu (replay %s numbers them)",
				  t->capture, (unsigned long long)t->o.flow,
				  t->capture);
		else if (t->o.has_flow)
			error_msg("replay --graph: %s: flow #%llu does not pass the filter",
				  t->capture, (unsigned long long)t->o.flow);
		else
			error_msg("replay --graph: %s: no flow passes the filter",
				  t->capture);
		return NULL;
	}
	return pick;
}

/* --- placing --------------------------------------------------------- */

/* @v relative to @base, near *@last (wraps of 32 bits undone); now *@last */
static int64_t unwrap(uint32_t v, uint32_t base, int64_t *last)
{
	*last += (int32_t)(v - (uint32_t)(base + (uint64_t)*last));
	return *last;
}

static int cmp_step(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/**
 * struct graph - one direction, placed
 * @tf: the flow
 * @who: the sender, 0 client or 1 server
 * @router: the capture has each segment going in and coming out
 * @base: the sender's ISN (or its first sequence number)
 * @t0: the flow's first segment, ns
 * @span: from it to the flow's last, ns
 * @m: the sender's segments
 * @nm: how many
 * @s: the peer's ACKs as the sender had them, in time order
 * @ns: how many
 * @used: USED_* bits
 * @win: the largest window the peer gave
 */
struct graph {
	const struct tflow *tf;
	unsigned int who;
	bool router;
	uint32_t base;
	int64_t t0;
	int64_t span;
	struct mark *m;
	unsigned int nm;
	struct step *s;
	unsigned int ns;
	unsigned int used;
	int64_t win;
};

/* Each copy's times: see the top of the file. */
static bool wire_times(struct tflow *tf, bool dirs)
{
	bool router = false;
	unsigned int i;

	for (i = 0; dirs && i < tf->nseg; i++)
		if (tf->seg[i].t_in != NO_TIME && tf->seg[i].t_out != NO_TIME)
			router = true;
	for (i = 0; i < tf->nseg; i++) {
		struct wseg *w = &tf->seg[i];

		if (w->t_in == NO_TIME)
			w->t_in = w->t_out;	/* from the network */
		if (!router)
			w->t_out = w->t_in;
	}
	return router;
}

/* The sender's first sequence number, when its SYN was not seen. */
static uint32_t first_seq(const struct tflow *tf, unsigned int who)
{
	unsigned int i;

	for (i = 0; i < tf->nseg; i++)
		if (tf->seg[i].n.sender == TT_WHO_CLIENT + who)
			return tf->seg[i].n.seq;
	for (i = 0; i < tf->nseg; i++)	/* it sent nothing: the peer's ACK */
		if (tf->seg[i].n.tcp_flags & TT_TCP_ACK)
			return tf->seg[i].n.ack;
	return 0;
}

static int place(struct graph *g, struct tflow *tf, unsigned int who,
		 bool dirs)
{
	int64_t hi = INT64_MIN, last = 0, alast = 0, best = INT64_MIN;
	bool wscale[2] = { false, false }, scaled;
	uint8_t shift[2] = { 0, 0 };
	unsigned int i, snd = TT_WHO_CLIENT + who;
	struct tt_seg seg;

	memset(g, 0, sizeof(*g));
	g->tf = tf;
	g->who = who;
	g->router = wire_times(tf, dirs);
	wire_mark_resends(tf->seg, tf->nseg);
	g->base = tf->f.has_isn[who] ? tf->f.isn[who] : first_seq(tf, who);
	g->m = calloc(tf->nseg + 1, sizeof(*g->m));
	g->s = calloc(tf->nseg + 1, sizeof(*g->s));
	if (!g->m || !g->s)
		return -ENOMEM;
	g->t0 = INT64_MAX;
	for (i = 0; i < tf->nseg; i++) {
		const struct wseg *w = &tf->seg[i];
		unsigned int from = w->n.sender == TT_WHO_SERVER;

		g->t0 = w->t_in < g->t0 ? w->t_in : g->t0;
		hi = w->t_in > hi ? w->t_in : hi;
		hi = w->t_out > hi ? w->t_out : hi;
		if (tt_parse_tcp(w->key, w->keylen, &seg) == TT_PARSE_OK &&
		    (seg.flags & TT_TCP_SYN) && (seg.opts & TT_OPT_WSCALE)) {
			wscale[from] = true;
			shift[from] = seg.wscale > 14 ? 14 : seg.wscale;
		}
	}
	g->span = hi - g->t0;
	scaled = wscale[0] && wscale[1];
	for (i = 0; i < tf->nseg; i++) {
		const struct wseg *w = &tf->seg[i];
		const struct note *n = &w->n;
		struct mark *m;
		struct step *s;

		if (n->sender == snd) {
			if (!n->len && !(n->tcp_flags &
					 (TT_TCP_SYN | TT_TCP_FIN | TT_TCP_RST)))
				continue;	/* takes no sequence number */
			m = &g->m[g->nm++];
			m->t = w->t_in - g->t0;
			m->y0 = unwrap(n->seq, g->base, &last);
			m->y1 = m->y0 + n->len + !!(n->tcp_flags & TT_TCP_SYN) +
				!!(n->tcp_flags & TT_TCP_FIN);
			m->flags = n->tcp_flags;
			m->retrans = w->retrans;
			m->lost = g->router && w->t_out == NO_TIME;
			g->used |= (m->flags & TT_TCP_SYN ? USED_SYN : 0) |
				   (m->flags & TT_TCP_FIN ? USED_FIN : 0) |
				   (m->flags & TT_TCP_RST ? USED_RST : 0) |
				   (m->retrans ? USED_RETRANS : 0) |
				   (m->lost ? USED_LOST : 0);
			continue;
		}
		if (w->t_out == NO_TIME)
			continue;	/* lost on its way to the sender */
		if (n->tcp_flags & TT_TCP_ACK) {
			s = &g->s[g->ns++];
			s->t = w->t_out - g->t0;
			s->ack = unwrap(n->ack, g->base, &alast);
			if (tt_parse_tcp(w->key, w->keylen, &seg) != TT_PARSE_OK)
				seg.window = 0;
			s->top = s->ack + ((uint64_t)seg.window <<
					   (scaled && !(seg.flags & TT_TCP_SYN) ?
					    shift[!who] : 0));
		}
		if (n->tcp_flags & TT_TCP_RST) {
			m = &g->m[g->nm++];
			m->t = w->t_out - g->t0;
			m->y0 = m->y1 = (n->tcp_flags & TT_TCP_ACK) ?
					alast : INT64_MIN;
			m->flags = n->tcp_flags;
			m->peer = true;
			g->used |= USED_RST;
		}
	}
	qsort(g->s, g->ns, sizeof(*g->s), cmp_step);
	/* The ACK line never goes down: the highest ACK the sender had. */
	for (i = 0; i < g->ns; i++) {
		if (g->s[i].top - g->s[i].ack > g->win)
			g->win = g->s[i].top - g->s[i].ack;
		best = g->s[i].ack > best ? g->s[i].ack : best;
		g->s[i].ack = best;
	}
	return 0;
}

/* --- scales ---------------------------------------------------------- */

/* A step of 1, 2 or 5 times a power of ten, about @span / @n. */
static double nice_step(double span, unsigned int n)
{
	double raw = span / n, mag = 1;

	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	if (raw <= mag)
		return mag;
	if (raw <= 2 * mag)
		return 2 * mag;
	if (raw <= 5 * mag)
		return 5 * mag;
	return 10 * mag;
}

static int64_t floor_to(int64_t v, int64_t step)
{
	int64_t q = v / step;

	return (q * step > v ? q - 1 : q) * step;
}

static void scales(struct graph *g, struct scale *sc, int width)
{
	int64_t lo = 0, hi = 1, top = INT64_MIN;
	double span = g->span / 1e9;
	unsigned int i, k;

	for (i = 0; i < g->nm; i++) {
		if (g->m[i].y0 == INT64_MIN)
			continue;
		lo = g->m[i].y0 < lo ? g->m[i].y0 : lo;
		hi = g->m[i].y1 > hi ? g->m[i].y1 : hi;
	}
	for (i = 0; i < g->ns; i++) {
		lo = g->s[i].ack < lo ? g->s[i].ack : lo;
		hi = g->s[i].ack > hi ? g->s[i].ack : hi;
		top = g->s[i].top > top ? g->s[i].top : top;
	}
	if (top > hi && top - lo <= WIN_ROOM * (hi - lo))
		hi = top;
	else if (top > hi)
		g->used |= USED_CLAMPED;
	sc->ystep = (int64_t)nice_step(hi - lo, TICKS);
	if (sc->ystep < 1)
		sc->ystep = 1;
	sc->ylo = floor_to(lo, sc->ystep);
	sc->yhi = -floor_to(-hi, sc->ystep);
	if (g->used & USED_CLAMPED)	/* the window line on top, alone */
		sc->yhi += sc->ystep;
	if (span < 0.001)
		span = 0.001;
	sc->xstep = nice_step(span, TICKS);
	k = (unsigned int)(span / sc->xstep + 0.999999);
	sc->xhi = k * sc->xstep;
	sc->x0 = PL + PAD;
	sc->pw = width - sc->x0 - PR;
}

static int iround(double v)
{
	return (int)(v < 0 ? v - 0.5 : v + 0.5);
}

static int px_x(const struct scale *sc, int64_t ns)
{
	return sc->x0 + iround(ns / 1e9 / sc->xhi * sc->pw);
}

/* The height of @v, kept inside the plot (a window line above it). */
static int px_y(const struct scale *sc, int64_t v)
{
	if (v > sc->yhi)
		v = sc->yhi;
	if (v < sc->ylo)
		v = sc->ylo;
	return PT + PH - iround((double)(v - sc->ylo) / (sc->yhi - sc->ylo) *
				PH);
}

/* --- drawing --------------------------------------------------------- */

/* The decimals that @step's multiples need. */
static int decimals(double step)
{
	int d = 0;

	while (step < 1 - 1e-9 && d < 9) {
		step *= 10;
		d++;
	}
	return d;
}

static void axes(FILE *fp, const struct scale *sc, const char *ylabel)
{
	int x, y, d = decimals(sc->xstep), i, n;
	char buf[48];
	int64_t v;

	fputs("<g class=\"grid\">\n", fp);
	n = iround(sc->xhi / sc->xstep);
	for (i = 0; i <= n; i++) {
		x = sc->x0 + iround(i * sc->xstep / sc->xhi * sc->pw);
		svg_line(fp, x, PT, x, PT + PH, SVG_GREY, "1 3", false);
	}
	for (v = sc->ylo + sc->ystep; v <= sc->yhi; v += sc->ystep)
		svg_line(fp, PL, px_y(sc, v), sc->x0 + sc->pw, px_y(sc, v),
			 SVG_GREY, "1 3", false);
	fputs("</g>\n<g class=\"x-axis\">\n", fp);
	svg_line(fp, PL, PT + PH, sc->x0 + sc->pw + 14, PT + PH, SVG_INK,
		 NULL, true);
	for (i = 0; i <= n; i++) {
		x = sc->x0 + iround(i * sc->xstep / sc->xhi * sc->pw);
		svg_line(fp, x, PT + PH, x, PT + PH + 5, SVG_INK, NULL, false);
		snprintf(buf, sizeof(buf), "%.*f", d, i * sc->xstep);
		svg_text(fp, x, PT + PH + 18, SVG_MIDDLE, FS_SMALL,
			 "class=\"tick\"", buf);
	}
	svg_text(fp, sc->x0 + sc->pw / 2, PT + PH + 36, SVG_MIDDLE, FS,
		 "class=\"label\"", "time (s) since the flow's first segment");
	fputs("</g>\n<g class=\"y-axis\">\n", fp);
	svg_line(fp, PL, PT + PH, PL, PT - 14, SVG_INK, NULL, true);
	for (v = sc->ylo; v <= sc->yhi; v += sc->ystep) {
		y = px_y(sc, v);
		svg_line(fp, PL - 5, y, PL, y, SVG_INK, NULL, false);
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
		svg_text(fp, PL - 8, y + 4, SVG_END, FS_SMALL, "class=\"tick\"",
			 buf);
	}
	snprintf(buf, sizeof(buf), "transform=\"rotate(-90 %d %d)\" class=\"label\"",
		 MARGIN + 10, PT + PH / 2);
	svg_text(fp, MARGIN + 10, PT + PH / 2, SVG_MIDDLE, FS, buf, ylabel);
	fputs("</g>\n", fp);
}

/* A segment's bar, from @ya (its first number) up to @yb (its last). */
static void bar(FILE *fp, int x, int ya, int yb, enum svg_ink ink)
{
	if (ya - yb < 2)
		yb = ya - 2;
	svg_line(fp, x, ya, x, yb, ink, NULL, false);
	svg_line(fp, x - 3, ya, x + 3, ya, ink, NULL, false);
	svg_line(fp, x - 3, yb, x + 3, yb, ink, NULL, false);
}

/* One segment's marks at (@x, @ya..@yb); the same in the legend. */
static void seg_marks(FILE *fp, const struct mark *m, int x, int ya, int yb)
{
	int mid = (ya + yb) / 2;

	if (m->peer || ((m->flags & TT_TCP_RST) && m->y0 == m->y1)) {
		svg_shape(fp, SVG_DIAMOND, x, ya, SVG_INK, true);
		svg_text(fp, x + 8, ya + 4, SVG_START, FS_SMALL,
			 "font-weight=\"bold\"", "RST");
		return;
	}
	bar(fp, x, ya, yb, m->retrans ? SVG_RED : SVG_INK);
	if (m->flags & TT_TCP_SYN)
		svg_shape(fp, SVG_SQUARE, x, mid, SVG_BLUE, false);
	if (m->flags & TT_TCP_FIN)
		svg_shape(fp, SVG_TRIANGLE, x, mid, SVG_BLUE, false);
	if (m->flags & TT_TCP_RST) {
		svg_shape(fp, SVG_DIAMOND, x, ya, SVG_INK, true);
		svg_text(fp, x + 8, ya + 4, SVG_START, FS_SMALL,
			 "font-weight=\"bold\"", "RST");
	}
	if (m->retrans)
		svg_text(fp, x + 6, yb + 4, SVG_START, FS_SMALL,
			 "font-weight=\"bold\" fill=\"#b00000\"", "R");
	if (m->lost)
		svg_cross(fp, x, yb, 8, SVG_RED);
}

static void draw_marks(FILE *fp, const struct graph *g, const struct scale *sc)
{
	unsigned int i;

	for (i = 0; i < g->nm; i++) {
		const struct mark *m = &g->m[i];

		if (m->y0 == INT64_MIN)
			continue;	/* the peer's RST before any ACK */
		fprintf(fp, "<g class=\"seg%s%s%s%s%s%s%s\">\n",
			m->peer ? " peer-rst" : "",
			!m->peer && m->y1 - m->y0 > !!(m->flags & TT_TCP_SYN) +
			!!(m->flags & TT_TCP_FIN) ? " data" : "",
			m->flags & TT_TCP_SYN ? " syn" : "",
			m->flags & TT_TCP_FIN ? " fin" : "",
			!m->peer && (m->flags & TT_TCP_RST) ? " rst" : "",
			m->retrans ? " retrans" : "", m->lost ? " lost" : "");
		seg_marks(fp, m, px_x(sc, m->t), px_y(sc, m->y0),
			  px_y(sc, m->y1));
		fputs("</g>\n", fp);
	}
}

/* The ACK line (@top false) or the window line, as steps to the end. */
static int draw_line(FILE *fp, const struct graph *g, const struct scale *sc,
		     bool top)
{
	int (*pt)[2] = calloc(2 * g->ns + 1, sizeof(*pt));
	unsigned int i, n = 0;
	int64_t v;

	if (!pt)
		return -ENOMEM;
	for (i = 0; i < g->ns; i++) {
		v = top ? g->s[i].top : g->s[i].ack;
		if (n) {
			pt[n][0] = px_x(sc, g->s[i].t);
			pt[n][1] = pt[n - 1][1];
			n++;
		}
		pt[n][0] = px_x(sc, g->s[i].t);
		pt[n][1] = px_y(sc, v);
		n++;
	}
	if (n) {
		pt[n][0] = sc->x0 + sc->pw;
		pt[n][1] = pt[n - 1][1];
		n++;
		svg_polyline(fp, (const int (*)[2])pt, n,
			     top ? SVG_OLIVE : SVG_GREEN, top ? "7 4" : NULL,
			     top ? "class=\"window\"" : "class=\"ack\"");
	}
	free(pt);
	return 0;
}

enum sample { S_SEG, S_RETRANS, S_SYN, S_FIN, S_RST, S_LOST, S_ACK, S_WIN,
	      S_NONE };

/* The legend's samples, drawn with the graph's own marks. */
static void sample(FILE *fp, enum sample what, int y)
{
	struct mark m = { .flags = 0 };
	const int x0 = MARGIN, x1 = MARGIN + 56, xm = MARGIN + 28;
	int pt[3][2] = { { x0, y - 2 }, { xm, y - 2 }, { xm, y - 10 } };

	switch (what) {
	case S_SEG:
		break;
	case S_RETRANS:
		m.retrans = true;
		break;
	case S_SYN:
		m.flags = TT_TCP_SYN;
		break;
	case S_FIN:
		m.flags = TT_TCP_FIN;
		break;
	case S_RST:
		m.peer = true;
		break;
	case S_LOST:
		m.lost = true;
		break;
	case S_ACK:
	case S_WIN:
		pt[2][0] = x1;
		pt[2][1] = y - 10;
		svg_polyline(fp, (const int (*)[2])pt, 3,
			     what == S_WIN ? SVG_OLIVE : SVG_GREEN,
			     what == S_WIN ? "7 4" : NULL, "");
		return;
	case S_NONE:
		return;
	}
	seg_marks(fp, &m, xm, what == S_RST ? y - 4 : y + 2, y - 10);
}

/* The legend's lines for what was drawn, from @top; their number. */
static int legend(FILE *fp, const struct graph *g, int top, int *width)
{
	const char *me = g->who ? "server" : "client";
	const char *peer = g->who ? "client" : "server";
	char text[9][200];
	static const unsigned int need[] = {
		[S_SEG] = 0, [S_RETRANS] = USED_RETRANS, [S_SYN] = USED_SYN,
		[S_FIN] = USED_FIN, [S_RST] = USED_RST, [S_LOST] = USED_LOST,
		[S_ACK] = 0, [S_WIN] = 0, [S_NONE] = USED_CLAMPED,
	};
	unsigned int i;
	int n = 0, y, w;

	snprintf(text[S_SEG], sizeof(text[0]),
		 "bar: a segment the %s sent, from its first sequence number to its last, when it %s",
		 me, g->router ? "went into the network" : "was captured");
	snprintf(text[S_RETRANS], sizeof(text[0]),
		 "R (red bar): retransmitted: the %s had sent it before", me);
	snprintf(text[S_SYN], sizeof(text[0]),
		 "square: a SYN (it takes one sequence number)");
	snprintf(text[S_FIN], sizeof(text[0]),
		 "triangle: a FIN (it takes one sequence number)");
	snprintf(text[S_RST], sizeof(text[0]),
		 "diamond, RST: a reset (the %s's on the ACK line)", peer);
	snprintf(text[S_LOST], sizeof(text[0]),
		 "X: lost: it went into the network and never came out");
	snprintf(text[S_ACK], sizeof(text[0]),
		 "solid step line: the highest ACK of the %s's the %s had%s",
		 peer, me, g->router ? " (as they came out of the network)" : "");
	snprintf(text[S_WIN], sizeof(text[0]),
		 "dashed step line: that ACK plus the %s's window, scaled: the most the %s may send",
		 peer, me);
	snprintf(text[S_NONE], sizeof(text[0]),
		 "the window line runs along the top: the window (up to %lld bytes) is far more than was sent",
		 (long long)g->win);
	if (fp)
		svg_text(fp, MARGIN, top + 14, SVG_START, FS,
			 "font-weight=\"bold\"", "How to read it");
	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (need[i] && !(g->used & need[i]))
			continue;
		y = top + 14 + LEGEND_H * ++n;
		w = MARGIN + 70 + svg_text_w(text[i], FS_SMALL) + MARGIN;
		*width = w > *width ? w : *width;
		if (!fp)
			continue;
		sample(fp, i, y);
		svg_text(fp, MARGIN + 70, y, SVG_START, FS_SMALL, "", text[i]);
	}
	return n;
}

static void draw(FILE *fp, struct graph *g)
{
	const struct flow *f = &g->tf->f;
	char ep[2][ENDPOINT_STRLEN], title[2 * ENDPOINT_STRLEN + 48];
	char sub[2 * ENDPOINT_STRLEN + 160], ylabel[96];
	const char *me = g->who ? "server" : "client";
	int width = WIDTH_MIN, w, height, nleg;
	struct scale sc;

	endpoint_str(f, 0, ep[0], sizeof(ep[0]));
	endpoint_str(f, 1, ep[1], sizeof(ep[1]));
	snprintf(title, sizeof(title), "flow %llu (%s): %s -> %s",
		 (unsigned long long)f->id, family_name(f->family), ep[0],
		 ep[1]);
	snprintf(sub, sizeof(sub),
		 "time-sequence graph of what the %s %s sent (%s %u)", me,
		 ep[g->who], f->has_isn[g->who] ? "ISN" : "first seq",
		 g->base);
	snprintf(ylabel, sizeof(ylabel),
		 "sequence number (bytes, relative to the %s's %s)", me,
		 f->has_isn[g->who] ? "ISN" : "first");
	nleg = legend(NULL, g, 0, &width);
	w = 2 * MARGIN + svg_text_w(title, FS_TITLE);
	width = w > width ? w : width;
	w = 2 * MARGIN + svg_text_w(sub, FS);
	width = w > width ? w : width;
	scales(g, &sc, width);
	nleg = legend(NULL, g, 0, &width);	/* scales() may clamp */
	height = PT + PH + 52 + 24 + LEGEND_H * nleg + 8;

	svg_begin(fp, width, height, title,
		  "A time-sequence graph drawn by tcptracectl replay --graph tsg: sequence numbers of one direction against time, with the peer's ACK and window lines.",
		  SVG_HEAD(SVG_INK));
	svg_text(fp, MARGIN, 22, SVG_START, FS_TITLE, "font-weight=\"bold\"",
		 title);
	svg_text(fp, MARGIN, 42, SVG_START, FS, "", sub);
	axes(fp, &sc, ylabel);
	draw_line(fp, g, &sc, true);
	draw_line(fp, g, &sc, false);
	draw_marks(fp, g, &sc);
	fputs("<g class=\"legend\">\n", fp);
	legend(fp, g, PT + PH + 52, &width);
	fputs("</g>\n</svg>\n", fp);
}

/**
 * tsg_close() - choose, draw and write the graph, and free it
 * @t: the graph
 *
 * Return: 0, or a negative errno (reported); the picture's file is removed
 * when nothing was drawn into it.
 */
int tsg_close(struct tsg *t)
{
	struct graph g = { .m = NULL };
	struct tflow *tf = NULL;
	unsigned int who = 0, i;
	int err = t->err;

	if (!err) {
		tf = choose(t, &who);
		err = tf ? 0 : -EINVAL;
	}
	if (!err)
		err = place(&g, tf, who, t->dirs);
	if (!err && !g.nm) {
		error_msg("replay --graph: %s: flow #%llu: the %s sent no segment",
			  t->capture, (unsigned long long)tf->f.id,
			  who ? "server" : "client");
		err = -EINVAL;
	}
	if (!err)
		draw(t->fp, &g);
	err = svg_file_close(t->fp, t->o.out, err);
	if (err && strcmp(t->o.out, "-"))
		remove(t->o.out);
	free(g.m);
	free(g.s);
	for (i = 0; i < t->n; i++)
		free(t->fl[i].seg);
	free(t->fl);
	free(t);
	return err;
}

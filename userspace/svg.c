// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * --svg FILE: the ladder as a picture.  The rows are ladder.c's (the same
 * ones it writes as text) and so are their words; this file only places
 * them.  Per connection, from the top:
 *
 *   the title, and each side's name above its lane
 *   the time axis on the left: each row's time in seconds, rows evenly
 *	spaced (a 60 s TIME_WAIT would leave no room for a handshake)
 *   two lanes, the client's on the left, the server's on the right; a box
 *	with a side's state where it changes, on the outer side of its lane
 *   a row per segment: an arrow from its sender's lane to its receiver's,
 *	its flags and numbers above it, the tracker's remarks under it
 *   the closing lines
 *
 * and, once at the bottom, how to read the line styles drawn.  Nothing
 * depends on colour: a lost segment is an X and the word "lost", a
 * retransmission a dashed line and "(retransmitted)", a segment from the
 * network a dotted line from a circle, one on its way while other rows
 * happen a slanted arrow from the row where it left to the row where it
 * arrived; the clock's rows have a clock.  Colour (red for losses and
 * remarks, orange for retransmissions, a light fill per state as the
 * terminal's) only adds to that.
 *
 * Text widths are estimated: the fonts asked for are monospace, whose
 * advance is 0.6 em (DejaVu Sans Mono's is 0.602), and every text is given
 * a little more than that.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "print.h"
#include "svg.h"
#include "tcptracectl.h"

#define FONT		"DejaVu Sans Mono, Liberation Mono, monospace"
#define FS		12	/* labels, closing lines */
#define FS_SMALL	11	/* states, times, remarks, the legend */
#define FS_TITLE	14
#define MARGIN		16
#define AXIS_X		74	/* the time axis; times end left of it */
#define BOX_W		104	/* "SYN_RECEIVED" at FS_SMALL, and room */
#define BOX_H		18
#define BOX_GAP		8	/* between a box and its lane */
#define LANE0		(AXIS_X + MARGIN + BOX_W + BOX_GAP)
#define MIN_SPAN	440	/* between the lanes */
#define REMARK_H	14
#define FOOT_H		16
#define LEGEND_H	18

/* What a picture has drawn, for its legend. */
enum {
	USED_SEG	= 1 << 0,
	USED_RETRANS	= 1 << 1,
	USED_LOST	= 1 << 2,
	USED_FLIGHT	= 1 << 3,
	USED_NET	= 1 << 4,
	USED_TIMER	= 1 << 5,
	USED_REMARK	= 1 << 6,
};

/**
 * struct srow - a row as the picture keeps it
 * @ms: its time
 * @timer: a clock's row (one of its notes); else a segment's
 * @how: enum ladder_arrow
 * @side: the segment's sender, or the clock's side: 0 left, 1 right
 * @retrans: the segment was sent before
 * @wire: as struct ladder_row's
 * @to: each side's new state, or -1
 * @text: the arrow's label, or what the clock did
 * @rem: the remarks under it
 * @nrem: how many
 * @rem_cap: room in @rem
 * @y: where its line is drawn
 * @arrive: for a segment that leaves, the row where it arrives, or -1
 * @paired: for a segment that arrives, it was drawn from where it left
 */
struct srow {
	double ms;
	bool timer;
	enum ladder_arrow how;
	int side;
	bool retrans;
	unsigned int wire;
	int to[2];
	char *text;
	char **rem;
	unsigned int nrem;
	size_t rem_cap;
	int y;
	int arrive;
	bool paired;
};

/**
 * struct diagram - one connection
 * @id: the caller's number for it
 * @title: its first line
 * @side: each side's name
 * @state: each side's state before the first row
 * @rows: the rows
 * @nrows: how many
 * @rows_cap: room in @rows
 * @foot: the closing lines
 * @nfoot: how many
 * @foot_cap: room in @foot
 */
struct diagram {
	uint64_t id;
	char *title;
	char *side[2];
	uint8_t state[2];
	struct srow *rows;
	unsigned int nrows;
	size_t rows_cap;
	char **foot;
	unsigned int nfoot;
	size_t foot_cap;
};

/**
 * struct svg - a picture being gathered
 * @path: its file, "-" for standard output
 * @fp: that file, open
 * @err: the first error (-ENOMEM) while gathering
 * @d: the connections, in the order of their first rows
 * @nd: how many
 * @d_cap: room in @d
 * @span: the distance between the lanes (layout)
 * @width: the picture's width (layout)
 * @used: USED_* bits (layout)
 */
struct svg {
	const char *path;
	FILE *fp;
	int err;
	struct diagram *d;
	unsigned int nd;
	size_t d_cap;
	int span;
	int width;
	unsigned int used;
};

/* --- gathering ----------------------------------------------------------- */

/**
 * svg_open() - start a picture
 * @path: its file, "-" for standard output
 * @out: the picture
 *
 * The file is made now, so that a bad name is reported before any work;
 * it is written by svg_close().
 *
 * Return: 0, or a negative errno (reported).
 */
int svg_open(const char *path, struct svg **out)
{
	struct svg *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->path = path;
	err = svg_file_open(path, &s->fp);
	if (err) {
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

/**
 * svg_file_open() - make a picture's file
 * @path: its name, "-" for standard output
 * @fp: the file, open for writing
 *
 * Return: 0, or a negative errno (reported, as --svg's).
 */
int svg_file_open(const char *path, FILE **fp)
{
	int err;

	*fp = strcmp(path, "-") ? fopen(path, "w") : stdout;
	err = errno;

	if (*fp)
		return 0;
	error_msg("--svg: %s: %s", path, strerror(err));
	return -err;
}

/**
 * svg_file_close() - close a picture's file: flush it, if standard output
 * @fp: the file
 * @path: its name, for the message
 * @err: 0, or the error that came before (-ENOMEM is reported here)
 *
 * Return: @err, or else a negative errno of the writes (reported).
 */
int svg_file_close(FILE *fp, const char *path, int err)
{
	bool out = fp == stdout;

	if (err == -ENOMEM)
		error_msg("--svg: %s: out of memory", path);
	if ((out ? fflush(fp) : fclose(fp)) && !err) {
		err = -errno;
		error_msg("--svg: %s: %s", path, strerror(errno));
	}
	return err;
}

static char *keep(struct svg *s, const char *text)
{
	char *p = strdup(text ? text : "");

	if (!p)
		s->err = -ENOMEM;
	return p;
}

static struct diagram *find(struct svg *s, uint64_t id)
{
	unsigned int i;

	for (i = s->nd; i-- > 0;)
		if (s->d[i].id == id)
			return &s->d[i];
	return NULL;
}

/**
 * svg_head() - a connection's title, its sides and their first states
 * @s: the picture
 * @id: the caller's number for the connection, for svg_row()
 * @title: "flow 1 (inet): 10.0.0.1:40000 -> 10.0.0.2:80"
 * @side: each side's name, "client 10.0.0.1:40000"
 * @state: each side's state before the first row
 */
void svg_head(struct svg *s, uint64_t id, const char *title,
	      const char *const side[2], const uint8_t state[2])
{
	struct diagram *d = ARRAY_PUSH(s->d, s->nd, s->d_cap);

	if (!d) {
		s->err = -ENOMEM;
		return;
	}
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->title = keep(s, title);
	d->side[0] = keep(s, side[0]);
	d->side[1] = keep(s, side[1]);
	d->state[0] = state[0];
	d->state[1] = state[1];
}

static struct srow *new_row(struct svg *s, struct diagram *d,
			    const struct ladder_row *r)
{
	struct srow *x = ARRAY_PUSH(d->rows, d->nrows, d->rows_cap);

	if (!x) {
		s->err = -ENOMEM;
		return NULL;
	}
	memset(x, 0, sizeof(*x));
	x->ms = r->ms;
	x->how = r->how;
	x->wire = r->wire;
	x->retrans = r->retrans;
	x->to[0] = x->to[1] = -1;
	x->arrive = -1;
	return x;
}

/**
 * svg_row() - a row of a connection
 * @s: the picture
 * @id: the connection's number, as svg_head() had it
 * @f: the flow, for the ISNs of the row's numbers
 * @r: the row (its notes are copied)
 *
 * A row of the clock becomes a row per note, as in the text.
 */
void svg_row(struct svg *s, uint64_t id, const struct flow *f,
	     const struct ladder_row *r)
{
	struct diagram *d = find(s, id);
	char buf[320];
	struct srow *x;
	unsigned int i;
	char **p;

	if (!d)
		return;		/* a row comes after its head */
	if (!r->seg) {
		for (i = 0; i < r->nnotes; i++) {
			x = new_row(s, d, r);
			if (!x)
				return;
			x->timer = true;
			x->side = r->notes[i].endpoint == TT_WHO_SERVER;
			x->to[x->side] = r->notes[i].to;
			ladder_timer(&r->notes[i], buf, sizeof(buf));
			x->text = keep(s, buf);
		}
		return;
	}
	x = new_row(s, d, r);
	if (!x)
		return;
	x->side = r->seg->sender == TT_WHO_SERVER;
	x->to[0] = r->to[0];
	x->to[1] = r->to[1];
	ladder_label(f, r, buf, sizeof(buf));
	x->text = keep(s, buf);
	for (i = 0; i < r->nnotes; i++) {
		if (!ladder_is_remark(&r->notes[i]))
			continue;
		p = ARRAY_PUSH(x->rem, x->nrem, x->rem_cap);
		if (!p) {
			s->err = -ENOMEM;
			return;
		}
		ladder_remark(&r->notes[i], buf, sizeof(buf));
		*p = keep(s, buf);
	}
}

/**
 * svg_foot() - a closing line of a connection
 * @s: the picture
 * @id: the connection's number, as svg_head() had it
 * @text: the line
 */
void svg_foot(struct svg *s, uint64_t id, const char *text)
{
	struct diagram *d = find(s, id);
	char **p;

	if (!d)
		return;
	p = ARRAY_PUSH(d->foot, d->nfoot, d->foot_cap);
	if (!p) {
		s->err = -ENOMEM;
		return;
	}
	*p = keep(s, text);
}

/* --- text ---------------------------------------------------------------- */

/* The length of the UTF-8 sequence at @p, or 0 if none starts there. */
static unsigned int utf8_len(const unsigned char *p)
{
	unsigned int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, surrogates or code points above U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* Characters of @t as drawn: each UTF-8 sequence or stray byte is one. */
static unsigned int chars(const char *t)
{
	const unsigned char *p = (const unsigned char *)t;
	unsigned int n = 0, k;

	while (*p) {
		k = utf8_len(p);
		p += k ? k : 1;
		n++;
	}
	return n;
}

/* The width of @t at font size @fs, a little more than monospace's. */
int svg_text_w(const char *t, int fs)
{
	return (int)(chars(t) * fs * 0.62) + 1;
}

/*
 * @t as XML character data: markup escaped, control characters (which XML
 * cannot hold) and bytes that are not UTF-8 (a file's name may be any) as
 * U+FFFD.
 */
static void put_esc(FILE *fp, const char *t)
{
	static const char *const ent[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&apos;",
	};
	const unsigned char *p = (const unsigned char *)t;
	unsigned int k;

	while (*p) {
		k = utf8_len(p);
		if (k > 1) {
			fwrite(p, 1, k, fp);
			p += k;
			continue;
		}
		if (ent[*p])
			fputs(ent[*p], fp);
		else if (!k || *p < 0x20 || *p == 0x7f)
			fputs("\xef\xbf\xbd", fp);
		else
			fputc(*p, fp);
		p++;
	}
}

static const char *const anchors[] = { "start", "middle", "end" };

/**
 * svg_text() - a <text> at (@x, @y)
 * @fp: the picture's file
 * @x: where it is anchored
 * @y: its baseline
 * @a: how it is anchored at @x
 * @fs: font size
 * @attrs: more attributes, or ""
 * @t: the text, escaped here
 */
void svg_text(FILE *fp, int x, int y, enum svg_anchor a, int fs,
	      const char *attrs, const char *t)
{
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"%d\"", x, y, fs);
	if (a != SVG_START)
		fprintf(fp, " text-anchor=\"%s\"", anchors[a]);
	fprintf(fp, "%s%s>", *attrs ? " " : "", attrs);
	put_esc(fp, t);
	fputs("</text>\n", fp);
}

/* --- drawing ------------------------------------------------------------- */

/* The inks (enum svg_ink), each with an arrowhead of its own (markers take
 * no colour).
 */
const char *const svg_ink_rgb[SVG_INKS] = { "#000000", "#b00000", "#b35900",
					    "#555555", "#006400", "#0040a0",
					    "#806000" };
static const char *const ink_name[SVG_INKS] = { "ink", "red", "orange", "grey",
						"green", "blue", "olive" };
#define ink_rgb svg_ink_rgb

/* The fill of a state's box: the terminal's colour for it, made light. */
static const char *state_fill(unsigned int state)
{
	switch (state_color(state)) {
	case C_CYAN:
		return "#d6eff5";
	case C_GREEN:
		return "#d8f0d8";
	case C_YELLOW:
		return "#f8edc4";
	case C_MAGENTA:
		return "#f0dcf0";
	case C_DIM:
		return "#e8e8e8";
	default:
		return "#ffffff";
	}
}

static int lane_x(const struct svg *s, int side)
{
	return side ? LANE0 + s->span : LANE0;
}

static void state_box(const struct svg *s, FILE *fp, int side, int y,
		      unsigned int state)
{
	int x = side ? lane_x(s, 1) + BOX_GAP : LANE0 - BOX_GAP - BOX_W;

	fprintf(fp, "<g class=\"state %s\">\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\" stroke=\"#000000\"/>\n",
		side ? "server" : "client", x, y - BOX_H / 2, BOX_W, BOX_H,
		state_fill(state));
	svg_text(fp, x + BOX_W / 2, y + 4, SVG_MIDDLE, FS_SMALL, "",
		 tt_state_name(state));
	fputs("</g>\n", fp);
}

/**
 * svg_line() - a line from (@x1, @y1) to (@x2, @y2)
 * @fp: the picture's file
 * @x1: where it starts
 * @y1: where it starts
 * @x2: where it ends
 * @y2: where it ends
 * @ink: its colour
 * @dash: its stroke-dasharray, or NULL for a solid line
 * @head: with an arrowhead at its end
 */
void svg_line(FILE *fp, int x1, int y1, int x2, int y2, enum svg_ink ink,
	      const char *dash, bool head)
{
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"",
		x1, y1, x2, y2, ink_rgb[ink]);
	if (dash)
		fprintf(fp, " stroke-dasharray=\"%s\"", dash);
	if (head)
		fprintf(fp, " marker-end=\"url(#head-%s)\"", ink_name[ink]);
	fputs("/>\n", fp);
}

/* An X, @r across, centred at (@x, @y), in @ink: a lost segment here. */
void svg_cross(FILE *fp, int x, int y, int r, enum svg_ink ink)
{
	fprintf(fp, "<path d=\"M%d,%dl%d,%dM%d,%dl%d,%d\" stroke=\"%s\" stroke-width=\"2.5\"/>\n",
		x - r / 2, y - r / 2, r, r, x + r / 2, y - r / 2, -r, r,
		ink_rgb[ink]);
}

/**
 * svg_shape() - a mark about 9 px across, centred at (@x, @y)
 * @fp: the picture's file
 * @shape: a square, a triangle (pointing up) or a diamond
 * @x: its centre
 * @y: its centre
 * @ink: its outline
 * @filled: filled with @ink, else white inside
 */
void svg_shape(FILE *fp, enum svg_shape shape, int x, int y, enum svg_ink ink,
	       bool filled)
{
	static const char *const d[] = {
		[SVG_SQUARE] = "m-4,-4h8v8h-8z",
		[SVG_TRIANGLE] = "m0,-5l5,9h-10z",
		[SVG_DIAMOND] = "m0,-5l5,5l-5,5l-5,-5z",
	};

	fprintf(fp, "<path d=\"M%d,%d%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		x, y, d[shape], filled ? ink_rgb[ink] : "#ffffff",
		ink_rgb[ink]);
}

/**
 * svg_polyline() - an open line through @n points
 * @fp: the picture's file
 * @pt: the points, x and y
 * @n: how many
 * @ink: its colour
 * @dash: its stroke-dasharray, or NULL for a solid line
 * @attrs: more attributes (a class), or ""
 */
void svg_polyline(FILE *fp, const int (*pt)[2], unsigned int n,
		  enum svg_ink ink, const char *dash, const char *attrs)
{
	unsigned int i;

	fputs("<polyline points=\"", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%d,%d", i ? " " : "", pt[i][0], pt[i][1]);
	fprintf(fp, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"",
		ink_rgb[ink]);
	if (dash)
		fprintf(fp, " stroke-dasharray=\"%s\"", dash);
	fprintf(fp, "%s%s/>\n", *attrs ? " " : "", attrs);
}

/* A small circle where the network gave a segment out. */
static void source(FILE *fp, int x, int y)
{
	fprintf(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		x, y, ink_rgb[SVG_INK]);
}

static void clock(FILE *fp, int x, int y)
{
	fprintf(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.2\"/>\n"
		"<path d=\"M%d,%dv-4M%d,%dh3\" stroke=\"%s\" stroke-width=\"1.2\"/>\n",
		x, y, ink_rgb[SVG_GREY], x, y, x, y, ink_rgb[SVG_GREY]);
}

/* What a row draws, for the legend: USED_* bits. */
static unsigned int row_used(const struct srow *x)
{
	unsigned int u;

	if (x->timer)
		return USED_TIMER;
	u = USED_SEG | (x->retrans ? USED_RETRANS : 0) |
	    (x->nrem ? USED_REMARK : 0);
	switch (x->how) {
	case LADDER_WHOLE:
		return u;
	case LADDER_LOST:
		return u | USED_LOST;
	case LADDER_FROM_NETWORK:
		return u | USED_NET;
	default:
		return u | USED_FLIGHT;
	}
}

static const char *how_class(enum ladder_arrow how)
{
	switch (how) {
	case LADDER_LOST:
		return "lost";
	case LADDER_LEAVES:
		return "leaves";
	case LADDER_ARRIVES:
		return "arrives";
	case LADDER_FROM_NETWORK:
		return "from-network";
	default:
		return "whole";
	}
}

/* A segment's arrow and its label. */
static void seg_arrow(const struct svg *s, FILE *fp,
		      const struct diagram *d, const struct srow *x)
{
	int xs = lane_x(s, x->side), xr = lane_x(s, !x->side);
	int dir = x->side ? -1 : 1, mid = LANE0 + s->span / 2, y = x->y;
	enum svg_anchor near = x->side ? SVG_END : SVG_START;
	enum svg_ink ink = x->how == LADDER_LOST ? SVG_RED : x->retrans ? SVG_ORANGE : SVG_INK;
	const char *dash = x->retrans ? "8 4" : NULL;
	int xl;

	switch (x->how) {
	case LADDER_WHOLE:
		svg_line(fp, xs, y, xr, y, ink, dash, true);
		svg_text(fp, mid, y - 5, SVG_MIDDLE, FS, "", x->text);
		break;
	case LADDER_LOST:
		xl = xs + dir * (s->span * 62 / 100);
		svg_line(fp, xs, y, xl, y, ink, dash, false);
		svg_cross(fp, xl, y, 10, SVG_RED);
		svg_text(fp, xl + dir * 12, y + 4, near, FS,
			 "font-weight=\"bold\" fill=\"#b00000\"", "lost");
		svg_text(fp, xs + dir * 8, y - 5, near, FS, "", x->text);
		break;
	case LADDER_LEAVES:
		if (x->arrive >= 0) {
			svg_line(fp, xs, y, xr, d->rows[x->arrive].y, ink, dash,
				 true);
			svg_text(fp, xs + dir * 8, y - 5, near, FS, "", x->text);
			break;
		}
		/* it arrives in no row drawn: half an arrow, into the dark */
		svg_line(fp, xs, y, mid, y, ink, dash, false);
		svg_line(fp, mid, y, xr, y, ink, "4 4", false);
		svg_text(fp, mid, y - 5, SVG_MIDDLE, FS, "", x->text);
		break;
	case LADDER_ARRIVES:
		if (x->paired)
			break;	/* drawn from the row where it left */
		svg_line(fp, xs, y, mid, y, ink, "4 4", false);
		svg_line(fp, mid, y, xr, y, ink, dash, true);
		svg_text(fp, mid, y - 5, SVG_MIDDLE, FS, "", x->text);
		break;
	case LADDER_FROM_NETWORK:
		svg_line(fp, mid, y, xr, y, ink, "2 3", true);
		source(fp, mid, y);
		svg_text(fp, mid, y - 5, SVG_MIDDLE, FS, "", x->text);
		break;
	}
}

static void draw_row(const struct svg *s, FILE *fp,
		     const struct diagram *d, const struct srow *x)
{
	char t[32];
	unsigned int i;
	int w;

	/* the time axis */
	snprintf(t, sizeof(t), "%.3f", x->ms / 1000.0);
	svg_line(fp, AXIS_X - 4, x->y, AXIS_X + 4, x->y, SVG_INK, NULL, false);
	svg_text(fp, AXIS_X - 6, x->y + 4, SVG_END, FS_SMALL, "", t);

	if (x->timer) {
		fprintf(fp, "<g class=\"timer %s\">\n",
			x->side ? "server" : "client");
		clock(fp, lane_x(s, x->side), x->y);
		svg_text(fp, lane_x(s, x->side) + (x->side ? -12 : 12), x->y + 4,
			 x->side ? SVG_END : SVG_START, FS_SMALL,
			 "font-style=\"italic\" fill=\"#555555\"", x->text);
		fputs("</g>\n", fp);
	} else {
		fprintf(fp, "<g class=\"seg %s %s%s\">\n", how_class(x->how),
			x->side ? "server" : "client",
			x->retrans ? " retransmitted" : "");
		seg_arrow(s, fp, d, x);
		fputs("</g>\n", fp);
	}
	for (w = 0; w < 2; w++)
		if (x->to[w] >= 0)
			state_box(s, fp, w, x->y, x->to[w]);
	for (i = 0; i < x->nrem; i++)
		svg_text(fp, LANE0 + 10, x->y + 20 + (int)i * REMARK_H, SVG_START,
			 FS_SMALL, "class=\"remark\" fill=\"#b00000\"",
			 x->rem[i]);
}

/* Each segment that leaves in one row and arrives in a later one. */
static void pair_rows(struct diagram *d)
{
	unsigned int i, j;

	for (i = 0; i < d->nrows; i++) {
		struct srow *x = &d->rows[i];

		if (x->timer || x->how != LADDER_LEAVES || !x->wire)
			continue;
		for (j = i + 1; j < d->nrows; j++) {
			struct srow *y = &d->rows[j];

			if (!y->timer && y->how == LADDER_ARRIVES &&
			    y->wire == x->wire && !y->paired) {
				x->arrive = j;
				y->paired = true;
				break;
			}
		}
	}
}

/* Place @d's rows from @top; the height it takes. */
static int place(struct diagram *d, int top)
{
	int bottom = top + 75, i;

	for (i = 0; i < (int)d->nrows; i++) {
		struct srow *x = &d->rows[i];

		if (x->timer) {
			x->y = bottom + 20;
			bottom = x->y + 9;
		} else {
			x->y = bottom + 26;
			bottom = x->y + (x->nrem ? 24 + REMARK_H *
					 ((int)x->nrem - 1) : 9);
		}
	}
	return bottom + 12 + 6 + FOOT_H * (int)d->nfoot + 8 - top;
}

static void draw_diagram(const struct svg *s, FILE *fp,
			 const struct diagram *d, int top, int height)
{
	int end = top + height - 8 - FOOT_H * (int)d->nfoot - 6, w;
	unsigned int i;

	fputs("<g class=\"connection\">\n", fp);
	svg_text(fp, MARGIN, top + 20, SVG_START, FS_TITLE, "font-weight=\"bold\"",
		 d->title);
	svg_text(fp, AXIS_X + MARGIN, top + 44, SVG_START, FS, "", d->side[0]);
	svg_text(fp, s->width - MARGIN, top + 44, SVG_END, FS, "", d->side[1]);
	svg_text(fp, AXIS_X - 6, top + 70, SVG_END, FS_SMALL, "", "time (s)");
	for (w = 0; w < 2; w++) {
		svg_line(fp, lane_x(s, w), top + 52, lane_x(s, w), end, SVG_INK, NULL,
			 false);
		state_box(s, fp, w, top + 66, d->state[w]);
	}
	if (d->nrows)	/* the time axis, down */
		svg_line(fp, AXIS_X, top + 78, AXIS_X, end, SVG_INK, NULL, true);
	for (i = 0; i < d->nrows; i++)
		draw_row(s, fp, d, &d->rows[i]);
	for (i = 0; i < d->nfoot; i++)
		svg_text(fp, AXIS_X + MARGIN, end + 18 + (int)i * FOOT_H,
			 SVG_START, FS, "font-weight=\"bold\"", d->foot[i]);
	fputs("</g>\n", fp);
}

/* How to read the picture: the styles it drew, and what they mean. */
enum sample { S_BOX, S_SEG, S_RETRANS, S_LOST, S_FLIGHT, S_NET, S_TIMER,
	      S_NONE };

static const struct {
	enum sample sample;
	unsigned int used;	/* listed if the picture drew it; 0: always */
	const char *text;
} legend[] = {
	{ S_BOX, 0, "box: a side's new state; it holds until the next box" },
	{ S_SEG, USED_SEG,
	  "arrow: a segment, its flags, seq and ack (relative to the ISNs unless -S)" },
	{ S_RETRANS, USED_RETRANS, "dashed: retransmitted, its sender had sent it before" },
	{ S_LOST, USED_LOST, "X lost: it went into the network and never came out" },
	{ S_FLIGHT, USED_FLIGHT,
	  "slanted: on its way while the rows between happened" },
	{ S_NET, USED_NET,
	  "dotted, from a circle: it came out of the network, nobody had just sent it" },
	{ S_TIMER, USED_TIMER, "clock: a timer of the tracker, no segment" },
	{ S_NONE, USED_REMARK, "! a remark of the tracker: a retransmission, an anomaly" },
	{ S_NONE, 0, "time (s): when each row happened; rows are evenly spaced, time runs down" },
};

static void legend_sample(FILE *fp, enum sample what, int y)
{
	const int x0 = MARGIN, x1 = MARGIN + 56;

	switch (what) {
	case S_BOX:
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"12\" rx=\"2\" fill=\"#ffffff\" stroke=\"#000000\"/>\n",
			x0 + 8, y - 10);
		break;
	case S_SEG:
		svg_line(fp, x0, y - 4, x1, y - 4, SVG_INK, NULL, true);
		break;
	case S_RETRANS:
		svg_line(fp, x0, y - 4, x1, y - 4, SVG_ORANGE, "8 4", true);
		break;
	case S_LOST:
		svg_line(fp, x0, y - 4, x1 - 10, y - 4, SVG_RED, NULL, false);
		svg_cross(fp, x1 - 10, y - 4, 8, SVG_RED);
		break;
	case S_FLIGHT:
		svg_line(fp, x0, y - 9, x1, y + 1, SVG_INK, NULL, true);
		break;
	case S_NET:
		svg_line(fp, x0 + 20, y - 4, x1, y - 4, SVG_INK, "2 3", true);
		source(fp, x0 + 20, y - 4);
		break;
	case S_TIMER:
		clock(fp, x0 + 28, y - 4);
		break;
	case S_NONE:
		break;
	}
}

/* The legend's entries for what was drawn, below @top; their number. */
static int draw_legend(const struct svg *s, FILE *fp, int top)
{
	unsigned int i;
	int n = 0, y;

	if (fp)
		svg_text(fp, MARGIN, top + 14, SVG_START, FS, "font-weight=\"bold\"",
			 "How to read it");
	for (i = 0; i < ARRAY_SIZE(legend); i++) {
		if (legend[i].used && !(s->used & legend[i].used))
			continue;
		y = top + 14 + LEGEND_H * ++n;
		if (!fp)
			continue;
		legend_sample(fp, legend[i].sample, y);
		svg_text(fp, MARGIN + 70, y, SVG_START, FS_SMALL, "", legend[i].text);
	}
	return n;
}

/* The distance between the lanes and the width: room for every text. */
static void measure(struct svg *s)
{
	int span = MIN_SPAN, width, w;
	unsigned int i, j, k;

	width = LANE0 + 2 * (BOX_GAP + BOX_W) + MARGIN;
	for (i = 0; i < ARRAY_SIZE(legend); i++) {
		w = MARGIN + 70 + svg_text_w(legend[i].text, FS_SMALL) + MARGIN;
		width = w > width ? w : width;
	}
	for (i = 0; i < s->nd; i++) {
		const struct diagram *d = &s->d[i];

		w = 2 * MARGIN + svg_text_w(d->title, FS_TITLE);
		width = w > width ? w : width;
		w = AXIS_X + 2 * MARGIN + 24 + svg_text_w(d->side[0], FS) +
		    svg_text_w(d->side[1], FS);
		width = w > width ? w : width;
		for (j = 0; j < d->nfoot; j++) {
			w = AXIS_X + 2 * MARGIN + svg_text_w(d->foot[j], FS);
			width = w > width ? w : width;
		}
		for (j = 0; j < d->nrows; j++) {
			const struct srow *x = &d->rows[j];

			w = svg_text_w(x->text, x->timer ? FS_SMALL : FS) +
			    (x->timer ? 40 : x->how == LADDER_LOST ? 120 : 60);
			span = w > span ? w : span;
			for (k = 0; k < x->nrem; k++) {
				w = svg_text_w(x->rem[k], FS_SMALL) + 30;
				span = w > span ? w : span;
			}
		}
	}
	w = width - (LANE0 + BOX_GAP + BOX_W + MARGIN);
	s->span = w > span ? w : span;
	s->width = LANE0 + s->span + BOX_GAP + BOX_W + MARGIN;
}

/**
 * svg_begin() - a picture's head: its size, title and description, the
 *	arrowheads it uses, a white ground
 * @fp: the picture's file
 * @width: its width, px
 * @height: its height, px
 * @title: its <title>
 * @desc: its <desc>, a constant without markup characters
 * @heads: SVG_HEAD() bits of the inks whose arrowheads it uses
 *
 * The picture ends with "</svg>", the caller's.
 */
void svg_begin(FILE *fp, int width, int height, const char *title,
	       const char *desc, unsigned int heads)
{
	unsigned int i;

	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"" FONT "\" font-size=\"%d\">\n",
		width, height, width, height, FS);
	fputs("<title>", fp);
	put_esc(fp, title);
	fprintf(fp, "</title>\n<desc>%s</desc>\n<defs>\n", desc);
	for (i = 0; i < SVG_INKS; i++)
		if (heads & SVG_HEAD(i))
			fprintf(fp, "<marker id=\"head-%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"%s\"/></marker>\n",
				ink_name[i], ink_rgb[i]);
	fputs("</defs>\n", fp);
	fprintf(fp, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		width, height);
}

static void write_svg(struct svg *s, FILE *fp)
{
	int *top, height, y = 0, legend_h;
	unsigned int i;

	top = calloc(s->nd + 1, sizeof(*top));
	if (!top) {
		s->err = -ENOMEM;
		return;
	}
	for (i = 0; i < s->nd; i++)
		pair_rows(&s->d[i]);
	measure(s);
	for (i = 0; i < s->nd; i++) {
		top[i] = y;
		y += place(&s->d[i], y) + 10;
	}
	top[s->nd] = y;
	for (i = 0; i < s->nd; i++) {
		unsigned int j;

		for (j = 0; j < s->d[i].nrows; j++)
			s->used |= row_used(&s->d[i].rows[j]);
	}
	legend_h = 24 + LEGEND_H * draw_legend(s, NULL, 0);
	height = y + legend_h;

	svg_begin(fp, s->width, height, s->nd ? s->d[0].title : "no connection",
		  "A ladder (sequence) diagram drawn by tcptracectl --svg: the client's lane on the left, the server's on the right, time down.",
		  SVG_HEAD(SVG_INK) | SVG_HEAD(SVG_RED) | SVG_HEAD(SVG_ORANGE) |
		  SVG_HEAD(SVG_GREY));
	for (i = 0; i < s->nd; i++) {
		if (i)
			svg_line(fp, MARGIN, top[i] - 5, s->width - MARGIN,
				 top[i] - 5, SVG_GREY, "2 4", false);
		draw_diagram(s, fp, &s->d[i], top[i], top[i + 1] - top[i] - 10);
	}
	if (!s->nd)
		svg_text(fp, MARGIN, 20, SVG_START, FS, "", "(no connection drawn)");
	fprintf(fp, "<g class=\"legend\">\n");
	draw_legend(s, fp, y);
	fputs("</g>\n</svg>\n", fp);
	free(top);
}

static void free_all(struct svg *s)
{
	unsigned int i, j, k;

	for (i = 0; i < s->nd; i++) {
		struct diagram *d = &s->d[i];

		for (j = 0; j < d->nrows; j++) {
			for (k = 0; k < d->rows[j].nrem; k++)
				free(d->rows[j].rem[k]);
			free(d->rows[j].rem);
			free(d->rows[j].text);
		}
		for (j = 0; j < d->nfoot; j++)
			free(d->foot[j]);
		free(d->rows);
		free(d->foot);
		free(d->title);
		free(d->side[0]);
		free(d->side[1]);
	}
	free(s->d);
	free(s);
}

/**
 * svg_close() - lay the picture out, write it and free it
 * @s: the picture
 *
 * Return: 0, or a negative errno (reported).
 */
int svg_close(struct svg *s)
{
	int err = s->err;

	if (!err)
		write_svg(s, s->fp);
	err = svg_file_close(s->fp, s->path, err ? err : s->err);
	free_all(s);
	return err;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * --svg FILE: the ladders of show, replay and ladder as one picture, a
 * sequence diagram per connection, stacked.  ladder.c hands over the same
 * headers, rows and closing lines that it draws as text; they are kept until
 * svg_close(), which lays them out (the picture's size depends on all of
 * them) and writes a self-contained SVG: no scripts, no external
 * references, generic monospace fonts, and no colour needed to read it
 * (line styles and words; colour only adds to them).
 */

#ifndef TCPTRACECTL_SVG_H
#define TCPTRACECTL_SVG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flow.h"
#include "ladder.h"

struct svg;

int svg_open(const char *path, struct svg **out);
void svg_head(struct svg *s, uint64_t id, const char *title,
	      const char *const side[2], const uint8_t state[2]);
void svg_row(struct svg *s, uint64_t id, const struct flow *f,
	     const struct ladder_row *r);
void svg_foot(struct svg *s, uint64_t id, const char *text);
int svg_close(struct svg *s);

/*
 * The primitives the ladder is drawn with, for other pictures (tsg.c): the
 * same fonts, inks, escaping and text widths.
 */
enum svg_ink {
	SVG_INK,	/* black */
	SVG_RED,
	SVG_ORANGE,
	SVG_GREY,
	SVG_GREEN,
	SVG_BLUE,
	SVG_OLIVE,
	SVG_INKS
};

#define SVG_HEAD(ink)	(1U << (ink))

enum svg_anchor { SVG_START, SVG_MIDDLE, SVG_END };

extern const char *const svg_ink_rgb[SVG_INKS];

int svg_file_open(const char *path, FILE **fp);
int svg_file_close(FILE *fp, const char *path, int err);
void svg_begin(FILE *fp, int width, int height, const char *title,
	       const char *desc, unsigned int heads);
int svg_text_w(const char *t, int fs);
void svg_text(FILE *fp, int x, int y, enum svg_anchor a, int fs,
	      const char *attrs, const char *t);
void svg_line(FILE *fp, int x1, int y1, int x2, int y2, enum svg_ink ink,
	      const char *dash, bool head);
void svg_cross(FILE *fp, int x, int y, int r, enum svg_ink ink);
enum svg_shape { SVG_SQUARE, SVG_TRIANGLE, SVG_DIAMOND };
void svg_shape(FILE *fp, enum svg_shape shape, int x, int y, enum svg_ink ink,
	       bool filled);
void svg_polyline(FILE *fp, const int (*pt)[2], unsigned int n,
		  enum svg_ink ink, const char *dash, const char *attrs);

#endif /* TCPTRACECTL_SVG_H */

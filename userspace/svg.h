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

#include <stdint.h>

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

#endif /* TCPTRACECTL_SVG_H */

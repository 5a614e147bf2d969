/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Output of flows, events, counters and configuration: aligned text, or
 * one JSON object per line (--json).  The JSON field names are part of the
 * tool's interface and documented in tcptracectl.8.
 */

#ifndef TCPTRACECTL_PRINT_H
#define TCPTRACECTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flow.h"
#include "json.h"

enum color {
	C_NONE,
	C_BOLD,
	C_DIM,
	C_RED,
	C_GREEN,
	C_YELLOW,
	C_BLUE,
	C_MAGENTA,
	C_CYAN,
};

extern bool print_flush;

const char *color_on(enum color c);
const char *color_off(enum color c);
enum color state_color(unsigned int state);

void seg_str(const struct flow *f, const struct note *n, char *buf,
	     size_t size);
void time_str(uint64_t ms, char *buf, size_t size);

void print_flows(struct flow *flows, unsigned int n);
void print_show(const struct flow *f);
void print_event(const struct event *ev);
void print_flow_json(struct json *j, const struct flow *f);

#endif /* TCPTRACECTL_PRINT_H */

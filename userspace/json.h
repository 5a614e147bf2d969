/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * A small JSON writer for --json: one object per line, keys in the order
 * they are written, strings escaped as RFC 8259 asks; and a reader of such
 * lines, for `ladder`, which draws recorded monitors.
 */

#ifndef TCPTRACECTL_JSON_H
#define TCPTRACECTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH	8

/**
 * struct json - a writer
 * @f: where to write
 * @depth: open objects and arrays
 * @first: whether the next member at each depth is the first
 */
struct json {
	FILE *f;
	int depth;
	bool first[JSON_DEPTH];
};

void json_begin(struct json *j, FILE *f);
void json_end(struct json *j);
void json_object(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_raw(struct json *j, const char *members, size_t len);

#define JSON_FIELDS	64
#define JSON_KEY_MAX	32
#define JSON_VAL_MAX	192

/**
 * struct json_field - one member of an object read back
 * @key: its name
 * @val: a string's text (unescaped), a number, true, false or null as
 *	written, or an array's strings and numbers joined with ','; empty for
 *	a nested object or an array of objects
 */
struct json_field {
	char key[JSON_KEY_MAX];
	char val[JSON_VAL_MAX];
};

/**
 * struct json_obj - the members of one line's object
 * @f: the members, in order
 * @n: how many
 */
struct json_obj {
	struct json_field f[JSON_FIELDS];
	unsigned int n;
};

int json_read_line(const char *s, struct json_obj *o);
const char *json_get(const struct json_obj *o, const char *key);

/* json-event.c: a line of `monitor --json` back to its event (flow.h) */
struct event;
int json_event(const struct json_obj *o, struct event *ev);

#endif /* TCPTRACECTL_JSON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The JSON writer.  A key of NULL writes a bare value (inside arrays).
 */

#include <inttypes.h>

#include "json.h"

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The separator and the key of the next member. */
static void member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			fputc(',', j->f);
		j->first[j->depth - 1] = false;
	}
	if (key) {
		put_string(j->f, key);
		fputc(':', j->f);
	}
}

static void nest_open(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_DEPTH)
		j->first[j->depth] = true;
	j->depth++;
}

static void nest_close(struct json *j, char c)
{
	fputc(c, j->f);
	j->depth--;
}

/* Start one line's object. */
void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	nest_open(j, NULL, '{');
}

/* End it, with the newline, and flush: a reader sees each line at once. */
void json_end(struct json *j)
{
	nest_close(j, '}');
	fputc('\n', j->f);
	fflush(j->f);
}

void json_object(struct json *j, const char *key)
{
	nest_open(j, key, '{');
}

void json_object_end(struct json *j)
{
	nest_close(j, '}');
}

void json_array(struct json *j, const char *key)
{
	nest_open(j, key, '[');
}

void json_array_end(struct json *j)
{
	nest_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	put_string(j->f, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The JSON writer.  A key of NULL writes a bare value (inside arrays).
 * The reader takes one line's object back apart.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

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

/**
 * json_raw() - members written elsewhere, into the open object
 * @j: the writer
 * @members: '"key":value' members separated by ',', as the functions
 *	above write them (print.c writes a flow's this way, in one go)
 * @len: their length
 */
void json_raw(struct json *j, const char *members, size_t len)
{
	member(j, NULL);
	fwrite(members, 1, len, j->f);
}

/* --- reading ------------------------------------------------------------ */

/**
 * struct rd - a line being read
 * @p: the next character
 * @err: a syntax error was found
 */
struct rd {
	const char *p;
	bool err;
};

static void skip_ws(struct rd *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' ||
	       *r->p == '\r')
		r->p++;
}

static unsigned int hex4(const char *p, bool *ok)
{
	unsigned int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			*ok = false;
	}
	return v;
}

/* A string at r->p (its opening quote), into @buf (cut to @size). */
static void read_string(struct rd *r, char *buf, size_t size)
{
	size_t n = 0;
	bool ok = true;
	char c;

	if (*r->p != '"') {
		r->err = true;
		return;
	}
	r->p++;
	while ((c = *r->p) && c != '"') {
		r->p++;
		if (c == '\\') {
			c = *r->p++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u':
				/* The writer escapes only control characters. */
				c = (char)hex4(r->p, &ok);
				if (ok)
					r->p += 4;
				break;
			case '"':
			case '\\':
			case '/':
				break;
			default:
				ok = false;
			}
			if (!ok) {
				r->err = true;
				return;
			}
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	if (c != '"') {
		r->err = true;
		return;
	}
	r->p++;
	if (size)
		buf[n] = '\0';
}

/* A number, true, false or null, as written. */
static void read_word(struct rd *r, char *buf, size_t size)
{
	size_t n = 0;

	while (*r->p && strchr("+-.0123456789eEtrufalsn", *r->p)) {
		if (n + 1 < size)
			buf[n++] = *r->p;
		r->p++;
	}
	if (!n)
		r->err = true;
	if (size)
		buf[n] = '\0';
}

static void read_value(struct rd *r, char *buf, size_t size, int depth);

/* An object or array whose members are not kept (nested ones). */
static void skip_nest(struct rd *r, int depth)
{
	char open = *r->p, close = open == '{' ? '}' : ']', key[JSON_KEY_MAX];

	r->p++;
	skip_ws(r);
	if (*r->p == close) {
		r->p++;
		return;
	}
	while (!r->err) {
		skip_ws(r);
		if (open == '{') {
			read_string(r, key, sizeof(key));
			skip_ws(r);
			if (*r->p++ != ':')
				r->err = true;
		}
		read_value(r, NULL, 0, depth + 1);
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
		} else if (*r->p == close) {
			r->p++;
			return;
		} else {
			r->err = true;
		}
	}
}

/* An array of strings and numbers, joined with ','. */
static void read_array(struct rd *r, char *buf, size_t size, int depth)
{
	char item[JSON_VAL_MAX];
	const char *start = r->p;
	size_t n = 0;

	r->p++;
	skip_ws(r);
	if (size)
		buf[0] = '\0';
	if (*r->p == ']') {
		r->p++;
		return;
	}
	while (!r->err) {
		skip_ws(r);
		if (*r->p == '{' || *r->p == '[') {
			/* Not a flat array: keep nothing of it. */
			r->p = start;
			skip_nest(r, depth);
			if (size)
				buf[0] = '\0';
			return;
		}
		read_value(r, item, sizeof(item), depth + 1);
		if (size && n + strlen(item) + 2 < size)
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "",
				      item);
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
		} else if (*r->p == ']') {
			r->p++;
			return;
		} else {
			r->err = true;
		}
	}
}

static void read_value(struct rd *r, char *buf, size_t size, int depth)
{
	char scratch[JSON_VAL_MAX];

	if (!buf) {
		buf = scratch;
		size = sizeof(scratch);
	}
	skip_ws(r);
	if (depth > JSON_DEPTH) {
		r->err = true;
		return;
	}
	if (*r->p == '"')
		read_string(r, buf, size);
	else if (*r->p == '[')
		read_array(r, buf, size, depth);
	else if (*r->p == '{') {
		skip_nest(r, depth);
		buf[0] = '\0';
	} else
		read_word(r, buf, size);
}

/**
 * json_read_line() - the members of one line's object
 * @s: the line, one JSON object as --json writes it
 * @o: filled with its members; members past JSON_FIELDS are left out
 *
 * Return: 0, or -EINVAL if @s is not one JSON object.
 */
int json_read_line(const char *s, struct json_obj *o)
{
	struct rd r = { .p = s };
	struct json_field scratch;

	o->n = 0;
	skip_ws(&r);
	if (*r.p++ != '{')
		return -EINVAL;
	skip_ws(&r);
	if (*r.p == '}') {
		r.p++;
		goto end;
	}
	while (!r.err) {
		struct json_field *f = o->n < JSON_FIELDS ? &o->f[o->n] :
							   &scratch;

		skip_ws(&r);
		read_string(&r, f->key, sizeof(f->key));
		skip_ws(&r);
		if (*r.p++ != ':')
			return -EINVAL;
		read_value(&r, f->val, sizeof(f->val), 1);
		if (r.err)
			return -EINVAL;
		if (f != &scratch)
			o->n++;
		skip_ws(&r);
		if (*r.p == ',') {
			r.p++;
		} else if (*r.p == '}') {
			r.p++;
			break;
		} else {
			return -EINVAL;
		}
	}
end:
	skip_ws(&r);
	return r.err || *r.p ? -EINVAL : 0;
}

/**
 * json_get() - a member's value
 * @o: the object
 * @key: the member's name
 *
 * Return: its value as struct json_field keeps it, or NULL if absent.
 */
const char *json_get(const struct json_obj *o, const char *key)
{
	unsigned int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return o->f[i].val;
	return NULL;
}

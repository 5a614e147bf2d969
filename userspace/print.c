// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Text and JSON output.  Every name of a state, reason, outcome, anomaly or
 * TCP flag comes from the module's own helpers (state.c, parse.c), so the
 * tool says exactly what /proc/tcptrace says.  An event's line, and the
 * members of a flow and of a note, are one sequence of print_*() calls for
 * text and JSON alike ("one call a field" below).  Tables are aligned on
 * the widest cell of each column; colours go around the padded text.
 */

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "owner.h"
#include "print.h"
#include "tcptracectl.h"

#define CELL_MAX	64

/* Flush stdout after each event and listing: a monitor's reader sees each
 * line at once.  `replay` turns it off: nobody waits for its lines.
 */
bool print_flush = true;

/* --- the line buffer ------------------------------------------------------
 *
 * Lines are put together here a field at a time, then handed to stdio in
 * one fwrite(): printf() parses its format and locks the stream for every
 * call, and the JSON writer went through stdio a character at a time, which
 * at a million events a second was most of the cost.  The output is the
 * same, byte for byte, as the printf() formats written beside each helper.
 */

#define OUT_BUF		8192

/**
 * struct out - a line being put together
 * @p: where the next byte goes
 * @json: the line is a JSON object (print_*()), else text
 * @first: no member yet in the JSON object or array open
 * @buf: the bytes
 */
struct out {
	char *p;
	bool json;
	bool first;
	char buf[OUT_BUF];
};

static void out_init(struct out *o)
{
	o->p = o->buf;
	o->json = false;
	o->first = true;
}

static void out_flush(struct out *o)
{
	if (o->p > o->buf)
		fwrite(o->buf, 1, o->p - o->buf, stdout);
	o->p = o->buf;
}

/* Room for @n more bytes, @n <= OUT_BUF. */
static inline void out_room(struct out *o, size_t n)
{
	if ((size_t)(o->buf + OUT_BUF - o->p) < n)
		out_flush(o);
}

static inline void put_mem(struct out *o, const char *s, size_t n)
{
	while (n) {
		size_t k = n < OUT_BUF ? n : OUT_BUF;

		out_room(o, k);
		memcpy(o->p, s, k);
		o->p += k;
		s += k;
		n -= k;
	}
}

/* A string literal: its length is known when compiled. */
#define put_lit(o, s)	put_mem(o, s, sizeof(s) - 1)

static inline void put_str(struct out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

static inline void put_ch(struct out *o, char c)
{
	out_room(o, 1);
	*o->p++ = c;
}

/* "%-*s": @s, then spaces up to @width. */
static void put_pad(struct out *o, const char *s, size_t len,
		    unsigned int width)
{
	put_mem(o, s, len);
	if (len < width) {
		out_room(o, width - len);
		memset(o->p, ' ', width - len);
		o->p += width - len;
	}
}

/* "00" to "99": two digits a division (a multiplication, once compiled). */
static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The decimal digits of @v at the end of @end[-20..-1]; their start. */
static char *u64_digits(uint64_t v, char *end)
{
	uint32_t w;

	while (v > UINT32_MAX) {
		unsigned int r = v % 100;

		v /= 100;
		end -= 2;
		memcpy(end, digit_pairs + 2 * r, 2);
	}
	/* the rest in 32 bits: cheaper divisions */
	for (w = v; w >= 100; w /= 100) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * (w % 100), 2);
	}
	if (w >= 10) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * w, 2);
	} else {
		*--end = '0' + w;
	}
	return end;
}

/* "%llu", written in place */
static inline void put_u64(struct out *o, uint64_t v)
{
	char tmp[40], *d;

	if (v < 10) {		/* zeros, mostly */
		put_ch(o, '0' + v);
		return;
	}
	/* The digits end at tmp + 20; 20 bytes from their start, a fixed
	 * size copied inline, hold them all; what follows them in the
	 * buffer is written over next.
	 */
	d = u64_digits(v, tmp + 20);
	out_room(o, 20);
	memcpy(o->p, d, 20);
	o->p += tmp + 20 - d;
}

/* "%-*llu" */
static void put_u64_pad(struct out *o, uint64_t v, unsigned int width)
{
	char tmp[20], *d = u64_digits(v, tmp + sizeof(tmp));

	put_pad(o, d, tmp + sizeof(tmp) - d, width);
}

/* time_str(): "%llu.%03llus" of milliseconds */
static void put_time(struct out *o, uint64_t ms)
{
	unsigned int r = ms % 1000;

	put_u64(o, ms / 1000);
	out_room(o, 5);
	o->p[0] = '.';
	o->p[1] = '0' + r / 100;
	o->p[2] = '0' + r / 10 % 10;
	o->p[3] = '0' + r % 10;
	o->p[4] = 's';
	o->p += 5;
}

/* endpoint_str(): "10.0.0.1:80", "[fd00::1]:80" */
static void put_endpoint(struct out *o, const struct flow *f, unsigned int who)
{
	char a[INET6_ADDRSTRLEN];

	if (f->family == AF_INET) {
		/* "0." to "255.", made once */
		static char dec[256][4];
		static uint8_t declen[256];
		const uint8_t *b = f->addr[who];
		unsigned int i;

		if (!declen[0])
			for (i = 0; i < 256; i++) {
				char *d = u64_digits(i, dec[i] + 3);

				declen[i] = dec[i] + 4 - d;
				memmove(dec[i], d, declen[i] - 1);
				dec[i][declen[i] - 1] = '.';
			}
		/* inet_ntop()'s "%u.%u.%u.%u", without a printf() */
		out_room(o, 4 * sizeof(dec[0]));
		for (i = 0; i < 4; i++) {
			memcpy(o->p, dec[b[i]], sizeof(dec[0]));
			o->p += declen[b[i]];
		}
		o->p--;		/* the last dot */
	} else {
		if (!inet_ntop(f->family, f->addr[who], a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		if (f->family == AF_INET6)
			put_ch(o, '[');
		put_str(o, a);
		if (f->family == AF_INET6)
			put_ch(o, ']');
	}
	put_ch(o, ':');
	put_u64(o, f->port[who]);
}

const char *color_on(enum color c)
{
	static const char * const esc[] = {
		[C_NONE] = "",
		[C_BOLD] = "\033[1m",
		[C_DIM] = "\033[2m",
		[C_RED] = "\033[31m",
		[C_GREEN] = "\033[32m",
		[C_YELLOW] = "\033[33m",
		[C_BLUE] = "\033[34m",
		[C_MAGENTA] = "\033[35m",
		[C_CYAN] = "\033[36m",
	};

	return opts.color ? esc[c] : "";
}

const char *color_off(enum color c)
{
	return opts.color && c != C_NONE ? "\033[0m" : "";
}

/* Opening in cyan, open in green, closing in yellow, waiting in magenta. */
enum color state_color(unsigned int state)
{
	switch (state) {
	case TT_STATE_SYN_SENT:
	case TT_STATE_SYN_RECEIVED:
		return C_CYAN;
	case TT_STATE_ESTABLISHED:
		return C_GREEN;
	case TT_STATE_FIN_WAIT_1:
	case TT_STATE_FIN_WAIT_2:
	case TT_STATE_CLOSE_WAIT:
	case TT_STATE_CLOSING:
	case TT_STATE_LAST_ACK:
		return C_YELLOW;
	case TT_STATE_TIME_WAIT:
		return C_MAGENTA;
	case TT_STATE_CLOSED:
		return C_DIM;
	default:
		return C_NONE;
	}
}

/* What the line buffer holds, into @buf as snprintf() would: cut to fit. */
static void out_str(const struct out *o, char *buf, size_t size)
{
	size_t n = o->p - o->buf;

	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(buf, o->buf, n);
	buf[n] = '\0';
}

/* Seconds with milliseconds, as /proc/tcptrace writes them. */
void time_str(uint64_t ms, char *buf, size_t size)
{
	struct out o;

	out_init(&o);
	put_time(&o, ms);
	out_str(&o, buf, size);
}

/* Index (0 client, 1 server) of an enum tt_who, or -1. */
static int who_index(unsigned int who)
{
	return who == TT_WHO_CLIENT ? 0 : who == TT_WHO_SERVER ? 1 : -1;
}

/* seg_str(), into the line buffer */
static void put_seg(struct out *o, const struct flow *f, const struct note *n)
{
	int s = who_index(n->sender);
	char flags[32];
	uint32_t seq = n->seq, ack = n->ack;

	if (s < 0) {
		put_lit(o, "timer");
		return;
	}
	if (!opts.absolute && f->has_isn[s])
		seq -= f->isn[s];
	if (!opts.absolute && f->has_isn[!s])
		ack -= f->isn[!s];
	put_mem(o, flags, tt_tcp_flags_str(n->tcp_flags, flags, sizeof(flags)));
	/* A number the module withholds from this reader is a '-'. */
	put_lit(o, " seq=");
	if (n->seq_hidden)
		put_ch(o, '-');
	else
		put_u64(o, seq);
	if (n->tcp_flags & TT_TCP_ACK) {
		put_lit(o, " ack=");
		if (n->seq_hidden)
			put_ch(o, '-');
		else
			put_u64(o, ack);
	}
	if (n->len) {
		put_lit(o, " len=");
		put_u64(o, n->len);
	}
}

/**
 * seg_str() - "SYN,ACK seq=0 ack=1 len=5", relative unless --absolute
 * @f: the flow, for the ISNs
 * @n: the note of the segment
 * @buf: where to write
 * @size: its size
 *
 * Sequence numbers are relative to the sender's ISN, acknowledgment numbers
 * to the receiver's, when those are known; an ack is shown only with ACK.
 * Numbers the module withholds (seq_hidden) are written '-'.
 */
void seg_str(const struct flow *f, const struct note *n, char *buf,
	     size_t size)
{
	struct out o;

	out_init(&o);
	put_seg(&o, f, n);
	out_str(&o, buf, size);
}

/* --- JSON -------------------------------------------------------------- */

/*
 * The characters a JSON string cannot hold as they are, and the NUL that
 * ends a C string: what put_json_str() stops at.  A table: one load a
 * character instead of three compares.
 */
static const bool json_special[256] = {
	[0 ... 0x1f] = true, ['"'] = true, ['\\'] = true,
};

/* A JSON string, escaped as json.c's writer escapes it. */
static void put_json_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n;

	put_ch(o, '"');
	for (;;) {
		/* Names and addresses need no escaping: copied in one go. */
		for (n = 0; !json_special[(unsigned char)s[n]]; n++)
			;
		put_mem(o, s, n);
		s += n;
		if (!*s)
			break;
		out_room(o, 6);
		if (*s == '"' || *s == '\\') {
			*o->p++ = '\\';
			*o->p++ = *s;
		} else if (*s == '\n') {
			*o->p++ = '\\';
			*o->p++ = 'n';
		} else if (*s == '\t') {
			*o->p++ = '\\';
			*o->p++ = 't';
		} else {
			memcpy(o->p, "\\u00", 4);
			o->p[4] = hex[(unsigned char)*s >> 4];
			o->p[5] = hex[*s & 15];
			o->p += 6;
		}
		s++;
	}
	put_ch(o, '"');
}

/*
 * The JSON strings of names: tt_state_name() and its kind return one of a
 * few dozen static strings, which never change.  Each is escaped and
 * quoted once, and kept by its address in a small direct-mapped cache;
 * after that a name costs a compare and one fixed-size copy.
 */
#define NAME_SLOTS	256
#define NAME_MAX_JSON	47

struct name_slot {
	const char *name;
	uint8_t len;
	char json[NAME_MAX_JSON + 1];
};

/* A name not in its slot: escaped and quoted into it, if it fits. */
static __attribute__((noinline)) bool name_fill(struct name_slot *n,
						const char *s)
{
	struct out tmp;

	out_init(&tmp);
	put_json_str(&tmp, s);
	if (tmp.p - tmp.buf > NAME_MAX_JSON)
		return false;
	n->name = s;
	n->len = tmp.p - tmp.buf;
	memcpy(n->json, tmp.buf, n->len);
	return true;
}

/* @s: a string that lives, unchanged, as long as the program. */
static inline void put_json_name(struct out *o, const char *s)
{
	static struct name_slot slots[NAME_SLOTS];
	struct name_slot *n;

	/* The names lie side by side: the address's bits mixed, not cut. */
	n = &slots[((uintptr_t)s * 0x9e3779b97f4a7c15ULL) >> 56];
	if (n->name != s && !name_fill(n, s)) {
		put_json_str(o, s);
		return;
	}
	out_room(o, sizeof(n->json));
	memcpy(o->p, n->json, sizeof(n->json));	/* a constant size: inline */
	o->p += n->len;
}

/* --- one call a field, for text and JSON ----------------------------------
 *
 * As iproute2's print_string(PRINT_ANY, key, fmt, value) has it: a line is
 * one sequence of calls whether it is text or JSON, and each call names its
 * field once.  In a JSON line a PRINT_ANY or PRINT_JSON field is the member
 * "key":value; in a text line a PRINT_ANY or PRINT_FP field is @fmt with
 * the value.  A field only one of them has says so (PRINT_JSON, PRINT_FP),
 * and so does one that each has in its own place: text and JSON do not
 * always put their fields in the same order.
 *
 * @fmt is a printf() format of one conversion, of the value: "%s" or
 * "%llu", or "%-Ns", "%-Nllu" (left-justified in N columns); no printf()
 * is called.  A colour goes around the value and its padding, not around
 * the text of @fmt.
 */

/* Inlined into each call: the key's length and @fmt's parts are then
 * worked out when compiled, as the literals of the hand-made lines were.
 */
#define PRINT_INLINE	static inline __attribute__((always_inline))

/*
 * The names a field of the other kind of line still looks up, for nothing
 * but a result: said to depend on their arguments alone, the lookup goes
 * with the field.
 */
const char *tt_state_name(unsigned int state) __attribute__((pure));
const char *tt_who_name(unsigned int who) __attribute__((pure));
const char *tt_outcome_name(unsigned int outcome) __attribute__((pure));
const char *tt_local_name(unsigned int flags) __attribute__((pure));
const char *tt_why_name(unsigned int why) __attribute__((pure));
const char *family_name(uint8_t family) __attribute__((pure));
const char *event_type_name(enum event_type type) __attribute__((pure));

enum print_type {
	PRINT_NONE = 0,		/* neither: a field this line does not have */
	PRINT_FP = 1,		/* text lines only */
	PRINT_JSON = 2,		/* JSON lines only */
	PRINT_ANY = 3,		/* both */
};

PRINT_INLINE bool is_json(const struct out *o, enum print_type t)
{
	return o->json && (t & PRINT_JSON);
}

PRINT_INLINE bool is_fp(const struct out *o, enum print_type t)
{
	return !o->json && (t & PRINT_FP);
}

/* The separator and "key": of the next JSON member; no key in arrays. */
PRINT_INLINE void put_key(struct out *o, const char *key)
{
	size_t n = key ? strlen(key) : 0;
	char *p;
	bool sep;

	out_room(o, n + 4);
	p = o->p;
	sep = !o->first;	/* read before the stores through @p */
	o->first = false;
	*p = ',';
	p += sep;
	if (key) {
		p[0] = '"';
		memcpy(p + 1, key, n);
		p[n + 1] = '"';
		p[n + 2] = ':';
		p += n + 3;
	}
	o->p = p;
}

/*
 * @fmt's text before its conversion; the conversion's width (0 for none)
 * into @width; and where the text after it starts.
 */
PRINT_INLINE const char *fmt_head(struct out *o, const char *fmt,
				   unsigned int *width)
{
	const char *p = strchr(fmt, '%');

	put_mem(o, fmt, p - fmt);
	p++;
	*width = 0;
	if (*p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		*width = 10 * *width + *p++ - '0';
	while (*p == 'l')
		p++;
	return p + 1;
}

/* A line: a JSON object, or text; print_end() ends it with its newline. */
static void print_begin(struct out *o, bool json)
{
	o->json = json;
	o->first = true;
	if (json)
		put_ch(o, '{');
}

static void print_end(struct out *o)
{
	if (o->json)
		put_lit(o, "}\n");
	else
		put_ch(o, '\n');
}

/* Text as it is, in text lines (@t PRINT_FP) or JSON ones (PRINT_JSON). */
PRINT_INLINE void print_lit(struct out *o, enum print_type t, const char *s)
{
	if (is_json(o, t) || is_fp(o, t))
		put_str(o, s);
}

PRINT_INLINE void print_u64(struct out *o, enum print_type t,
			     const char *key, const char *fmt, uint64_t v)
{
	unsigned int w;

	if (is_json(o, t)) {
		put_key(o, key);
		put_u64(o, v);
	} else if (is_fp(o, t)) {
		fmt = fmt_head(o, fmt, &w);
		if (w)
			put_u64_pad(o, v, w);
		else
			put_u64(o, v);
		put_str(o, fmt);
	}
}

/* A string of the text, padded and coloured as @fmt and @c say. */
PRINT_INLINE void fp_str(struct out *o, enum color c, const char *fmt,
			  const char *s)
{
	unsigned int w;

	fmt = fmt_head(o, fmt, &w);
	if (c != C_NONE)	/* color_on(C_NONE) and color_off() are "" */
		put_str(o, color_on(c));
	if (w)
		put_pad(o, s, strlen(s), w);
	else
		put_str(o, s);
	if (c != C_NONE)
		put_str(o, color_off(c));
	put_str(o, fmt);
}

/*
 * A name: a string that lives, unchanged, as long as the program (those of
 * state.c and parse.c), escaped for JSON once (put_json_name()).
 */
PRINT_INLINE void print_name(struct out *o, enum print_type t, enum color c,
			      const char *key, const char *fmt, const char *s)
{
	if (is_json(o, t)) {
		put_key(o, key);
		put_json_name(o, s);
	} else if (is_fp(o, t)) {
		fp_str(o, c, fmt, s);
	}
}

/* Any other string. */
PRINT_INLINE void print_string(struct out *o, enum print_type t,
				const char *key, const char *fmt,
				const char *s)
{
	if (is_json(o, t)) {
		put_key(o, key);
		put_json_str(o, s);
	} else if (is_fp(o, t)) {
		fp_str(o, C_NONE, fmt, s);
	}
}

PRINT_INLINE void print_bool(struct out *o, enum print_type t,
			      const char *key, const char *fmt, bool v)
{
	if (is_json(o, t)) {
		put_key(o, key);
		if (v)
			put_lit(o, "true");
		else
			put_lit(o, "false");
	} else if (is_fp(o, t)) {
		fp_str(o, C_NONE, fmt, v ? "true" : "false");
	}
}

/* Milliseconds: a number in JSON, seconds in text ("1.234s", time_str()). */
PRINT_INLINE void print_time(struct out *o, enum print_type t,
			      const char *key, const char *fmt, uint64_t ms)
{
	unsigned int w;

	if (is_fp(o, t)) {
		fmt = fmt_head(o, fmt, &w);
		put_time(o, ms);
		put_str(o, fmt);
	} else {
		print_u64(o, t, key, NULL, ms);
	}
}

/* An endpoint of @f, "10.0.0.1:80": it needs no escaping in JSON. */
PRINT_INLINE void print_endpoint(struct out *o, enum print_type t,
				  const char *key, const char *fmt,
				  const struct flow *f, unsigned int who)
{
	unsigned int w;

	if (is_json(o, t)) {
		put_key(o, key);
		put_ch(o, '"');
		put_endpoint(o, f, who);
		put_ch(o, '"');
	} else if (is_fp(o, t)) {
		fmt = fmt_head(o, fmt, &w);
		put_endpoint(o, f, who);
		put_str(o, fmt);
	}
}

/* A JSON array or object as a member (or, with no key, an element). */
PRINT_INLINE void print_open(struct out *o, const char *key, char c)
{
	if (o->json) {
		put_key(o, key);
		put_ch(o, c);
		o->first = true;
	}
}

/* What encloses it always has a member by now: itself. */
PRINT_INLINE void print_close(struct out *o, char c)
{
	if (o->json) {
		put_ch(o, c);
		o->first = false;
	}
}

/* TT_ANOM_* bits: a JSON array of their names; "a,b" in text. */
PRINT_INLINE void print_anomalies(struct out *o, enum print_type t,
			    const char *key, const char *fmt, uint32_t bits)
{
	char buf[160];

	if (is_json(o, t)) {
		print_open(o, key, '[');
		if (!bits) {
			print_close(o, ']');
			return;
		}
		for (bits &= (uint32_t)((1ULL << __TT_ANOM_MAX) - 1); bits;
		     bits &= bits - 1)
			print_name(o, PRINT_JSON, C_NONE, NULL, NULL,
				   tt_anomaly_name(__builtin_ctz(bits)));
		print_close(o, ']');
	} else if (is_fp(o, t)) {
		tt_anomalies_str(bits, buf, sizeof(buf));
		fp_str(o, C_NONE, fmt, buf);
	}
}

/* seg_str() of note @n, in text lines (its members are the note's). */
static void print_seg(struct out *o, const char *fmt, const struct flow *f,
		      const struct note *n)
{
	unsigned int w;

	if (!o->json) {
		fmt = fmt_head(o, fmt, &w);
		put_seg(o, f, n);
		put_str(o, fmt);
	}
}

/* --- who holds an endpoint ----------------------------------------------- */

/* Digits of @v: what put_u64() writes. */
static size_t u64_len(uint64_t v)
{
	char tmp[20];

	return tmp + sizeof(tmp) - u64_digits(v, tmp + sizeof(tmp));
}

/* A command as a text line shows it: a control character is a '?'. */
static void put_comm(struct out *o, const char *s)
{
	for (; *s; s++)
		put_ch(o, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

/*
 * "pid 812 python3, pid 813 python3, uid 1000": endpoint @w's socket (a
 * local one: has_owner), the processes that hold it as ss -p shows them to
 * this user (none in replay), and its owner.  In at most @max bytes (0: no
 * limit); the processes that do not fit are "+N more".
 */
static void put_owner(struct out *o, const struct flow *f, unsigned int w,
		      size_t max)
{
	const struct owner_proc *p;
	unsigned int i, n = owner_procs(f->inode[w], &p);
	size_t used = 0, tail = 4 + u64_len(f->uid[w]), len;

	for (i = 0; i < n; i++) {
		len = 4 + u64_len(p[i].pid) + 1 + strlen(p[i].comm) + 2;
		/* this one, "+N more, " if others follow, and the uid */
		if (max && used + len + (i + 1 < n ? 16 : 0) + tail > max) {
			put_ch(o, '+');
			put_u64(o, n - i);
			put_lit(o, " more, ");
			break;
		}
		put_lit(o, "pid ");
		put_u64(o, p[i].pid);
		put_ch(o, ' ');
		put_comm(o, p[i].comm);
		put_lit(o, ", ");
		used += len;
	}
	put_lit(o, "uid ");
	put_u64(o, f->uid[w]);
}

/* Text lines: @label, then " (pid 812 python3, uid 1000)", if it is local. */
static void print_owner_fp(struct out *o, const struct flow *f, int w,
			   const char *label)
{
	if (o->json || w < 0 || !f->has_owner[w])
		return;
	put_str(o, label);
	put_lit(o, " (");
	put_owner(o, f, w, 0);
	put_ch(o, ')');
}

/*
 * JSON: client_uid, client_inode and client_processes ([{"pid", "comm"}],
 * where processes are looked up: not in replay), or server_*; none for an
 * endpoint that is not a local socket seen sending.
 */
static void print_owner_json(struct out *o, const struct flow *f,
			     unsigned int w)
{
	const struct owner_proc *p;
	unsigned int i, n;

	if (!o->json || !f->has_owner[w])
		return;
	print_u64(o, PRINT_JSON, w ? "server_uid" : "client_uid", NULL,
		  f->uid[w]);
	print_u64(o, PRINT_JSON, w ? "server_inode" : "client_inode", NULL,
		  f->inode[w]);
	if (!owner_enabled())
		return;
	n = owner_procs(f->inode[w], &p);
	print_open(o, w ? "server_processes" : "client_processes", '[');
	for (i = 0; i < n; i++) {
		print_open(o, NULL, '{');
		print_u64(o, PRINT_JSON, "pid", NULL, p[i].pid);
		print_string(o, PRINT_JSON, "comm", NULL, p[i].comm);
		print_close(o, '}');
	}
	print_close(o, ']');
}

/*
 * What a line is of: a flow of `list` or `show` (JSON only), or an event
 * of that type, whose text line shows some of the fields.
 */
#define AS_FLOW		EV_LOST

/* The members of a note: history entries and transition/anomaly events. */
static void put_note(struct out *o, const struct flow *f,
		     const struct note *n, enum event_type as)
{
	char flags[32];

	print_u64(o, PRINT_JSON, "time_ms", NULL, n->time_ms);
	print_name(o, PRINT_ANY, C_NONE, "endpoint", "  %-6s",
		   tt_who_name(n->endpoint));
	print_name(o, PRINT_ANY, state_color(n->from), "from", " %s",
		   tt_state_name(n->from));
	print_name(o, as == EV_TRANSITION ? PRINT_ANY : PRINT_JSON,
		   state_color(n->to), "to", " -> %s", tt_state_name(n->to));
	if (as == EV_TRANSITION || as == EV_ANOMALY)
		print_owner_fp(o, f, who_index(n->endpoint), "");
	print_name(o, PRINT_ANY, as == EV_ANOMALY ? C_RED : C_NONE, "why",
		   "  %s", tt_why_name(n->why));
	print_seg(o, "  [%s]", f, n);
	print_name(o, PRINT_JSON, C_NONE, "sender", NULL,
		   tt_who_name(n->sender));
	if (o->json)
		tt_tcp_flags_str(n->tcp_flags, flags, sizeof(flags));
	print_string(o, PRINT_JSON, "flags", NULL,
		     n->sender == TT_WHO_NONE ? "" : flags);
	/* Withheld from this reader: no key, as an unknown ISN has none. */
	print_u64(o, n->seq_hidden ? PRINT_NONE : PRINT_JSON, "seq", NULL,
		  n->seq);
	print_u64(o, n->seq_hidden ? PRINT_NONE : PRINT_JSON, "ack", NULL,
		  n->ack);
	print_u64(o, PRINT_JSON, "len", NULL, n->len);
	print_anomalies(o, PRINT_JSON, "raised", NULL, n->anomalies);
	print_time(o, PRINT_FP, NULL, " +%s", n->time_ms);
}

/* The members of a flow (tcptracectl.8, "Flow fields"). */
static void put_flow(struct out *o, const struct flow *f, enum event_type as)
{
	bool begun = as == EV_NEW || as == EV_END;

	print_u64(o, PRINT_ANY, "id", " #%-4llu", f->id);
	print_name(o, PRINT_JSON, C_NONE, "family", NULL,
		   family_name(f->family));
	print_endpoint(o, PRINT_ANY, "client", " %s", f, 0);
	print_endpoint(o, PRINT_ANY, "server", " -> %s", f, 1);
	if (as == EV_NEW)
		print_name(o, PRINT_FP, C_NONE, NULL, "  %s",
			   family_name(f->family));
	print_name(o, PRINT_JSON, C_NONE, "client_state", NULL,
		   tt_state_name(f->state[0]));
	print_name(o, PRINT_JSON, C_NONE, "server_state", NULL,
		   tt_state_name(f->state[1]));
	print_name(o, PRINT_JSON, C_NONE, "opener", NULL,
		   tt_who_name(f->opener));
	print_name(o, PRINT_JSON, C_NONE, "closer", NULL,
		   tt_who_name(f->closer));
	print_name(o, as == EV_END ? PRINT_ANY : PRINT_JSON, C_NONE, "outcome",
		   "  outcome %s", tt_outcome_name(f->outcome));
	print_anomalies(o, PRINT_JSON, "anomalies", NULL, f->anomalies);
	print_name(o, PRINT_JSON, C_NONE, "local", NULL,
		   tt_local_name(f->flags));
	print_bool(o, PRINT_JSON, "picked_up", NULL,
		   f->flags & TT_FLOW_F_PICKED_UP);
	print_bool(o, PRINT_JSON, "established", NULL,
		   f->flags & TT_FLOW_F_ESTABLISHED);
	print_u64(o, PRINT_JSON, "client_packets", NULL, f->packets[0]);
	print_u64(o, PRINT_JSON, "client_bytes", NULL, f->bytes[0]);
	print_u64(o, PRINT_JSON, "server_packets", NULL, f->packets[1]);
	print_u64(o, PRINT_JSON, "server_bytes", NULL, f->bytes[1]);
	if (f->has_isn[0])
		print_u64(o, PRINT_JSON, "client_isn", NULL, f->isn[0]);
	if (f->has_isn[1])
		print_u64(o, PRINT_JSON, "server_isn", NULL, f->isn[1]);
	print_time(o, begun ? PRINT_ANY : PRINT_JSON, "age_ms", " +%s",
		   f->age_ms);
	print_u64(o, PRINT_JSON, "state_age_ms", NULL, f->state_age_ms);
	if (f->has_time_wait)
		print_u64(o, PRINT_JSON, "time_wait_left_ms", NULL,
			  f->time_wait_left_ms);
	print_owner_json(o, f, 0);
	print_owner_json(o, f, 1);
	if (begun) {
		print_owner_fp(o, f, 0, "  client");
		print_owner_fp(o, f, 1, "  server");
	}
}

/**
 * print_flow_json() - the members of a flow, into an open object
 * @j: the writer
 * @f: the flow
 */
void print_flow_json(struct json *j, const struct flow *f)
{
	struct out o;

	out_init(&o);
	o.json = true;
	put_flow(&o, f, AS_FLOW);
	json_raw(j, o.buf, o.p - o.buf);
}

/* --- aligned tables --------------------------------------------------- */

#define TABLE_COLS	18

/**
 * struct table - rows of cells, printed with each column as wide as its
 * widest cell
 * @ncols: columns, at most TABLE_COLS
 * @nrows: rows, the header included
 * @cap: rows allocated
 * @width: the widest cell of each column so far
 * @cells: @nrows * @ncols cells: where each cell's text starts in @text
 * @lens: the length of each cell's text, under CELL_MAX
 * @colors: the colour of each cell
 * @text: the cells' texts, one after the other (a cell not set is empty)
 * @used: bytes used in @text
 * @size: bytes allocated for it
 * @failed: out of memory for a cell's text: the table is not printed
 *
 * The texts are kept as long as they are, not in CELL_MAX bytes each: a
 * table of 40,000 flows takes 4 MB, not 25.
 */
struct table {
	unsigned int ncols;
	unsigned int nrows;
	size_t cap;
	unsigned int width[TABLE_COLS];
	size_t *cells;
	uint8_t *lens;
	uint8_t *colors;
	char *text;
	size_t used;
	size_t size;
	bool failed;
};

static int table_row(struct table *t)
{
	size_t i, cap = t->cap, need = t->nrows + 1;

	if (t->failed)
		return -1;
	/* Three arrays of rows of @ncols cells, with the same room. */
	if (array_reserve(&t->cells, &cap, need,
			  t->ncols * sizeof(*t->cells), 16))
		goto fail;
	cap = t->cap;
	if (array_reserve(&t->lens, &cap, need, t->ncols * sizeof(*t->lens),
			  16))
		goto fail;
	cap = t->cap;
	if (array_reserve(&t->colors, &cap, need,
			  t->ncols * sizeof(*t->colors), 16))
		goto fail;
	t->cap = cap;
	for (i = (size_t)t->nrows * t->ncols;
	     i < (size_t)(t->nrows + 1) * t->ncols; i++) {
		t->cells[i] = 0;
		t->lens[i] = 0;
		t->colors[i] = C_NONE;
	}
	t->nrows++;
	return 0;
fail:			/* the rows so far stand, as before */
	return -1;
}

/* Cell @col of the last row: @s, cut to CELL_MAX - 1 bytes as before. */
static void table_put(struct table *t, unsigned int col, enum color c,
		      const char *s)
{
	size_t i = (size_t)(t->nrows - 1) * t->ncols + col;
	size_t n = strnlen(s, CELL_MAX - 1);

	if (array_reserve(&t->text, &t->size, t->used + n, 1, 4096)) {
		t->failed = true;
		return;
	}
	memcpy(t->text + t->used, s, n);
	t->cells[i] = t->used;
	t->lens[i] = n;
	t->colors[i] = c;
	t->used += n;
	if (n > t->width[col])
		t->width[col] = n;
}

static void table_set(struct table *t, unsigned int col, enum color c,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void table_set(struct table *t, unsigned int col, enum color c,
		      const char *fmt, ...)
{
	char buf[CELL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	table_put(t, col, c, buf);
}

static void table_put_u64(struct table *t, unsigned int col, uint64_t v)
{
	char tmp[21];

	tmp[20] = '\0';
	table_put(t, col, C_NONE, u64_digits(v, tmp + 20));
}

/* Each row: "%s%-*s%s%s" of colour, cell, colour off and "  " or "\n". */
static void table_print(struct table *t, const char *indent)
{
	unsigned int r, c;
	struct out o;

	out_init(&o);
	for (r = 0; r < t->nrows && !t->failed; r++) {
		put_str(&o, indent);
		for (c = 0; c < t->ncols; c++) {
			size_t i = (size_t)r * t->ncols + c;
			bool last = c + 1 == t->ncols;

			put_str(&o, color_on(t->colors[i]));
			put_pad(&o, t->text + t->cells[i], t->lens[i],
				last ? 0 : t->width[c]);
			put_str(&o, color_off(t->colors[i]));
			if (last)
				put_ch(&o, '\n');
			else
				put_lit(&o, "  ");
		}
	}
	out_flush(&o);
	free(t->cells);
	free(t->lens);
	free(t->colors);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

/* --- flows -------------------------------------------------------------- */

static void anomalies_text(uint32_t bits, char *buf, size_t size)
{
	tt_anomalies_str(bits, buf, size);
}

static void endpoint_cell(const struct flow *f, unsigned int who, char *buf)
{
	struct out o;

	out_init(&o);
	put_endpoint(&o, f, who);
	out_str(&o, buf, CELL_MAX);
}

/* "pid 812 python3, uid 1000", in a cell; "-" if not a local socket. */
static void owner_cell(const struct flow *f, unsigned int who, char *buf)
{
	struct out o;

	out_init(&o);
	if (f->has_owner[who])
		put_owner(&o, f, who, CELL_MAX - 1);
	else
		put_ch(&o, '-');
	out_str(&o, buf, CELL_MAX);
}

/**
 * print_flows() - the answer of `list`
 * @flows: the flows
 * @n: how many
 *
 * Who holds each endpoint comes last, in two columns, when some flow has a
 * local socket seen sending: the columns before it stay where they were.
 */
void print_flows(struct flow *flows, unsigned int n)
{
	static const char * const head[] = {
		"Id", "Client", "Server", "Client-state", "Server-state",
		"Local", "Age", "Outcome", "Anomalies",
		"C-pkts", "C-bytes", "S-pkts", "S-bytes", "C-isn", "S-isn",
		"TW-left",
	};
	static const char * const owner_head[] = {
		"Client-owner", "Server-owner",
	};
	struct table t = { .ncols = opts.extended ? 16 : 9 };
	unsigned int i, c, own = t.ncols;
	char buf[CELL_MAX];
	struct out o;

	if (opts.json) {
		out_init(&o);
		for (i = 0; i < n; i++) {
			print_begin(&o, true);
			put_flow(&o, &flows[i], AS_FLOW);
			print_end(&o);
		}
		out_flush(&o);
		if (print_flush)
			fflush(stdout);
		return;
	}
	for (i = 0; i < n && t.ncols == own; i++)
		if (flows[i].has_owner[0] || flows[i].has_owner[1])
			t.ncols += 2;
	if (table_row(&t))
		return;
	for (c = 0; c < t.ncols; c++)
		table_put(&t, c, C_BOLD, c < own ? head[c] : owner_head[c - own]);
	for (i = 0; i < n; i++) {
		const struct flow *f = &flows[i];

		if (table_row(&t))
			break;
		for (c = own; c < t.ncols; c++) {
			owner_cell(f, c - own, buf);
			table_put(&t, c, C_NONE, buf);
		}
		table_put_u64(&t, 0, f->id);
		endpoint_cell(f, 0, buf);
		table_put(&t, 1, C_NONE, buf);
		endpoint_cell(f, 1, buf);
		table_put(&t, 2, C_NONE, buf);
		table_put(&t, 3, state_color(f->state[0]),
			  tt_state_name(f->state[0]));
		table_put(&t, 4, state_color(f->state[1]),
			  tt_state_name(f->state[1]));
		table_put(&t, 5, C_NONE, tt_local_name(f->flags));
		time_str(f->age_ms, buf, sizeof(buf));
		table_put(&t, 6, C_NONE, buf);
		table_put(&t, 7, C_NONE, tt_outcome_name(f->outcome));
		anomalies_text(f->anomalies, buf, sizeof(buf));
		table_put(&t, 8, f->anomalies ? C_RED : C_NONE, buf);
		if (!opts.extended)
			continue;
		table_put_u64(&t, 9, f->packets[0]);
		table_put_u64(&t, 10, f->bytes[0]);
		table_put_u64(&t, 11, f->packets[1]);
		table_put_u64(&t, 12, f->bytes[1]);
		for (c = 0; c < 2; c++) {
			if (f->has_isn[c])
				table_put_u64(&t, 13 + c, f->isn[c]);
			else
				table_put(&t, 13 + c, C_NONE, "-");
		}
		if (f->has_time_wait)
			time_str(f->time_wait_left_ms, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "-");
		table_put(&t, 15, C_NONE, buf);
	}
	table_print(&t, "");
}

/**
 * print_show() - the answer of `show`: the flow and its history
 * @f: the flow, with its history
 */
void print_show(const struct flow *f)
{
	static const char * const head[] = {
		"Time", "Endpoint", "From", "To", "Why", "Segment", "Sender",
	};
	char ep[2][ENDPOINT_STRLEN], age[32], sage[32], buf[CELL_MAX];
	char own[2][1024];
	struct table t = { .ncols = 7 };
	size_t stw[2], width = 12;
	unsigned int i, w;
	struct out o;

	if (opts.json) {
		out_init(&o);
		print_begin(&o, true);
		put_flow(&o, f, AS_FLOW);
		print_open(&o, "history", '[');
		for (i = 0; i < f->nhist; i++) {
			print_open(&o, NULL, '{');
			put_note(&o, f, &f->hist[i], AS_FLOW);
			print_close(&o, '}');
		}
		print_close(&o, ']');
		print_end(&o);
		out_flush(&o);
		if (print_flush)
			fflush(stdout);
		return;
	}
	endpoint_str(f, 0, ep[0], sizeof(ep[0]));
	endpoint_str(f, 1, ep[1], sizeof(ep[1]));
	printf("%sflow %llu%s  %s  %s -> %s\n", color_on(C_BOLD),
	       (unsigned long long)f->id, color_off(C_BOLD),
	       family_name(f->family), ep[0], ep[1]);
	/* "CLOSE_WAIT (pid 812 python3, uid 1000)", "sent" aligned after it */
	for (w = 0; w < 2; w++) {
		out_init(&o);
		print_owner_fp(&o, f, w, "");
		out_str(&o, own[w], sizeof(own[w]));
		stw[w] = strlen(tt_state_name(f->state[w])) + strlen(own[w]);
		/* aligned, but not on a line of many processes */
		if (stw[w] > width && stw[w] <= 48)
			width = stw[w];
	}
	for (w = 0; w < 2; w++) {
		printf("  %-7s %-*s  %s%s%s%s%*s  sent %llu segments, %llu bytes",
		       w ? "server" : "client",
		       (int)(strlen(ep[0]) > strlen(ep[1]) ? strlen(ep[0]) :
			     strlen(ep[1])), ep[w],
		       color_on(state_color(f->state[w])),
		       tt_state_name(f->state[w]),
		       color_off(state_color(f->state[w])), own[w],
		       (int)(width > stw[w] ? width - stw[w] : 0), "",
		       (unsigned long long)f->packets[w],
		       (unsigned long long)f->bytes[w]);
		if (f->has_isn[w])
			printf(", ISN %u", f->isn[w]);
		printf("\n");
	}
	time_str(f->age_ms, age, sizeof(age));
	time_str(f->state_age_ms, sage, sizeof(sage));
	anomalies_text(f->anomalies, buf, sizeof(buf));
	printf("  opener %s, closer %s, outcome %s, local %s\n",
	       tt_who_name(f->opener), tt_who_name(f->closer),
	       tt_outcome_name(f->outcome), tt_local_name(f->flags));
	printf("  age %s, last state change %s ago, anomalies %s%s%s\n", age,
	       sage, color_on(f->anomalies ? C_RED : C_NONE), buf,
	       color_off(f->anomalies ? C_RED : C_NONE));
	if (f->has_time_wait) {
		time_str(f->time_wait_left_ms, buf, sizeof(buf));
		printf("  TIME_WAIT ends in %s\n", buf);
	}
	printf("  history: %u notes, oldest first\n", f->nhist);
	if (!f->nhist || table_row(&t))
		return;
	for (i = 0; i < t.ncols; i++)
		table_put(&t, i, C_BOLD, head[i]);
	for (i = 0; i < f->nhist; i++) {
		const struct note *n = &f->hist[i];

		if (table_row(&t))
			break;
		time_str(n->time_ms, buf, sizeof(buf));
		table_set(&t, 0, C_NONE, "+%s", buf);
		table_put(&t, 1, C_NONE, tt_who_name(n->endpoint));
		table_put(&t, 2, state_color(n->from), tt_state_name(n->from));
		table_put(&t, 3, state_color(n->to),
			  n->to == n->from ? "-" : tt_state_name(n->to));
		table_put(&t, 4, n->to == n->from ? C_RED : C_NONE,
			  tt_why_name(n->why));
		seg_str(f, n, buf, sizeof(buf));
		table_put(&t, 5, C_NONE, buf);
		table_put(&t, 6, C_NONE, tt_who_name(n->sender));
	}
	table_print(&t, "    ");
}

/* --- events ------------------------------------------------------------- */

/*
 * One event as one line: text, or a JSON object.  A lost event's text is
 * a red line of its own:
 *
 *   !! events lost: the receive buffer overflowed (ENOBUFS); 3 dropped ...
 *
 * the others' "%-10s #%-4llu %s -> %s", then what their type shows.
 */
static void put_event(struct out *o, const struct event *ev)
{
	print_begin(o, opts.json);
	print_name(o, ev->type == EV_LOST ? PRINT_JSON : PRINT_ANY, C_BOLD,
		   "type", "%-10s", event_type_name(ev->type));
	if (ev->type == EV_LOST) {
		print_lit(o, PRINT_FP, color_on(C_RED));
		print_string(o, PRINT_ANY, "error",
			     "!! events lost: the receive buffer overflowed (%s)",
			     "ENOBUFS");
		if (ev->has_dropped)
			print_u64(o, PRINT_ANY, "dropped",
				  "; %llu dropped for this listener",
				  ev->dropped);
		if (ev->has_events_lost)
			print_u64(o, PRINT_ANY, "events_lost",
				  "; module events_lost +%llu",
				  ev->events_lost);
		print_lit(o, PRINT_FP, color_off(C_RED));
	} else {
		put_flow(o, &ev->flow, ev->type);
		if (ev->type == EV_TRANSITION || ev->type == EV_ANOMALY)
			put_note(o, &ev->flow, &ev->note, ev->type);
	}
	print_end(o);
}

/**
 * print_event() - one event of `monitor` or `replay`, as one line
 * @ev: the event
 */
void print_event(const struct event *ev)
{
	struct out o;

	out_init(&o);
	put_event(&o, ev);
	out_flush(&o);
	/* A loss is said at once, in text also by `replay`. */
	if (print_flush || (!opts.json && ev->type == EV_LOST))
		fflush(stdout);
}

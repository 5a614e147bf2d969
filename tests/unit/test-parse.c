// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The TCP header parser.  Every case is parsed from a heap buffer of exactly
 * the length it claims, so AddressSanitizer catches any read past it.
 */

#include <stdio.h>
#include <stdlib.h>

#include "flow.h"

/* A 20-byte header: ports 0x1234 -> 0xabcd, seq 0xdeadbeef, ack
 * 0x80000001, data offset 5, flags 0x12, window 0xfedc, checksum 0x1111,
 * urgent pointer 0x8001.  High bits set everywhere, to catch sign bugs.
 */
#define HDR(doff, flags)						\
	0x12, 0x34, 0xab, 0xcd, 0xde, 0xad, 0xbe, 0xef,			\
	0x80, 0x00, 0x00, 0x01, (doff) << 4, flags, 0xfe, 0xdc,		\
	0x11, 0x11, 0x80, 0x01

#define MAXB	64

struct pcase {
	const char *name;
	u8 bytes[MAXB];
	unsigned int len;	/* bytes handed to the parser */
	enum tt_parse_err err;
	u8 opts;		/* TT_OPT_* expected */
	u16 mss;
	u8 wscale;
	u8 nsack;
	u32 sack[TT_MAX_SACK][2];
	u32 tsval, tsecr;
};

#define P(n, l, e, ...) \
	{ .name = n, .bytes = { __VA_ARGS__ }, .len = l, .err = TT_PARSE_##e }
/* Well formed, with the options it should find. */
#define OK(n, l, b, ...) \
	{ .name = n, .bytes = { b }, .len = l, .err = TT_PARSE_OK, __VA_ARGS__ }
#define _(...)	__VA_ARGS__

/* Timestamps: kind 8, length 10, tsval 0x01020304, tsecr 0xa0b0c0d0. */
#define TS	8, 10, 1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0
#define MSS	2, 4, 0x05, 0xb4		/* 1460 */
#define WS(n)	3, 3, n
#define SACKP	4, 2
#define NOP	1
#define EOL	0
/* SACK block n: left 0xf000000n, right 0xf000010n. */
#define BLK(n)	0xf0, 0, 0, n, 0xf0, 0, 1, n

static const struct pcase cases[] = {
	/* Malformed: the fixed header. */
	P("empty", 0, TRUNCATED),
	P("19 bytes", 19, TRUNCATED, HDR(5, 0x12)),
	P("doff 0", 20, BAD_DOFF, HDR(0, 0x12)),
	P("doff 4", 20, BAD_DOFF, HDR(4, 0x12)),
	P("doff 6, 20 bytes", 20, TRUNCATED, HDR(6, 0x12)),
	P("doff 6, 23 bytes", 23, TRUNCATED, HDR(6, 0x12), NOP, NOP, NOP),
	P("doff 15, 59 bytes", 59, TRUNCATED, HDR(15, 0x12)),
	/* Malformed: the options. */
	P("option length 0", 24, BAD_OPTION, HDR(6, 0x12), 99, 0, NOP, NOP),
	P("option length 1", 24, BAD_OPTION, HDR(6, 0x12), 99, 1, NOP, NOP),
	P("option past header", 24, BAD_OPTION, HDR(6, 0x12), NOP, 99, 4, 0),
	P("mss past header", 24, BAD_OPTION, HDR(6, 0x12), NOP, NOP, 2, 4),
	P("kind as last byte", 24, BAD_OPTION, HDR(6, 0x12), NOP, NOP, NOP,
	  2),
	P("unknown kind as last byte", 24, BAD_OPTION, HDR(6, 0x12), NOP,
	  NOP, NOP, 99),
	P("mss length 3", 28, BAD_OPTION, HDR(7, 0x12), 2, 3, 5, NOP, NOP,
	  NOP, NOP, NOP),
	P("mss length 5", 28, BAD_OPTION, HDR(7, 0x12), 2, 5, 5, 0xb4, 0,
	  NOP, NOP, NOP),
	P("wscale length 2", 24, BAD_OPTION, HDR(6, 0x12), 3, 2, NOP, NOP),
	P("wscale length 4", 24, BAD_OPTION, HDR(6, 0x12), 3, 4, 7, 0),
	P("sack-perm length 3", 24, BAD_OPTION, HDR(6, 0x12), 4, 3, 0, NOP),
	P("sack length 2", 24, BAD_OPTION, HDR(6, 0x12), 5, 2, NOP, NOP),
	P("sack length 9", 32, BAD_OPTION, HDR(8, 0x12), 5, 9, BLK(1), NOP,
	  NOP),
	P("sack length 11", 32, BAD_OPTION, HDR(8, 0x12), 5, 11, BLK(1),
	  0, NOP),
	P("sack length 18, 10 left", 32, BAD_OPTION, HDR(8, 0x12), 5, 18,
	  BLK(1), NOP, NOP),
	P("timestamp length 9", 32, BAD_OPTION, HDR(8, 0x12), 8, 9, 1, 2, 3,
	  4, 5, 6, 7, NOP, NOP, NOP),
	P("timestamp length 11", 32, BAD_OPTION, HDR(8, 0x12), 8, 11, 1, 2,
	  3, 4, 5, 6, 7, 8, 9, NOP),
	P("good mss, then bad", 28, BAD_OPTION, HDR(7, 0x12), MSS, 3, 2, NOP,
	  NOP),
	/* Well formed. */
	OK("no options", 20, _(HDR(5, 0x12)), .opts = 0),
	OK("payload after header", 40, _(HDR(5, 0x12), 2, 0, 0xff),
	   .opts = 0),
	OK("syn options", 40,
	   _(HDR(10, 0x02), MSS, SACKP, TS, NOP, WS(7)),
	   .opts = TT_OPT_MSS | TT_OPT_SACK_PERM | TT_OPT_TIMESTAMP |
		   TT_OPT_WSCALE,
	   .mss = 1460, .wscale = 7, .tsval = 0x01020304,
	   .tsecr = 0xa0b0c0d0),
	OK("wscale 14", 24, _(HDR(6, 0x02), WS(14), NOP),
	   .opts = TT_OPT_WSCALE, .wscale = 14),
	OK("wscale 255", 24, _(HDR(6, 0x02), WS(255), NOP),
	   .opts = TT_OPT_WSCALE, .wscale = 255),
	OK("1 sack block", 32, _(HDR(8, 0x10), NOP, NOP, 5, 10, BLK(1)),
	   .opts = TT_OPT_SACK, .nsack = 1,
	   .sack = { { 0xf0000001, 0xf0000101 } }),
	OK("2 sack blocks", 40,
	   _(HDR(10, 0x10), NOP, NOP, 5, 18, BLK(1), BLK(2)),
	   .opts = TT_OPT_SACK, .nsack = 2,
	   .sack = { { 0xf0000001, 0xf0000101 },
		     { 0xf0000002, 0xf0000102 } }),
	OK("3 sack blocks + ts", 60,
	   _(HDR(15, 0x10), NOP, NOP, TS, NOP, NOP, 5, 26, BLK(1), BLK(2),
	     BLK(3)),
	   .opts = TT_OPT_SACK | TT_OPT_TIMESTAMP, .nsack = 3,
	   .sack = { { 0xf0000001, 0xf0000101 }, { 0xf0000002, 0xf0000102 },
		     { 0xf0000003, 0xf0000103 } },
	   .tsval = 0x01020304, .tsecr = 0xa0b0c0d0),
	OK("4 sack blocks", 60,
	   _(HDR(15, 0x10), NOP, NOP, 5, 34, BLK(1), BLK(2), BLK(3), BLK(4),
	     EOL, EOL),
	   .opts = TT_OPT_SACK, .nsack = 4,
	   .sack = { { 0xf0000001, 0xf0000101 }, { 0xf0000002, 0xf0000102 },
		     { 0xf0000003, 0xf0000103 }, { 0xf0000004, 0xf0000104 } }),
	OK("timestamps", 32, _(HDR(8, 0x10), NOP, NOP, TS),
	   .opts = TT_OPT_TIMESTAMP, .tsval = 0x01020304,
	   .tsecr = 0xa0b0c0d0),
	OK("unknown kinds skipped", 36,
	   _(HDR(9, 0x02), 30, 4, 0xff, 0xff, 34, 2, 253, 6, 1, 2, 3, 4, MSS),
	   .opts = TT_OPT_MSS, .mss = 1460),
	/* Nothing after EOL is looked at, not even a bad option. */
	OK("eol ends options", 28, _(HDR(7, 0x02), MSS, EOL, 2, 9, 9),
	   .opts = TT_OPT_MSS, .mss = 1460),
	OK("eol as last byte", 24, _(HDR(6, 0x02), NOP, NOP, NOP, EOL),
	   .opts = 0),
	OK("nop as last byte", 24, _(HDR(6, 0x02), WS(3), NOP),
	   .opts = TT_OPT_WSCALE, .wscale = 3),
	OK("option ends at header end", 24, _(HDR(6, 0x02), MSS),
	   .opts = TT_OPT_MSS, .mss = 1460),
};

static void t_parse(void **state)
{
	const struct pcase *pc = *state;
	u8 *buf = malloc(pc->len ? pc->len : 1);
	struct tt_seg s;
	enum tt_parse_err err;
	unsigned int i;

	assert_non_null(buf);
	memcpy(buf, pc->bytes, pc->len);
	/* Exactly pc->len bytes: ASan reports any read past them. */
	memset(&s, 0x5a, sizeof(s));
	err = tt_parse_tcp(pc->len ? buf : buf + 1, pc->len, &s);
	free(buf);
	if (err != pc->err)
		fail_msg("%s: %s, expected %s", pc->name,
			 tt_parse_err_name(err), tt_parse_err_name(pc->err));
	/* Always: the caller's fields start as 0 and 1. */
	assert_int_equal(s.len, 0);
	assert_int_equal(s.segs, 1);
	if (err == TT_PARSE_TRUNCATED && pc->len < TT_TCP_HDR_MIN) {
		assert_int_equal(s.flags, 0);
		assert_int_equal(s.opts, 0);
		return;
	}
	/* The fixed header is read whenever there are 20 bytes. */
	assert_int_equal(s.sport, 0x1234);
	assert_int_equal(s.dport, 0xabcd);
	assert_int_equal(s.seq, 0xdeadbeef);
	assert_int_equal(s.ack, 0x80000001);
	assert_int_equal(s.window, 0xfedc);
	assert_int_equal(s.urg_ptr, 0x8001);
	assert_int_equal(s.doff, (pc->bytes[12] >> 4) * 4);
	assert_int_equal(s.flags, pc->bytes[13]);
	if (err != TT_PARSE_OK) {
		/* Bad options are all ignored, as Linux does. */
		assert_int_equal(s.opts, 0);
		assert_int_equal(s.nsack, 0);
		return;
	}
	assert_int_equal(s.opts, pc->opts);
	if (pc->opts & TT_OPT_MSS)
		assert_int_equal(s.mss, pc->mss);
	if (pc->opts & TT_OPT_WSCALE)
		assert_int_equal(s.wscale, pc->wscale);
	assert_int_equal(s.nsack, pc->nsack);
	for (i = 0; i < pc->nsack; i++) {
		assert_int_equal(s.sack[i].start, pc->sack[i][0]);
		assert_int_equal(s.sack[i].end, pc->sack[i][1]);
	}
	if (pc->opts & TT_OPT_TIMESTAMP) {
		assert_int_equal(s.tsval, pc->tsval);
		assert_int_equal(s.tsecr, pc->tsecr);
	}
}

/* Every flag bit, alone and all together. */
static void t_flags(void **state)
{
	unsigned int bit;

	(void)state;
	for (bit = 0; bit <= 8; bit++) {
		u8 f = bit == 8 ? 0xff : 1U << bit;
		u8 *buf = malloc(20);
		const u8 h[20] = { HDR(5, f) };
		struct tt_seg s;

		assert_non_null(buf);
		memcpy(buf, h, 20);
		assert_int_equal(tt_parse_tcp(buf, 20, &s), TT_PARSE_OK);
		assert_int_equal(s.flags, f);
		free(buf);
	}
	/* The names of the bits are the uapi's. */
	assert_int_equal(TT_TCP_FIN | TT_TCP_SYN | TT_TCP_RST | TT_TCP_PSH |
			 TT_TCP_ACK | TT_TCP_URG | TT_TCP_ECE | TT_TCP_CWR,
			 0xff);
}

/*
 * Every header shorter than its data offset, every data offset, every
 * length: nothing is read past the buffer (ASan), and the verdict agrees
 * with the lengths.
 */
static void t_all_lengths(void **state)
{
	unsigned int doff, len;
	u8 full[TT_TCP_HDR_MAX];

	(void)state;
	for (doff = 0; doff < 16; doff++)
		for (len = 0; len <= TT_TCP_HDR_MAX; len++) {
			u8 *buf = malloc(len ? len : 1);
			const u8 h[20] = { HDR(doff, 0x02) };
			enum tt_parse_err err, want;
			struct tt_seg s;

			assert_non_null(buf);
			memset(full, 1, sizeof(full));	/* NOPs */
			memcpy(full, h, 20);
			memcpy(buf, full, len);
			err = tt_parse_tcp(buf, len, &s);
			free(buf);
			if (len < 20)
				want = TT_PARSE_TRUNCATED;
			else if (doff < 5)
				want = TT_PARSE_BAD_DOFF;
			else if (doff * 4 > len)
				want = TT_PARSE_TRUNCATED;
			else
				want = TT_PARSE_OK;
			if (err != want)
				fail_msg("doff %u len %u: %s, expected %s", doff,
					 len, tt_parse_err_name(err),
					 tt_parse_err_name(want));
		}
}

static void t_err_names(void **state)
{
	(void)state;
	assert_string_equal(tt_parse_err_name(TT_PARSE_OK), "ok");
	assert_string_equal(tt_parse_err_name(TT_PARSE_TRUNCATED),
			    "truncated");
	assert_string_equal(tt_parse_err_name(TT_PARSE_BAD_DOFF),
			    "bad-data-offset");
	assert_string_equal(tt_parse_err_name(TT_PARSE_BAD_OPTION),
			    "bad-option");
	assert_string_equal(tt_parse_err_name(TT_PARSE_BAD_OPTION + 1), "?");
	assert_string_equal(tt_parse_err_name((enum tt_parse_err)-1), "?");
}

static const struct {
	u8 flags;
	const char *str;
} fstr[] = {
	{ 0, "NONE" },
	{ TT_TCP_SYN, "SYN" },
	{ TT_TCP_SYN | TT_TCP_ACK, "SYN,ACK" },
	{ TT_TCP_FIN | TT_TCP_ACK, "FIN,ACK" },
	{ TT_TCP_RST | TT_TCP_ACK, "RST,ACK" },
	{ TT_TCP_FIN | TT_TCP_PSH | TT_TCP_URG, "FIN,PSH,URG" },
	{ TT_TCP_SYN | TT_TCP_ECE | TT_TCP_CWR, "SYN,ECE,CWR" },
	{ 0xff, "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR" },
};

static void t_flags_str(void **state)
{
	char buf[32];
	unsigned int i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fstr); i++) {
		n = tt_tcp_flags_str(fstr[i].flags, buf, sizeof(buf));
		assert_string_equal(buf, fstr[i].str);
		assert_int_equal(n, strlen(fstr[i].str));
	}
}

/*
 * Too small a buffer: the flags whose whole names fit, never a name cut in
 * the middle ("SYN,AC" would read as another flag): the longest prefix of
 * the full string that ends where a name ends.
 */
static void t_flags_str_truncated(void **state)
{
	unsigned int i, size;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fstr); i++)
		for (size = 0; size <= 33; size++) {
			char *buf = malloc(size ? size : 1);
			size_t full = strlen(fstr[i].str), want;
			unsigned int n;

			assert_non_null(buf);
			buf[0] = 'x';
			n = tt_tcp_flags_str(fstr[i].flags, size ? buf : NULL,
					     size);
			if (!size) {
				assert_int_equal(n, 0);
				free(buf);
				continue;
			}
			want = full < size ? full : size - 1;
			while (want && want < full && fstr[i].str[want] != ',')
				want--;
			assert_int_equal(n, want);
			assert_int_equal(strlen(buf), n);
			assert_memory_equal(buf, fstr[i].str, n);
			free(buf);
		}
}

int main(void)
{
	struct tests ts = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tests_add(&ts, fmt("parse: %s", cases[i].name), t_parse,
			  (void *)&cases[i]);
	TEST(&ts, t_flags);
	TEST(&ts, t_all_lengths);
	TEST(&ts, t_err_names);
	TEST(&ts, t_flags_str);
	TEST(&ts, t_flags_str_truncated);
	return run_suite("parse", &ts);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The TCP header parser shared by the module and the tools.  It reads only
 * the bytes it is given: the module copies the header out of the skb with
 * skb_header_pointer() first, a pcap reader passes the captured bytes.
 */

#include "parse.h"

/* Option kinds, RFC 9293 section 3.2 and the RFCs that define them. */
enum {
	OPT_EOL = 0,
	OPT_NOP = 1,
	OPT_MSS = 2,		/* RFC 9293 */
	OPT_WSCALE = 3,		/* RFC 7323 */
	OPT_SACK_PERM = 4,	/* RFC 2018 */
	OPT_SACK = 5,		/* RFC 2018 */
	OPT_TIMESTAMP = 8,	/* RFC 7323 */
};

static u16 get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Parse the options in buf[20..end); false if one is malformed. */
static bool parse_options(const u8 *buf, unsigned int end, struct tt_seg *seg)
{
	unsigned int i = TT_TCP_HDR_MIN;

	while (i < end) {
		unsigned int kind = buf[i], olen, n;

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		/* Every other option has a length byte that counts itself. */
		if (i + 1 >= end)
			return false;
		olen = buf[i + 1];
		if (olen < 2 || olen > end - i)
			return false;

		switch (kind) {
		case OPT_MSS:
			if (olen != 4)
				return false;
			seg->mss = get_be16(buf + i + 2);
			seg->opts |= TT_OPT_MSS;
			break;
		case OPT_WSCALE:
			if (olen != 3)
				return false;
			seg->wscale = buf[i + 2];
			seg->opts |= TT_OPT_WSCALE;
			break;
		case OPT_SACK_PERM:
			if (olen != 2)
				return false;
			seg->opts |= TT_OPT_SACK_PERM;
			break;
		case OPT_SACK:
			if (olen < 10 || (olen - 2) % 8)
				return false;
			for (n = 0; n < (olen - 2) / 8 && n < TT_MAX_SACK; n++) {
				seg->sack[n].start = get_be32(buf + i + 2 + 8 * n);
				seg->sack[n].end = get_be32(buf + i + 6 + 8 * n);
			}
			seg->nsack = n;
			seg->opts |= TT_OPT_SACK;
			break;
		case OPT_TIMESTAMP:
			if (olen != 10)
				return false;
			seg->tsval = get_be32(buf + i + 2);
			seg->tsecr = get_be32(buf + i + 6);
			seg->opts |= TT_OPT_TIMESTAMP;
			break;
		default:
			/* Unknown kinds are skipped by their length. */
			break;
		}
		i += olen;
	}
	return true;
}

/**
 * tt_parse_tcp() - parse a TCP header
 * @buf: the header's bytes, starting at the source port
 * @len: how many bytes @buf holds; bytes past the header are not read
 * @seg: filled in; @seg->len and @seg->segs are set to 0 and 1 for the
 *	caller to correct from the IP header
 *
 * Return: TT_PARSE_OK, or why the header is malformed.  Never reads past
 * @buf + @len.
 */
enum tt_parse_err tt_parse_tcp(const u8 *buf, unsigned int len,
			       struct tt_seg *seg)
{
	unsigned int doff;

	memset(seg, 0, sizeof(*seg));
	seg->segs = 1;
	if (len < TT_TCP_HDR_MIN)
		return TT_PARSE_TRUNCATED;

	seg->sport = get_be16(buf);
	seg->dport = get_be16(buf + 2);
	seg->seq = get_be32(buf + 4);
	seg->ack = get_be32(buf + 8);
	doff = (buf[12] >> 4) * 4;
	seg->flags = buf[13];
	seg->window = get_be16(buf + 14);
	seg->urg_ptr = get_be16(buf + 18);
	seg->doff = doff;

	if (doff < TT_TCP_HDR_MIN)
		return TT_PARSE_BAD_DOFF;
	if (doff > len)
		return TT_PARSE_TRUNCATED;
	if (!parse_options(buf, doff, seg)) {
		seg->opts = 0;
		seg->nsack = 0;
		return TT_PARSE_BAD_OPTION;
	}
	return TT_PARSE_OK;
}

/**
 * tt_parse_err_name() - a short name for a parse result
 * @err: the result of tt_parse_tcp()
 *
 * Return: a static string.
 */
const char *tt_parse_err_name(enum tt_parse_err err)
{
	static const char * const names[] = {
		[TT_PARSE_OK] = "ok",
		[TT_PARSE_TRUNCATED] = "truncated",
		[TT_PARSE_BAD_DOFF] = "bad-data-offset",
		[TT_PARSE_BAD_OPTION] = "bad-option",
	};

	if ((unsigned int)err < ARRAY_SIZE(names))
		return names[err];
	return "?";
}

/**
 * tt_tcp_flags_str() - write TCP flags the way people say them: "SYN,ACK"
 * @flags: TT_TCP_* bits
 * @buf: where to write, always NUL-terminated when @size > 0
 * @size: bytes at @buf; 32 always suffice
 *
 * A segment without flags is written "NONE". A buffer too small gets the
 * flags whose whole names fit, never part of a name.
 *
 * Return: the length written, without the NUL.
 */
unsigned int tt_tcp_flags_str(u8 flags, char *buf, unsigned int size)
{
	static const struct {
		u8 bit;
		char name[4];
	} order[] = {
		{ TT_TCP_SYN, "SYN" }, { TT_TCP_FIN, "FIN" },
		{ TT_TCP_RST, "RST" }, { TT_TCP_PSH, "PSH" },
		{ TT_TCP_ACK, "ACK" }, { TT_TCP_URG, "URG" },
		{ TT_TCP_ECE, "ECE" }, { TT_TCP_CWR, "CWR" },
	};
	unsigned int i, n = 0;

	if (!size)
		return 0;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(flags & order[i].bit))
			continue;
		if (n + !!n + 3 >= size)
			break;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, order[i].name, 3);
		n += 3;
	}
	if (!flags && size > 4) {
		memcpy(buf, "NONE", 4);
		n = 4;
	}
	buf[n] = '\0';
	return n;
}

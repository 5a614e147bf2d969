/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Step 2 of the pipeline: a TCP header, from bytes to struct tt_seg.
 */

#ifndef _TT_PARSE_H
#define _TT_PARSE_H

#include "shared.h"

#define TT_TCP_HDR_MIN		20	/* data offset 5 */
#define TT_TCP_HDR_MAX		60	/* data offset 15 */
#define TT_MAX_SACK		4	/* blocks that fit in 40 option bytes */

/* Which options a segment carried, bits of tt_seg.opts. */
#define TT_OPT_MSS		BIT(0)
#define TT_OPT_WSCALE		BIT(1)
#define TT_OPT_SACK_PERM	BIT(2)
#define TT_OPT_SACK		BIT(3)
#define TT_OPT_TIMESTAMP	BIT(4)

/**
 * enum tt_parse_err - why a header was malformed
 * @TT_PARSE_OK: well formed
 * @TT_PARSE_TRUNCATED: fewer than 20 bytes, or fewer than the data offset says
 * @TT_PARSE_BAD_DOFF: a data offset below 5
 * @TT_PARSE_BAD_OPTION: an option runs past the header or has a length its
 *	kind does not allow.  The fixed header was parsed and is valid; the
 *	options are not (tt_seg.opts is 0), as Linux ignores such options.
 */
enum tt_parse_err {
	TT_PARSE_OK,
	TT_PARSE_TRUNCATED,
	TT_PARSE_BAD_DOFF,
	TT_PARSE_BAD_OPTION,
};

/**
 * struct tt_seg - one TCP segment as the tracker sees it
 * @sport: source port, host order
 * @dport: destination port, host order
 * @seq: sequence number
 * @ack: acknowledgment number (meaningful when TT_TCP_ACK is set)
 * @len: payload bytes; the caller sets it from the IP length
 * @segs: segments on the wire (more than 1 for GSO/GRO); set by the caller
 * @window: window as sent, not scaled
 * @urg_ptr: urgent pointer
 * @doff: header length in bytes
 * @flags: TT_TCP_* flags
 * @opts: TT_OPT_* bits of the options present
 * @wscale: window scale shift (TT_OPT_WSCALE)
 * @mss: maximum segment size (TT_OPT_MSS)
 * @nsack: SACK blocks in @sack (TT_OPT_SACK)
 * @csum_bad: the caller verified the segment's checksum and found it wrong:
 *	the receiver's TCP drops it.  tt_parse_tcp() leaves it 0; a caller
 *	that does not verify checksums leaves it 0 too.
 * @tsval: timestamp value (TT_OPT_TIMESTAMP)
 * @tsecr: timestamp echo reply (TT_OPT_TIMESTAMP)
 * @sack: SACK blocks, left and right edges
 */
struct tt_seg {
	u16 sport;
	u16 dport;
	u32 seq;
	u32 ack;
	u32 len;
	u16 segs;
	u16 window;
	u16 urg_ptr;
	u8 doff;
	u8 flags;
	u8 opts;
	u8 wscale;
	u16 mss;
	u8 nsack;
	u8 csum_bad;
	u32 tsval;
	u32 tsecr;
	struct {
		u32 start;
		u32 end;
	} sack[TT_MAX_SACK];
};

/*
 * May the tracker use a segment parsed with @err?  Linux ignores malformed
 * options and takes the segment; so does the tracker (it counts it as
 * malformed all the same).
 */
static inline bool tt_parse_usable(enum tt_parse_err err)
{
	return err == TT_PARSE_OK || err == TT_PARSE_BAD_OPTION;
}

enum tt_parse_err tt_parse_tcp(const u8 *buf, unsigned int len,
			       struct tt_seg *seg);
const char *tt_parse_err_name(enum tt_parse_err err);
unsigned int tt_tcp_flags_str(u8 flags, char *buf, unsigned int size);

#endif /* _TT_PARSE_H */

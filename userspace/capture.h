/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Reading captures (pcap, pcapng): each frame's TCP segment, IPv4 or IPv6,
 * for `replay` and `ladder`.  Link types: Ethernet, Linux cooked capture
 * (SLL, SLL2: these also say whether the packet came in on the interface or
 * went out of it), raw IP, BSD loopback.  Below the link, the encapsulations
 * Wireshark and Zeek decode most often: VLAN tags (802.1Q, 802.1ad, 0x9100),
 * PBB (802.1ah), VN-Tag, MPLS label stacks (with a pseudowire's control word
 * and Ethernet), PPPoE sessions, GRE (keyed, sequenced, checksummed; IPv4,
 * IPv6, Ethernet (TEB), MPLS, PPP; PPTP's enhanced GRE; ERSPAN I and II),
 * VXLAN (UDP 4789), Geneve (UDP 6081), Teredo (UDP 3544), and IP in IP
 * (IPv4 and IPv6, either way round).  Each
 * frame that yields no TCP segment is counted by the reason
 * (capture_report()).  A segment's checksum is verified on request
 * (capture_csum()), and the wrong ones counted.
 */

#ifndef TCPTRACECTL_CAPTURE_H
#define TCPTRACECTL_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <pcap/pcap.h>

/* Which way a frame crossed the interface it was captured on. */
enum capture_dir {
	CAPTURE_DIR_UNKNOWN,	/* the link type does not say */
	CAPTURE_DIR_IN,		/* received on it */
	CAPTURE_DIR_OUT,	/* sent out of it */
};

/* Why a frame yields no TCP segment; some reasons carry a number. */
enum capture_skip {
	CAPTURE_SKIP_TRUNCATED,		/* a header is cut short */
	CAPTURE_SKIP_MALFORMED,		/* a header contradicts itself */
	CAPTURE_SKIP_FRAGMENT,		/* a non-first fragment */
	CAPTURE_SKIP_DEPTH,		/* more than CAPTURE_MAX_DEPTH headers */
	CAPTURE_SKIP_ETHERTYPE,		/* unknown ethertype (the number) */
	CAPTURE_SKIP_PPP,		/* unknown PPP protocol (the number) */
	CAPTURE_SKIP_GRE,		/* GRE version (the number) */
	CAPTURE_SKIP_GRE_ROUTING,	/* GRE with source routes (RFC 1701) */
	CAPTURE_SKIP_MPLS,		/* MPLS payload neither IP nor a PW */
	CAPTURE_SKIP_FAMILY,		/* BSD loopback family (the number) */
	CAPTURE_SKIP_PROTO,		/* IP protocol, not TCP (the number) */
	CAPTURE_SKIP_TCP,		/* TCP header unusable (replay's count) */
	CAPTURE_SKIP_TCP_USED,		/* TCP header malformed, still used */
};

/* What capture_csum() found of a segment's checksum. */
enum capture_csum {
	CAPTURE_CSUM_RIGHT,
	CAPTURE_CSUM_WRONG,	/* its receiver's TCP drops it */
	CAPTURE_CSUM_UNFILLED,	/* the pseudo-header's sum: left to offload */
	CAPTURE_CSUM_UNKNOWN,	/* not all captured, or source-routed */
};

/* At least this share of wrong checksums, in percent, earns a hint. */
#define CAPTURE_CSUM_HINT_PCT	20

/* Headers a frame may have: each Ethernet, tag, label, tunnel, IP header. */
#define CAPTURE_MAX_DEPTH	16

/* Distinct reasons (with their numbers) counted one by one. */
#define CAPTURE_SKIP_KINDS	32

/**
 * struct capture - a capture being read
 * @pc: libpcap's handle
 * @dlt: its link type
 * @file: its name, for messages
 * @cmd: the subcommand reading it, for messages
 * @packets: frames read
 * @skipped: frames that yielded no TCP segment
 * @nskips: entries of @skips in use
 * @skips: the counts by reason and number, in order of first appearance
 * @skips_other: frames of reasons past the first CAPTURE_SKIP_KINDS
 * @csum: segments capture_csum() was asked about, by enum capture_csum
 */
struct capture {
	pcap_t *pc;
	int dlt;
	const char *file;
	const char *cmd;
	unsigned long long packets;
	unsigned long long skipped;
	unsigned int nskips;
	struct {
		enum capture_skip why;
		unsigned int num;
		unsigned long long n;
	} skips[CAPTURE_SKIP_KINDS];
	unsigned long long skips_other;
	unsigned long long csum[CAPTURE_CSUM_UNKNOWN + 1];
};

/**
 * struct capture_frame - one frame, and its TCP segment if it has one
 * @ns: capture time, ns since the epoch
 * @dir: enum capture_dir
 * @tcp: the frame holds a TCP segment (first fragment), described below
 * @family: AF_INET or AF_INET6
 * @saddr: source address, network order, 4 or 16 bytes
 * @daddr: destination address
 * @th: the TCP header
 * @caplen: bytes of TCP header and payload captured
 * @tcplen: bytes of TCP header and payload sent, as the IP header says
 * @srcroute: a source route (an IPv4 option, an IPv6 routing header with
 *	segments left) makes @daddr a hop on the way, not the destination
 *	whose address the checksum covers
 */
struct capture_frame {
	uint64_t ns;
	enum capture_dir dir;
	bool tcp;
	uint8_t family;
	const uint8_t *saddr;
	const uint8_t *daddr;
	const uint8_t *th;
	unsigned int caplen;
	unsigned int tcplen;
	bool srcroute;
};

int capture_open(struct capture *c, const char *file, const char *cmd);
int capture_next(struct capture *c, struct capture_frame *f);
void capture_skip(struct capture *c, enum capture_skip why, unsigned int num);
enum capture_csum capture_csum(struct capture *c,
			       const struct capture_frame *f);
void capture_report(const struct capture *c);
void capture_close(struct capture *c);

#endif /* TCPTRACECTL_CAPTURE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Reading captures (pcap, pcapng): each frame's TCP segment, IPv4 or IPv6,
 * for `replay` and `ladder`.  Link types: Ethernet (up to two VLAN tags),
 * Linux cooked capture (SLL, SLL2: these also say whether the packet came
 * in on the interface or went out of it), raw IP, BSD loopback.
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

/**
 * struct capture - a capture being read
 * @pc: libpcap's handle
 * @dlt: its link type
 * @file: its name, for messages
 * @cmd: the subcommand reading it, for messages
 * @packets: frames read
 * @malformed: frames whose link or IP header could not be read
 * @fragments: non-first fragments skipped
 */
struct capture {
	pcap_t *pc;
	int dlt;
	const char *file;
	const char *cmd;
	unsigned long long packets;
	unsigned long long malformed;
	unsigned long long fragments;
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
};

int capture_open(struct capture *c, const char *file, const char *cmd);
int capture_next(struct capture *c, struct capture_frame *f);
void capture_close(struct capture *c);

#endif /* TCPTRACECTL_CAPTURE_H */

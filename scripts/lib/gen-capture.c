// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * gen-capture: the capture of `make bench-replay` (scripts/bench-replay),
 * the workload of issue 13.  FLOWS short IPv4 connections over Ethernet,
 * CONCURRENT of them open at once, each 15 segments:
 *
 *	handshake	SYN, SYN-ACK, ACK
 *	data		4 segments of PAYLOAD bytes, client and server in
 *			turn, each ACKed by the other side
 *	close		the client's FIN, its ACK, the server's FIN, its ACK
 *
 * so 200,000 flows make 3,000,000 segments.  The flows run in CONCURRENT
 * slots visited round robin, one segment per visit: a slot starts its next
 * flow as soon as the previous one closed.  The slots start staggered over
 * one flow's length so that opens and closes spread evenly.  Every flow has
 * its own 4-tuple (no reuse: each is one incarnation) and its own ISNs;
 * the output depends on the arguments alone (fixed start time, no random).
 * Packets are INTERVAL_US apart; the default, 200 us, makes a 600 s capture:
 * long against TIME_WAIT (60 s) and the linger (10 s), so that the flows
 * that ended leave the replay's table while it runs.
 *
 * The pcap file format is written directly (microsecond timestamps,
 * LINKTYPE_ETHERNET): no libpcap needed, and ~3 M packets/s.
 *
 *   gen-capture [-f FLOWS] [-c CONCURRENT] [-i INTERVAL_US] [-p PAYLOAD] OUT
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEGS_PER_FLOW	15
#define START_SEC	1700000000u	/* 2023-11-14: any fixed time will do */
#define MSS		1460

struct slot {
	uint32_t flow;		/* the flow it runs, FLOWS when done */
	uint32_t seg;		/* its next segment, 0..SEGS_PER_FLOW-1 */
	uint32_t wait;		/* visits to skip before the first flow */
};

static unsigned long long flows = 200000, conc = 20000, interval_us = 200;
static unsigned int payload = 64;
static uint64_t now_us;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* The Internet checksum's sum of @len bytes (RFC 1071), not folded. */
static uint32_t sum16(const uint8_t *p, unsigned int len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* A flow's ISNs: a mix of its number, fixed per flow and far apart. */
static uint32_t isn(uint32_t flow, unsigned int who)
{
	uint32_t x = flow * 2654435761u + who * 0x9e3779b9u + 12345;

	x ^= x >> 15;
	x *= 0x2c1b3c6d;
	x ^= x >> 12;
	return x;
}

#define F_FIN	0x01
#define F_SYN	0x02
#define F_PSH	0x08
#define F_ACK	0x10

/*
 * Segment @seg of flow @flow, into @out: Ethernet, IPv4, TCP.  Client
 * 10.A.B.C:PORT (unique per flow: 250 ports on each of 200 addresses per
 * 10.0.N.0/24), server 192.0.2.(1..8):80.
 */
static void write_segment(FILE *out, uint32_t flow, unsigned int seg)
{
	/* who sends (0 client), its flags, and the data each side sent before */
	static const struct {
		uint8_t who, flags, cdata, sdata;
	} plan[SEGS_PER_FLOW] = {
		{ 0, F_SYN, 0, 0 },
		{ 1, F_SYN | F_ACK, 0, 0 },
		{ 0, F_ACK, 0, 0 },
		{ 0, F_PSH | F_ACK, 0, 0 },	/* client data 1 */
		{ 1, F_ACK, 1, 0 },
		{ 1, F_PSH | F_ACK, 1, 0 },	/* server data 1 */
		{ 0, F_ACK, 1, 1 },
		{ 0, F_PSH | F_ACK, 1, 1 },	/* client data 2 */
		{ 1, F_ACK, 2, 1 },
		{ 1, F_PSH | F_ACK, 2, 1 },	/* server data 2 */
		{ 0, F_ACK, 2, 2 },
		{ 0, F_FIN | F_ACK, 2, 2 },	/* the client closes first */
		{ 1, F_ACK, 3, 2 },		/* ACK of its FIN */
		{ 1, F_FIN | F_ACK, 3, 2 },
		{ 0, F_ACK, 3, 3 },		/* ACK of the server's FIN */
	};
	uint8_t pkt[16 + 14 + 20 + 24 + 1500] = {}, *eth = pkt + 16;
	uint8_t *ip = eth + 14, *th = ip + 20, *p, pseudo[12];
	unsigned int who = plan[seg].who, flags = plan[seg].flags;
	unsigned int cdata = plan[seg].cdata, sdata = plan[seg].sdata;
	/* client data segments are 3 and 7, server's 5 and 9 */
	unsigned int len = (seg == 3 || seg == 5 || seg == 7 || seg == 9) ?
			   payload : 0;
	unsigned int optlen = flags & F_SYN ? 4 : 0, tcplen, frame;
	uint32_t cli = 0x0a000000u + 1 + flow / 50000 * 256 + flow % 50000 / 250;
	uint16_t cport = 1024 + flow % 250 * 200 + flow / 250 % 200;
	uint32_t srv = 0xc0000201u + flow % 8;
	uint32_t seq, ack, sum;

	/* seq: ISN + 1 (SYN) + data sent + 1 after the own FIN (cdata/sdata
	 * count the data segments sent before; a FIN counts as a third).
	 */
	if (who == 0) {
		seq = isn(flow, 0) + (seg ? 1 : 0) + (cdata > 2 ? 2 : cdata) *
		      payload + (cdata > 2);
		ack = isn(flow, 1) + 1 + (sdata > 2 ? 2 : sdata) * payload +
		      (sdata > 2);
	} else {
		seq = isn(flow, 1) + (seg > 1 ? 1 : 0) +
		      (sdata > 2 ? 2 : sdata) * payload + (sdata > 2);
		ack = isn(flow, 0) + 1 + (cdata > 2 ? 2 : cdata) * payload +
		      (cdata > 2);
	}
	if (seg == 1 || seg == 0)
		ack = seg ? isn(flow, 0) + 1 : 0;

	tcplen = 20 + optlen + len;
	frame = 14 + 20 + tcplen;

	/* pcap record header: seconds, microseconds, caplen, len */
	put32le(pkt, START_SEC + now_us / 1000000);
	put32le(pkt + 4, now_us % 1000000);
	put32le(pkt + 8, frame);
	put32le(pkt + 12, frame);

	/* Ethernet: locally administered MACs, client 02:..:01 */
	memcpy(eth, who ? "\x02\0\0\0\0\x01" : "\x02\0\0\0\0\x02", 6);
	memcpy(eth + 6, who ? "\x02\0\0\0\0\x02" : "\x02\0\0\0\0\x01", 6);
	put16(eth + 12, 0x0800);

	ip[0] = 0x45;
	put16(ip + 2, 20 + tcplen);
	put16(ip + 4, (uint16_t)(flow * SEGS_PER_FLOW + seg));
	put16(ip + 6, 0x4000);	/* DF */
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, who ? srv : cli);
	put32(ip + 16, who ? cli : srv);
	put16(ip + 10, fold(sum16(ip, 20, 0)));

	put16(th, who ? 80 : cport);
	put16(th + 2, who ? cport : 80);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = (uint8_t)((20 + optlen) / 4) << 4;
	th[13] = flags;
	put16(th + 14, 64240);
	if (optlen) {		/* MSS */
		th[20] = 2;
		th[21] = 4;
		put16(th + 22, MSS);
	}
	for (p = th + 20 + optlen; p < th + tcplen; p++)
		*p = 'a' + (p - th) % 26;
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, tcplen);
	sum = sum16(pseudo, 12, 0);
	put16(th + 16, fold(sum16(th, tcplen, sum)));

	fwrite(pkt, 16 + frame, 1, out);
	now_us += interval_us;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen-capture [-f FLOWS] [-c CONCURRENT] [-i INTERVAL_US] [-p PAYLOAD] OUT.pcap\n");
	return 2;
}

static int num(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*s || *end || errno || !*v || *v > max;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long pl = payload;
	uint32_t next_flow, done = 0, i;
	struct slot *slots;
	uint8_t hdr[24];
	FILE *out;
	int c;

	while ((c = getopt(argc, argv, "f:c:i:p:")) != -1) {
		switch (c) {
		case 'f':
			if (num(optarg, 10000000, &flows))
				return usage();
			break;
		case 'c':
			if (num(optarg, 1000000, &conc))
				return usage();
			break;
		case 'i':
			if (num(optarg, 1000000, &interval_us))
				return usage();
			break;
		case 'p':
			if (num(optarg, 1400, &pl))
				return usage();
			payload = pl;
			break;
		default:
			return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	if (conc > flows)
		conc = flows;
	out = fopen(argv[optind], "wb");
	if (!out) {
		perror(argv[optind]);
		return 1;
	}
	setvbuf(out, buf, _IOFBF, sizeof(buf));

	/* The file header: magic, version 2.4, zone, sigfigs, snaplen, DLT */
	put32le(hdr, 0xa1b2c3d4);
	hdr[4] = 2, hdr[5] = 0, hdr[6] = 4, hdr[7] = 0;
	put32le(hdr + 8, 0);
	put32le(hdr + 12, 0);
	put32le(hdr + 16, 65535);
	put32le(hdr + 20, 1);
	fwrite(hdr, sizeof(hdr), 1, out);

	slots = calloc(conc, sizeof(*slots));
	if (!slots) {
		perror("gen-capture");
		return 1;
	}
	for (i = 0; i < conc; i++) {
		slots[i].flow = i;
		slots[i].wait = (uint64_t)i * SEGS_PER_FLOW / conc;
	}
	next_flow = conc;
	while (done < conc) {
		for (i = 0; i < conc; i++) {
			struct slot *s = &slots[i];

			if (s->flow >= flows)
				continue;
			if (s->wait) {
				s->wait--;
				continue;
			}
			write_segment(out, s->flow, s->seg);
			if (++s->seg < SEGS_PER_FLOW)
				continue;
			s->seg = 0;
			s->flow = next_flow < flows ? next_flow++ : flows;
			if (s->flow >= flows)
				done++;
		}
	}
	free(slots);
	if (fclose(out)) {
		perror(argv[optind]);
		return 1;
	}
	return 0;
}

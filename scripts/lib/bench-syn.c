// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * bench-syn: fill the flow table cheaply, one SYN per flow, sent by a raw
 * socket (IP_HDRINCL, so it crosses LOCAL_OUT like any locally sent
 * segment) towards a route of a dummy device, which drops it.  Each SYN has
 * its own 4-tuple: source ports 1024-65023, then the next destination
 * address.  Built by scripts/bench; run in the lab VM by
 * scripts/lib/bench-guest (--scale).
 *
 *	bench-syn COUNT SRC DST [FIRST]
 *
 * SRC is the source address, DST the first destination address (the next
 * ones follow it); FIRST (default 0) is the index of the first SYN, so that
 * two runs with FIRST = 0 and FIRST = the first COUNT make distinct flows.
 * Prints "COUNT syns in NS ns" (CLOCK_MONOTONIC).
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define PORTS	64000U		/* source ports per destination address */
#define BATCH	256U		/* SYNs per sendmmsg() */

struct syn {
	struct iphdr ip;
	struct tcphdr tcp;
};

/* The TCP checksum of @s, over the IPv4 pseudo-header. */
static unsigned short tcp_csum(const struct syn *s)
{
	const unsigned short *p = (const unsigned short *)&s->tcp;
	unsigned int sum = 0, i;

	sum += (s->ip.saddr & 0xffff) + (s->ip.saddr >> 16);
	sum += (s->ip.daddr & 0xffff) + (s->ip.daddr >> 16);
	sum += htons(IPPROTO_TCP) + htons(sizeof(s->tcp));
	for (i = 0; i < sizeof(s->tcp) / 2; i++)
		sum += p[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

int main(int argc, char **argv)
{
	static struct syn pkt[BATCH];
	static struct sockaddr_in to[BATCH];
	static struct iovec iov[BATCH];
	static struct mmsghdr msg[BATCH];
	unsigned long n, first, i, done;
	struct in_addr src, dst;
	unsigned long long t0, t1;
	unsigned int b, k;
	int fd;

	if (argc < 4 || !inet_aton(argv[2], &src) || !inet_aton(argv[3], &dst))
		return 2;
	n = strtoul(argv[1], NULL, 0);
	first = argc > 4 ? strtoul(argv[4], NULL, 0) : 0;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die("socket");

	t0 = now_ns();
	for (done = 0; done < n; done += b) {
		b = n - done < BATCH ? n - done : BATCH;
		for (k = 0; k < b; k++) {
			struct syn *s = &pkt[k];

			i = first + done + k;
			memset(s, 0, sizeof(*s));
			s->ip.version = 4;
			s->ip.ihl = 5;
			s->ip.ttl = 64;
			s->ip.protocol = IPPROTO_TCP;
			s->ip.tot_len = htons(sizeof(*s));
			s->ip.saddr = src.s_addr;
			s->ip.daddr = htonl(ntohl(dst.s_addr) + i / PORTS);
			s->tcp.source = htons(1024 + i % PORTS);
			s->tcp.dest = htons(80);
			s->tcp.seq = htonl(i * 2654435761UL);
			s->tcp.doff = 5;
			s->tcp.syn = 1;
			s->tcp.window = htons(65535);
			s->tcp.check = tcp_csum(s);
			to[k].sin_family = AF_INET;
			to[k].sin_addr.s_addr = s->ip.daddr;
			iov[k].iov_base = s;
			iov[k].iov_len = sizeof(*s);
			msg[k].msg_hdr = (struct msghdr){
				.msg_name = &to[k],
				.msg_namelen = sizeof(to[k]),
				.msg_iov = &iov[k],
				.msg_iovlen = 1,
			};
		}
		if (sendmmsg(fd, msg, b, 0) != (int)b)
			die("sendmmsg");
	}
	t1 = now_ns();
	printf("%lu syns in %llu ns\n", n, t1 - t0);
	return 0;
}

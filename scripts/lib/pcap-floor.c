// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * pcap-floor FILE: the floor of `make bench-replay`.  Only libpcap's
 * pcap_next_ex() over the capture, opened as `replay` opens it (nanosecond
 * timestamps), touching each frame's first byte: what reading the file
 * costs, which no replay can go below.  Prints the number of frames.
 */

#include <stdio.h>
#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned long long n = 0, sum = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap-floor FILE\n");
		return 2;
	}
	pc = pcap_open_offline_with_tstamp_precision(argv[1],
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc) {
		fprintf(stderr, "pcap-floor: %s\n", errbuf);
		return 1;
	}
	while ((ret = pcap_next_ex(pc, &h, &data)) == 1) {
		n++;
		sum += h->caplen ? data[0] : 0;
	}
	if (ret != PCAP_ERROR_BREAK) {
		fprintf(stderr, "pcap-floor: %s\n", pcap_geterr(pc));
		return 1;
	}
	pcap_close(pc);
	/* the sum only keeps the loads from being optimised away */
	printf("%llu frames%s\n", n, sum == 1 ? "" : "");
	return 0;
}

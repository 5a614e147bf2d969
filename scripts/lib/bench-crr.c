// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * bench-crr: short TCP connections over loopback, as fast as one thread
 * can: connect, accept, one byte each way, close (client first), repeat.
 * Built by scripts/bench; run in the lab VM by scripts/lib/bench-guest.
 *
 *	bench-crr COUNT [4|6]
 *
 * Prints "COUNT connections in NS ns" (CLOCK_MONOTONIC: under qemu -icount
 * it counts guest instructions, so the figures repeat).
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	unsigned long long t0, t1;
	int n, i, fam, lfd, one = 1;
	char b = 'x';

	if (argc < 2)
		return 2;
	n = atoi(argv[1]);
	fam = argc > 2 && !strcmp(argv[2], "6") ? AF_INET6 : AF_INET;
	if (fam == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	lfd = socket(fam, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) || listen(lfd, 128))
		die("bind/listen");
	if (getsockname(lfd, (struct sockaddr *)&ss, &len))
		die("getsockname");

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		int c = socket(fam, SOCK_STREAM, 0), a;

		if (c < 0 || connect(c, (struct sockaddr *)&ss, len))
			die("connect");
		a = accept(lfd, NULL, NULL);
		if (a < 0)
			die("accept");
		if (write(c, &b, 1) != 1 || read(a, &b, 1) != 1 ||
		    write(a, &b, 1) != 1 || read(c, &b, 1) != 1)
			die("exchange");
		close(c);
		if (read(a, &b, 1) != 0)
			die("EOF");
		close(a);
	}
	t1 = now_ns();
	printf("%d connections in %llu ns\n", n, t1 - t0);
	return 0;
}

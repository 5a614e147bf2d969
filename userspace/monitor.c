// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `monitor`: the module's events, live, like `ip monitor` or
 * `conntrack -E`.  Events of the monitor's own network namespace only.
 * Without the privilege to see sequence numbers it listens to the
 * "events-public" group instead of "events" (genl_subscribe()), says so
 * once, and shows everything else.
 *
 * Losing events is never silent.  When the receive buffer overflows, the
 * kernel drops what does not fit and the next recv() fails with ENOBUFS.
 * The events still queued then came before the gap: they are read and
 * printed first, then a "lost" line with how many events this socket
 * missed (its SK_MEMINFO_DROPS) and how much the module's events_lost
 * counter grew; then monitoring goes on.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "filter.h"
#include "genl.h"
#include "ladder.h"
#include "owner.h"
#include "print.h"
#include "tcptracectl.h"

/* How long the ladder waits for the rest of a segment's notes. */
#define LADDER_WAIT_MS	100

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/**
 * struct monitor - one monitoring session
 * @ev: the socket of the events
 * @req: a second socket, for the counters
 * @filter: which flows to show
 * @ladder: the diagram, with --ladder
 * @count: stop after this many events, 0 for never
 * @seen: events shown so far
 * @drops: SK_MEMINFO_DROPS of @ev at the last report
 * @lost: the module's events_lost at the last report
 * @has_lost: @lost could be read
 */
struct monitor {
	struct genl ev;
	struct genl req;
	struct filter filter;
	struct ladder ladder;
	unsigned long long count;
	unsigned long long seen;
	unsigned long long drops;
	unsigned long long lost;
	bool has_lost;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool read_events_lost(struct monitor *m, unsigned long long *v)
{
	unsigned long long s[TT_A_STATS_MAX + 1] = {};
	bool present[TT_A_STATS_MAX + 1] = {};

	if (stats_fetch(&m->req, s, present, TT_A_STATS_MAX + 1) ||
	    !present[TT_A_STATS_EVENTS_LOST])
		return false;
	*v = s[TT_A_STATS_EVENTS_LOST];
	return true;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct event ev;
	int err;

	err = event_parse(nlh, &ev);
	if (err == -ENOMSG)
		return MNL_CB_OK;	/* not an event of ours */
	if (err) {
		error_msg("monitor: a malformed event: %s", strerror(-err));
		return MNL_CB_OK;
	}
	if (ev.flow.flags & TT_FLOW_F_SEQ_HIDDEN)
		seq_hidden_notice();
	if (filter_match(&m->filter, &ev.flow)) {
		if (opts.ladder)
			ladder_event(&m->ladder, &ev, now_ms());
		else
			print_event(&ev);
		m->seen++;
	}
	flow_free(&ev.flow);
	if (m->count && m->seen >= m->count)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

/* Run a batch of messages through event_cb: 0, or 1 when --count is met. */
static int handle(struct monitor *m, int n)
{
	int ret = mnl_cb_run(m->ev.buf, n, 0, 0, event_cb, m);

	if (ret == MNL_CB_ERROR)
		error_msg("monitor: %s", strerror(errno));
	return ret == MNL_CB_STOP;
}

/* ENOBUFS: show what came before the gap, then the gap itself. */
static int report_loss(struct monitor *m)
{
	struct event ev = { .type = EV_LOST };
	unsigned long long v;
	int n, done = 0;

	while (!done) {
		n = recv(mnl_socket_get_fd(m->ev.nl), m->ev.buf, GENL_BUF_SIZE,
			 MSG_DONTWAIT);
		if (n <= 0)
			break;
		done = handle(m, n);
	}
	if (!genl_drops(&m->ev, &v)) {
		ev.has_dropped = true;
		ev.dropped = v - m->drops;
		m->drops = v;
	}
	if (m->has_lost && read_events_lost(m, &v)) {
		ev.has_events_lost = true;
		ev.events_lost = v - m->lost;
		m->lost = v;
	}
	if (opts.ladder)
		ladder_event(&m->ladder, &ev, now_ms());
	else
		print_event(&ev);
	return done;
}

static int parse_args(struct monitor *m, int argc, char **argv, int *rcvbuf)
{
	unsigned long long v;
	int a = 1, err;

	while (a < argc) {
		if (!strcmp(argv[a], "--rcvbuf") || !strcmp(argv[a], "--count")) {
			if (a + 1 >= argc || !parse_uint(argv[a + 1], 1U << 30, &v))
				return usage_error("%s needs a number", argv[a]);
			if (argv[a][2] == 'r')
				*rcvbuf = v;
			else
				m->count = v;
			a += 2;
			continue;
		}
		err = filter_parse(&m->filter, argc, argv, &a);
		if (err < 0)
			return err;
		if (err > 0)
			return usage_error("monitor: unknown argument '%s'",
					   argv[a]);
	}
	if (opts.json && opts.ladder)
		return usage_error("--json and --ladder do not mix");
	return 0;
}

static int loop(struct monitor *m)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(m->ev.nl),
			      .events = POLLIN };
	int n, timeout;

	while (!stop) {
		timeout = opts.ladder && ladder_pending(&m->ladder) ?
			  LADDER_WAIT_MS : -1;
		n = poll(&pfd, 1, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (opts.ladder)
			ladder_flush(&m->ladder, now_ms(),
				     n ? 5 * LADDER_WAIT_MS : LADDER_WAIT_MS);
		if (!n)
			continue;
		n = genl_recv(&m->ev);
		if (n == -ENOBUFS) {
			if (report_loss(m))
				return 0;
			continue;
		}
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n < 0)
			return n;
		if (handle(m, n))
			return 0;
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	enum genl_events how;
	struct monitor *m;
	int rcvbuf = 0, err;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = parse_args(m, argc, argv, &rcvbuf);
	if (err)
		goto out_free;
	err = genl_open(&m->ev);
	if (err)
		goto out_free;
	err = genl_open(&m->req);
	if (err)
		goto out_close;
	err = genl_subscribe(&m->ev, rcvbuf, &how);
	if (err) {
		error_msg("monitor: cannot join the \"%s\" group: %s",
			  how == GENL_EVENTS_PUBLIC ? TT_GENL_MCGRP_PUBLIC :
			  TT_GENL_MCGRP_EVENTS, strerror(-err));
		goto out_close;
	}
	if (how == GENL_EVENTS_PUBLIC)
		seq_hidden_notice();
	genl_drops(&m->ev, &m->drops);
	m->has_lost = read_events_lost(m, &m->lost);
	ladder_init(&m->ladder);
	/* /proc read at the first event, and again for an inode not seen */
	owner_mode(OWNER_REFRESH);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = loop(m);
	if (err)
		error_msg("monitor: %s", strerror(-err));
	ladder_done(&m->ladder);
out_close:
	genl_close(&m->req);
	genl_close(&m->ev);
out_free:
	free(m);
	return err;
}

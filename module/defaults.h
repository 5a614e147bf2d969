/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The tracer's defaults and limits, each with its reason: the one home of
 * the module's parameters, its netlink policy and the tools' replay (like
 * conntrack's table of TCP timeouts).  Part of the shared core.
 */

#ifndef _TT_DEFAULTS_H
#define _TT_DEFAULTS_H

/*
 * Maximum segment lifetime, seconds; TIME_WAIT lasts 2 * MSL.  30 s makes
 * Linux's own TIME_WAIT of 60 s (TCP_TIMEWAIT_LEN), so that the tracker's
 * endpoint leaves TIME_WAIT when the kernel's socket does; RFC 793 says 2
 * minutes.  At most an hour: longer only fills the table.
 */
#define TT_MSL_DEFAULT		30
#define TT_MSL_MIN		1
#define TT_MSL_MAX		3600

/* Seconds an ended flow stays listed: time to cat /proc/tcptrace. */
#define TT_LINGER_DEFAULT	10
#define TT_LINGER_MAX		3600

/*
 * Seconds without a segment before a flow is dropped: an hour, so that an
 * idle session stays for a lab's length while the flows of peers that
 * vanished go; at most ten days (conntrack keeps ESTABLISHED for five).
 */
#define TT_IDLE_DEFAULT		3600
#define TT_IDLE_MIN		1
#define TT_IDLE_MAX		864000

/* Notes of history per flow: a handshake and a close take about a dozen. */
#define TT_HISTORY_DEFAULT	16
#define TT_HISTORY_MAX		256

/*
 * Flows in the table, all namespaces together: 65,536 flows of 320 bytes
 * and 512 of history are 52 MB, a lab VM's share.  At least 16, so that a
 * namespace's share holds a flow of each eviction class; at most 4,194,304,
 * whose million buckets take 8 MB.  A full table, with every flow keeping
 * the most history, may take at most 1/TT_MEM_DIV of the machine's memory:
 * more would crowd out the workload it watches (the module refuses to load).
 */
#define TT_MAX_FLOWS_DEFAULT	65536
#define TT_MAX_FLOWS_MIN	16
#define TT_MAX_FLOWS_MAX	4194304
#define TT_MEM_DIV		4

/*
 * A namespace other than the initial one may hold 1/TT_SHARE_DIV of the
 * table by default (at least TT_SHARE_MIN flows): four containers under a
 * flood still leave the host its flows.
 */
#define TT_SHARE_DIV		4
#define TT_SHARE_MIN		16

#endif /* _TT_DEFAULTS_H */

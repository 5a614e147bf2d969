/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * tcptrace: an educational TCP state tracer.
 *
 * This header is the interface between the tcptrace module and user space:
 * the names of the TCP states, outcomes and anomalies the module reports, and
 * the generic netlink family that carries them.  Its YAML twin is
 * module/uapi/tcptrace.yaml; tests/tools/test-uapi-yaml checks that the two
 * agree.
 *
 * Terms
 * =====
 *
 * A flow is one TCP connection (one incarnation of a 4-tuple) in one network
 * namespace.  Its client is the endpoint whose SYN was seen first; for a flow
 * picked up mid-stream, the sender of the first segment seen.  The other
 * endpoint is the server.  Each endpoint has its own state, one of enum
 * tt_state, named as in RFC 793.  See docs/state-machine.md for when each
 * transition is applied.
 *
 * Generic netlink family
 * ======================
 *
 * Family TT_GENL_NAME, version TT_GENL_VERSION.  A tool must compare the
 * family's version (CTRL_ATTR_VERSION) with its own TT_GENL_VERSION and refuse
 * to run on a mismatch: the attribute numbers below are only valid for one
 * version.  All requests are answered for the caller's network namespace
 * only.  Requests that change anything need CAP_NET_ADMIN in the user
 * namespace that owns that network namespace (GENL_UNS_ADMIN_PERM).
 *
 * Who sees what.  As in /proc/net/tcp and ss, any user may read the flows:
 * addresses, ports, both states, timers, counters, outcome and anomalies.
 * Sequence and acknowledgment numbers (TT_A_FLOW_CLIENT_ISN,
 * TT_A_FLOW_SERVER_ISN, TT_A_NOTE_SEQ, TT_A_NOTE_ACK) are sent only to a
 * reader with CAP_NET_ADMIN in the user namespace that owns the network
 * namespace, or in the group named by the module parameter seq_gid (for a
 * lab machine).  Others get the flow without them, with TT_FLOW_F_SEQ_HIDDEN
 * set in TT_A_FLOW_FLAGS.  /proc/tcptrace shows no sequence numbers at all.
 * Attributes are validated strictly: an unknown attribute, a wrong type or
 * length, or an out-of-range value is refused with -EINVAL and an extended
 * ack message naming the attribute (and its offset); a missing one with
 * -EINVAL, a message naming it and NLMSGERR_ATTR_MISS_TYPE.  The netlink
 * core checks the top-level attributes against the policy before the family
 * sees them, and answers as it does for every family: a nest shorter than
 * an attribute header gets -ERANGE ("Attribute failed policy validation").
 * Unknown commands, and the event commands sent as requests, get
 * -EOPNOTSUPP.
 *
 * TT_CMD_FLOW_GET
 * ---------------
 *
 * As a dump (NLM_F_DUMP): one message per flow, each with a TT_A_FLOW nest.
 * Optionally filtered by a TT_A_FLOW nest in the request carrying
 * TT_A_FLOW_FAMILY and/or TT_A_FLOW_CLIENT_STATE / TT_A_FLOW_SERVER_STATE
 * (addresses and ports are refused there).
 * Dumps are resumable across table changes: each flow present for the whole
 * dump is reported exactly once; the header's NLM_F_DUMP_INTR flag is set
 * when the table changed during the dump (genl_dump_check_consistent()).
 *
 * As a request: a TT_A_FLOW nest with TT_A_FLOW_FAMILY, TT_A_FLOW_CLIENT_ADDR,
 * TT_A_FLOW_CLIENT_PORT, TT_A_FLOW_SERVER_ADDR and TT_A_FLOW_SERVER_PORT (the
 * two endpoints in either order) answers with that flow, including its
 * history (TT_A_FLOW_HISTORY), or -ENOENT (also for a flow of another
 * network namespace).
 *
 *    TT_A_FLOW: NLA_NESTED
 *        TT_A_FLOW_ID: NLA_U64, unique per flow and incarnation
 *        TT_A_FLOW_FAMILY: NLA_U8, AF_INET or AF_INET6
 *        TT_A_FLOW_CLIENT_ADDR: binary, 4 or 16 bytes, network order
 *        TT_A_FLOW_CLIENT_PORT: NLA_BE16
 *        TT_A_FLOW_SERVER_ADDR, TT_A_FLOW_SERVER_PORT: likewise
 *        TT_A_FLOW_CLIENT_STATE, TT_A_FLOW_SERVER_STATE: NLA_U8, enum tt_state
 *        TT_A_FLOW_OPENER, TT_A_FLOW_CLOSER: NLA_U8, enum tt_who
 *        TT_A_FLOW_OUTCOME: NLA_U8, enum tt_outcome
 *        TT_A_FLOW_ANOMALIES: NLA_U32, TT_ANOM_* bits
 *        TT_A_FLOW_FLAGS: NLA_U32, TT_FLOW_F_* bits
 *        TT_A_FLOW_CLIENT_PACKETS, TT_A_FLOW_CLIENT_BYTES: NLA_U64, sent by the client
 *        TT_A_FLOW_SERVER_PACKETS, TT_A_FLOW_SERVER_BYTES: NLA_U64, sent by the server
 *        TT_A_FLOW_CLIENT_ISN, TT_A_FLOW_SERVER_ISN: NLA_U32, when known
 *        TT_A_FLOW_AGE_MS: NLA_U64, since the flow was created
 *        TT_A_FLOW_STATE_AGE_MS: NLA_U64, since the last state change
 *        TT_A_FLOW_TIME_WAIT_LEFT_MS: NLA_U64, only while an endpoint is in TIME_WAIT
 *        TT_A_FLOW_HISTORY: NLA_NESTED, only in answers to a single-flow request
 *            TT_A_FLOW_HISTORY_ENTRY: NLA_NESTED, oldest first, enum tt_note_attr
 *        TT_A_FLOW_CLIENT_UID, TT_A_FLOW_CLIENT_INODE: NLA_U32, the owner (in
 *            the reader's user namespace) and inode of the client's local
 *            socket, as /proc/net/tcp shows them: present once a segment
 *            that socket sent was seen (for a server not yet accepted, its
 *            listening socket's), and until the end is orphaned (seen from
 *            a segment), in TIME_WAIT or CLOSED, as ss shows nobody then
 *        TT_A_FLOW_SERVER_UID, TT_A_FLOW_SERVER_INODE: likewise
 *
 * Who holds a socket is what anyone may see in /proc/net/tcp: the uid and
 * the inode go to every reader.  Which process holds it is found from the
 * inode in /proc/PID/fd, which shows a user only their own processes (as
 * for ss -p).
 *
 * TT_CMD_STATS_GET
 * ----------------
 *
 * Answers with a TT_A_STATS nest of NLA_U64 counters (enum tt_stats_attr) for
 * the caller's namespace, plus the module-wide TT_A_STATS_FLOWS_ALL and
 * TT_A_STATS_MAX_FLOWS.
 *
 * TT_CMD_CONFIG_GET / TT_CMD_CONFIG_SET
 * -------------------------------------
 *
 * The configuration of the caller's namespace, a TT_A_CONFIG nest (enum
 * tt_config_attr).  SET changes only the attributes it carries, all or none:
 * if any attribute is invalid nothing changes.  Filters decide which new flows
 * are traced; flows already in the table stay.
 *
 * TT_CMD_FLUSH
 * ------------
 *
 * Removes every flow of the caller's namespace; each ends with outcome
 * TT_OUTCOME_FLUSHED and a TT_CMD_FLOW_END event.
 *
 * TT_CMD_EVENTS_SUBSCRIBE
 * -----------------------
 *
 * Sends the full events of the caller's namespace to the requesting socket,
 * by unicast, until the socket is closed.  For a reader who may see sequence
 * numbers (see above) but may not join TT_GENL_MCGRP_EVENTS: -EPERM for
 * others, -ENOSPC when the namespace has TT_SUBSCRIBERS_MAX subscribers.
 *
 * Sharing the table
 * -----------------
 *
 * All namespaces share one table of max_flows flows (a module parameter).
 * Each namespace may hold at most its TT_A_CONFIG_MAX_FLOWS: the whole table
 * for the initial namespace, a quarter of it for the others by default.
 * Only CAP_NET_ADMIN in the initial user namespace may raise a namespace's
 * limit above that default.  A namespace at its limit makes room by evicting
 * its own least useful flow: an ended one first, then the oldest in
 * TIME_WAIT, then the oldest that never completed its handshake, then the
 * established one idle the longest.  When the whole table is full, the
 * namespace holding the most flows gives one up the same way, so a
 * namespace below its fair share keeps its flows.
 *
 * Events: multicast groups TT_GENL_MCGRP_EVENTS and TT_GENL_MCGRP_PUBLIC
 * ----------------------------------------------------------------------
 *
 * Sent to listeners in the flow's own network namespace only.  Joining
 * TT_GENL_MCGRP_EVENTS needs CAP_NET_ADMIN in the user namespace that owns
 * the network namespace (GENL_MCAST_CAP_NET_ADMIN); its events carry the
 * sequence numbers.  TT_GENL_MCGRP_PUBLIC is open to everyone and carries the
 * same events without them (TT_FLOW_F_SEQ_HIDDEN set).  A member of the
 * seq_gid group, who may not join TT_GENL_MCGRP_EVENTS, sends
 * TT_CMD_EVENTS_SUBSCRIBE instead: the full events then come to that socket
 * by unicast, until it is closed.  The commands are:
 *
 *    TT_CMD_FLOW_NEW: a flow was created (TT_A_FLOW)
 *    TT_CMD_FLOW_TRANSITION: an endpoint changed state (TT_A_FLOW and a
 *        TT_A_NOTE nest with endpoint, from, to, why and the segment)
 *    TT_CMD_FLOW_ANOMALY: a segment raised a note without a state change, such
 *        as a retransmission or an ignored RST (TT_A_FLOW and TT_A_NOTE)
 *    TT_CMD_FLOW_END: a flow ended (TT_A_FLOW with its TT_A_FLOW_OUTCOME)
 *
 * In a TT_CMD_FLOW_TRANSITION or TT_CMD_FLOW_ANOMALY event, the TT_A_FLOW
 * nest shows the flow after the segment (or, on loopback, after this
 * sighting of it); TT_A_NOTE says what this one note changed.
 *
 * A listener that falls behind gets ENOBUFS from recv(): the messages that
 * did not fit were dropped (its SO_MEMINFO SK_MEMINFO_DROPS counts them).
 * The module counts in TT_A_STATS_EVENTS_LOST each event it could not build
 * and each it could not deliver to a listener that set the socket option
 * NETLINK_BROADCAST_ERROR (without it, netlink does not tell the sender).
 */

#ifndef _UAPI_LINUX_TCPTRACE_H
#define _UAPI_LINUX_TCPTRACE_H

#include <linux/types.h>

#define TT_GENL_NAME		"tcptrace"
#define TT_GENL_VERSION		1
#define TT_GENL_MCGRP_EVENTS	"events"
#define TT_GENL_MCGRP_PUBLIC	"events-public"

/* Sockets of one namespace that TT_CMD_EVENTS_SUBSCRIBE may add. */
#define TT_SUBSCRIBERS_MAX	16

/* The state of one endpoint, as RFC 793 names it. */
enum tt_state {
	TT_STATE_CLOSED,
	TT_STATE_LISTEN,
	TT_STATE_SYN_SENT,
	TT_STATE_SYN_RECEIVED,
	TT_STATE_ESTABLISHED,
	TT_STATE_FIN_WAIT_1,
	TT_STATE_FIN_WAIT_2,
	TT_STATE_CLOSE_WAIT,
	TT_STATE_CLOSING,
	TT_STATE_LAST_ACK,
	TT_STATE_TIME_WAIT,
	__TT_STATE_MAX
};

#define TT_STATE_MAX (__TT_STATE_MAX - 1)

/* An endpoint of a flow, and who did something (opened, closed). */
enum tt_who {
	TT_WHO_NONE,
	TT_WHO_CLIENT,
	TT_WHO_SERVER,
	TT_WHO_BOTH,
	__TT_WHO_MAX
};

#define TT_WHO_MAX (__TT_WHO_MAX - 1)

/* How a flow ended, or TT_OUTCOME_OPEN while it has not. */
enum tt_outcome {
	TT_OUTCOME_OPEN,
	TT_OUTCOME_COMPLETED,		/* both FINs sent and acknowledged */
	TT_OUTCOME_REFUSED,		/* the server answered the SYN with RST */
	TT_OUTCOME_RESET_BY_CLIENT,	/* an accepted RST from the client */
	TT_OUTCOME_RESET_BY_SERVER,	/* an accepted RST from the server */
	TT_OUTCOME_HALF_OPEN,		/* handshake never completed */
	TT_OUTCOME_TIMED_OUT,		/* idle for longer than the idle timeout */
	TT_OUTCOME_MIDSTREAM,		/* picked up mid-stream, end never seen */
	TT_OUTCOME_EVICTED,		/* removed to make room in a full table */
	TT_OUTCOME_FLUSHED,		/* removed by TT_CMD_FLUSH or at unload */
	TT_OUTCOME_ONE_SIDED,		/* only one direction seen, end never seen */
	__TT_OUTCOME_MAX
};

#define TT_OUTCOME_MAX (__TT_OUTCOME_MAX - 1)

/*
 * Anomalies, as bits of TT_A_FLOW_ANOMALIES.  They are notes for learners:
 * what a textbook would point at, not errors of the tracer.
 */
enum tt_anomaly {
	TT_ANOM_SYN_FIN,	/* SYN and FIN in one segment */
	TT_ANOM_SYN_RST,	/* SYN and RST in one segment */
	TT_ANOM_FIN_NO_ACK,	/* FIN without ACK */
	TT_ANOM_NULL,		/* no flag at all */
	TT_ANOM_XMAS,		/* FIN, PSH and URG: the "Christmas tree" */
	TT_ANOM_SYN_DATA,	/* payload on a SYN */
	TT_ANOM_SCAN_PROBE,	/* a FIN, NULL or XMAS probe opened the flow */
	TT_ANOM_HALF_OPEN,	/* SYN answered, then reset by the client */
	TT_ANOM_RETRANS_SYN,	/* the client's SYN was sent again */
	TT_ANOM_RETRANS_SYNACK,	/* the server's SYN-ACK was sent again */
	TT_ANOM_RETRANS_FIN,	/* a FIN was sent again */
	TT_ANOM_RETRANS_DATA,	/* data was sent again */
	TT_ANOM_RST_CHALLENGE,	/* RST in window, not exact: challenge ACK */
	TT_ANOM_RST_IGNORED,	/* RST outside the window or with a bad ACK */
	TT_ANOM_SYN_CHALLENGE,	/* SYN on a synchronised connection */
	TT_ANOM_MIDSTREAM,	/* the flow was picked up mid-stream */
	TT_ANOM_BAD_CHECKSUM,	/* a segment with a wrong checksum: dropped */
	TT_ANOM_ONE_SIDED,	/* segments prove what the other direction hid */
	__TT_ANOM_MAX
};

#define TT_ANOM_MAX (__TT_ANOM_MAX - 1)

/*
 * Why an endpoint changed state, or what a remark on a segment says: the
 * protocol reason behind one cell of the transition tables.  Each reason that
 * changes state always leads to the same state (docs/state-machine.md).
 */
enum tt_why {
	TT_WHY_NONE,
	/* the sender's transitions */
	TT_WHY_ACTIVE_OPEN,		/* CLOSED sends SYN */
	TT_WHY_LISTEN_SYN,		/* LISTEN sends SYN */
	TT_WHY_PASSIVE_OPEN,		/* LISTEN answers a SYN with SYN-ACK */
	TT_WHY_SIMULTANEOUS_OPEN,	/* SYN_SENT gets a SYN, or answers one */
	TT_WHY_HANDSHAKE_ACK,		/* SYN_SENT acknowledges the SYN-ACK */
	TT_WHY_ACTIVE_CLOSE,		/* ESTABLISHED sends FIN */
	TT_WHY_EARLY_CLOSE,		/* SYN_RECEIVED sends FIN */
	TT_WHY_PASSIVE_CLOSE,		/* CLOSE_WAIT sends FIN */
	TT_WHY_ABORT,			/* sends RST */
	TT_WHY_NOT_LISTENING,		/* answers a SYN with RST */
	TT_WHY_REJECT_SYNACK,		/* answers a SYN-ACK with RST */
	/* the receiver's transitions */
	TT_WHY_HANDSHAKE_DONE,		/* SYN_RECEIVED gets the ACK of its SYN */
	TT_WHY_FIN_ACKED,		/* FIN_WAIT_1 gets the ACK of its FIN */
	TT_WHY_CLOSING_ACKED,		/* CLOSING gets the ACK of its FIN */
	TT_WHY_LAST_ACK_ACKED,		/* LAST_ACK gets the ACK of its FIN */
	TT_WHY_PEER_FIN,		/* ESTABLISHED gets a FIN */
	TT_WHY_SIMULTANEOUS_CLOSE,	/* FIN_WAIT_1 gets a FIN, own FIN unacked */
	TT_WHY_FIN_AND_ACK,		/* FIN_WAIT_1 gets FIN and ACK of its FIN */
	TT_WHY_SECOND_FIN,		/* FIN_WAIT_2 gets the peer's FIN */
	TT_WHY_REFUSED,			/* SYN_SENT gets a RST: port closed */
	TT_WHY_RESET,			/* gets an acceptable RST */
	TT_WHY_HALF_OPEN_RESET,		/* SYN_RECEIVED gets a RST */
	TT_WHY_TIME_WAIT_ASSASSINATED,		/* TIME_WAIT gets an exact RST */
	/* the clock */
	TT_WHY_TIME_WAIT_DONE,		/* 2 * MSL passed in TIME_WAIT */
	/* remarks: no state change */
	TT_WHY_TIME_WAIT_RESTART,		/* FIN again in TIME_WAIT: 2 * MSL anew */
	TT_WHY_RETRANSMITTED_SYN,
	TT_WHY_RETRANSMITTED_SYNACK,
	TT_WHY_RETRANSMITTED_FIN,
	TT_WHY_RETRANSMITTED_DATA,
	TT_WHY_RST_CHALLENGE,		/* in window, not exact: challenge ACK */
	TT_WHY_RST_OUT_OF_WINDOW,	/* ignored */
	TT_WHY_RST_BAD_ACK,		/* in SYN_SENT, not acking the SYN */
	TT_WHY_SYN_CHALLENGE,		/* SYN on a synchronised connection */
	TT_WHY_SYNACK_BAD_ACK,		/* SYN-ACK not acking our SYN: RST */
	TT_WHY_ODD_SEGMENT,		/* odd flags, or data on a SYN */
	TT_WHY_SCAN_PROBE,		/* FIN, NULL or XMAS probe */
	TT_WHY_PICKED_UP,		/* first segment seen mid-stream */
	TT_WHY_BAD_CHECKSUM,		/* wrong checksum: the receiver drops it */
	TT_WHY_ONE_SIDED,		/* proves segments of the peer never seen */
	TT_WHY_SOCKET_GONE,		/* RST for the FIN: the socket was gone */
	__TT_WHY_MAX
};

#define TT_WHY_MAX (__TT_WHY_MAX - 1)

/* The TCP flags, as in the 14th byte of the header (TT_A_NOTE_TCP_FLAGS). */
#define TT_TCP_FIN	0x01
#define TT_TCP_SYN	0x02
#define TT_TCP_RST	0x04
#define TT_TCP_PSH	0x08
#define TT_TCP_ACK	0x10
#define TT_TCP_URG	0x20
#define TT_TCP_ECE	0x40
#define TT_TCP_CWR	0x80

/* TT_A_FLOW_FLAGS */
#define TT_FLOW_F_PICKED_UP	0x01	/* beginning not seen */
#define TT_FLOW_F_CLIENT_LOCAL	0x02	/* client is on this host */
#define TT_FLOW_F_SERVER_LOCAL	0x04	/* server is on this host */
#define TT_FLOW_F_ESTABLISHED	0x08	/* was ever established */
#define TT_FLOW_F_ENDED		0x10	/* both endpoints CLOSED */
#define TT_FLOW_F_SEQ_HIDDEN	0x20	/* sequence numbers withheld from this reader */

enum tt_cmd {
	TT_CMD_UNSPEC,
	TT_CMD_FLOW_GET,
	TT_CMD_STATS_GET,
	TT_CMD_CONFIG_GET,
	TT_CMD_CONFIG_SET,
	TT_CMD_FLUSH,
	TT_CMD_FLOW_NEW,	/* event */
	TT_CMD_FLOW_TRANSITION,	/* event */
	TT_CMD_FLOW_ANOMALY,	/* event */
	TT_CMD_FLOW_END,	/* event */
	TT_CMD_EVENTS_SUBSCRIBE,
	__TT_CMD_MAX
};

#define TT_CMD_MAX (__TT_CMD_MAX - 1)

enum tt_attr {
	TT_A_UNSPEC,
	TT_A_PAD,
	TT_A_FLOW,		/* nest, enum tt_flow_attr */
	TT_A_NOTE,		/* nest, enum tt_note_attr: the event's cause */
	TT_A_STATS,		/* nest, enum tt_stats_attr */
	TT_A_CONFIG,		/* nest, enum tt_config_attr */
	__TT_A_MAX
};

#define TT_A_MAX (__TT_A_MAX - 1)

enum tt_flow_attr {
	TT_A_FLOW_UNSPEC,
	TT_A_FLOW_PAD,
	TT_A_FLOW_ID,
	TT_A_FLOW_FAMILY,
	TT_A_FLOW_CLIENT_ADDR,
	TT_A_FLOW_CLIENT_PORT,
	TT_A_FLOW_SERVER_ADDR,
	TT_A_FLOW_SERVER_PORT,
	TT_A_FLOW_CLIENT_STATE,
	TT_A_FLOW_SERVER_STATE,
	TT_A_FLOW_OPENER,
	TT_A_FLOW_CLOSER,
	TT_A_FLOW_OUTCOME,
	TT_A_FLOW_ANOMALIES,
	TT_A_FLOW_FLAGS,
	TT_A_FLOW_CLIENT_PACKETS,
	TT_A_FLOW_CLIENT_BYTES,
	TT_A_FLOW_SERVER_PACKETS,
	TT_A_FLOW_SERVER_BYTES,
	TT_A_FLOW_CLIENT_ISN,
	TT_A_FLOW_SERVER_ISN,
	TT_A_FLOW_AGE_MS,
	TT_A_FLOW_STATE_AGE_MS,
	TT_A_FLOW_TIME_WAIT_LEFT_MS,
	TT_A_FLOW_HISTORY,	/* nest of TT_A_FLOW_HISTORY_ENTRY */
	TT_A_FLOW_CLIENT_UID,
	TT_A_FLOW_CLIENT_INODE,
	TT_A_FLOW_SERVER_UID,
	TT_A_FLOW_SERVER_INODE,
	__TT_A_FLOW_MAX
};

#define TT_A_FLOW_MAX (__TT_A_FLOW_MAX - 1)

/* Inside TT_A_FLOW_HISTORY: each entry is a nest of enum tt_note_attr. */
#define TT_A_FLOW_HISTORY_ENTRY 1

/*
 * A note: one state change of one endpoint, or a remark on a segment, with the
 * segment that caused it.  The same attributes describe history entries and
 * the cause of a TT_CMD_FLOW_TRANSITION or TT_CMD_FLOW_ANOMALY event.
 */
enum tt_note_attr {
	TT_A_NOTE_UNSPEC,
	TT_A_NOTE_PAD,
	TT_A_NOTE_TIME_MS,	/* NLA_U64, since the flow was created */
	TT_A_NOTE_ENDPOINT,	/* NLA_U8, enum tt_who: whose state */
	TT_A_NOTE_FROM,		/* NLA_U8, enum tt_state */
	TT_A_NOTE_TO,		/* NLA_U8, enum tt_state; == FROM for a remark */
	TT_A_NOTE_WHY,		/* NLA_U8, enum tt_why */
	TT_A_NOTE_SENDER,	/* NLA_U8, enum tt_who; NONE for the clock */
	TT_A_NOTE_TCP_FLAGS,	/* NLA_U8, TT_TCP_* */
	TT_A_NOTE_SEQ,		/* NLA_U32, absolute */
	TT_A_NOTE_ACK,		/* NLA_U32, absolute */
	TT_A_NOTE_LEN,		/* NLA_U32, payload bytes */
	TT_A_NOTE_ANOMALIES,	/* NLA_U32, TT_ANOM_* bits this segment raised */
	__TT_A_NOTE_MAX
};

#define TT_A_NOTE_MAX (__TT_A_NOTE_MAX - 1)

enum tt_stats_attr {
	TT_A_STATS_UNSPEC,
	TT_A_STATS_PAD,
	TT_A_STATS_SEGMENTS,		/* TCP segments handed to the tracker */
	TT_A_STATS_FLOWS,		/* flows now, this namespace */
	TT_A_STATS_FLOWS_CREATED,
	TT_A_STATS_FLOWS_ENDED,
	TT_A_STATS_EVICTED,		/* removed to make room */
	TT_A_STATS_EXPIRED,		/* removed by the timeouts */
	TT_A_STATS_MALFORMED,		/* headers that could not be parsed */
	TT_A_STATS_FRAGMENTS,		/* non-first fragments skipped */
	TT_A_STATS_FILTERED,		/* segments the filters left out */
	TT_A_STATS_ALLOC_FAILED,	/* flow objects we could not allocate */
	TT_A_STATS_TABLE_FULL,		/* new flows refused: nothing to evict */
	TT_A_STATS_EVENTS_LOST,		/* events not delivered to a listener */
	TT_A_STATS_FLOWS_ALL,		/* flows now, all namespaces; initial namespace only */
	TT_A_STATS_MAX_FLOWS,		/* the table's size limit */
	TT_A_STATS_EVICTED_ENDED,	/* evicted, by class: ended */
	TT_A_STATS_EVICTED_TIME_WAIT,	/* in TIME_WAIT */
	TT_A_STATS_EVICTED_HANDSHAKE,	/* never established */
	TT_A_STATS_EVICTED_ESTABLISHED,	/* established (the longest idle) */
	__TT_A_STATS_MAX
};

#define TT_A_STATS_MAX (__TT_A_STATS_MAX - 1)

enum tt_config_attr {
	TT_A_CONFIG_UNSPEC,
	TT_A_CONFIG_ENABLED,		/* NLA_U8: trace this namespace at all */
	TT_A_CONFIG_PORT,		/* NLA_U16: trace only this port, 0 = all */
	TT_A_CONFIG_ADDR_FAMILY,	/* NLA_U8: AF_INET, AF_INET6, 0 = no filter */
	TT_A_CONFIG_ADDR,		/* binary, 4 or 16 bytes */
	TT_A_CONFIG_PREFIX_LEN,		/* NLA_U8: bits of TT_A_CONFIG_ADDR */
	TT_A_CONFIG_HISTORY,		/* NLA_U32: notes kept per new flow */
	TT_A_CONFIG_MSL,		/* NLA_U32 seconds: TIME_WAIT lasts 2 * MSL */
	TT_A_CONFIG_LINGER,		/* NLA_U32 seconds: CLOSED flows stay listed */
	TT_A_CONFIG_IDLE_TIMEOUT,	/* NLA_U32 seconds */
	TT_A_CONFIG_MAX_FLOWS,		/* NLA_U32: flows of this namespace */
	__TT_A_CONFIG_MAX
};

#define TT_A_CONFIG_MAX (__TT_A_CONFIG_MAX - 1)

#endif /* _UAPI_LINUX_TCPTRACE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * A test harness for module/state.c: a flow and the two sockets at its ends,
 * driven segment by segment as a host would see them.  The harness keeps
 * each end's sequence numbers the way a real TCP would (SYN and FIN consume
 * one, data its length), so tests say "the client sends a FIN" and get the
 * right seq/ack; tests that need odd numbers pass them explicitly.
 *
 * Key sides: A = 0 and B = 1 are the two ends of the caller's flow key.  A
 * sends first in most tests and so becomes the client; st(f, A) asks the
 * state of whichever endpoint A turned out to be.
 */

#ifndef _TT_TEST_FLOW_H
#define _TT_TEST_FLOW_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "state.h"

#define A	0
#define B	1

#define MS	1000000ULL		/* ns */
#define SEC	(1000 * MS)

/* How a segment is seen (tt_conn_segment()'s @obs). */
enum mode {
	M_BOTH,		/* once, both halves: one end is remote */
	M_SPLIT,	/* loopback: leaving (send half), arriving (recv half) */
	M_MODES
};

/* The initial sequence numbers a test runs with. */
struct isns {
	const char *name;
	u32 isn[2];
};

extern const struct isns isn_sets[];
extern const unsigned int n_isn_sets;

#define MAX_NOTES	(4 * TT_NOTES_PER_SEG)

struct flow {
	struct tt_conn *c;
	enum mode mode;
	u64 now;
	u64 step;		/* time between segments */
	u32 isn[2];
	u32 nxt[2];		/* next sequence number each side sends */
	u16 win[2];		/* window field each side sends */
	int wscale[2];		/* offered on its SYN, -1: none */
	bool csum_bad;		/* segments sent now carry tt_seg.csum_bad */
	/* Notes of the last segment (both sightings in M_SPLIT). */
	struct tt_note notes[MAX_NOTES];
	unsigned int nnotes;
	bool created;
	bool ended;
	/* Every note of the flow's life, from the verdicts. */
	struct tt_note log[256];
	unsigned int nlog;
	/* What the harness sent from each side, segments seen as many
	 * times as the mode says but counted once.
	 */
	u64 sent[2];
	u64 sent_bytes[2];
};

struct flow *flow_new(enum mode mode, const u32 isn[2], unsigned int depth);
void flow_free(struct flow *f);

/* Raw: one segment, both halves as the mode says.  len: payload bytes. */
void tx(struct flow *f, int side, u8 flags, u32 seq, u32 ack, u32 len);
/* One sighting carrying @obs (TT_OBS_*), for interleavings. */
void tx_obs(struct flow *f, int side, unsigned int obs, u8 flags, u32 seq,
	    u32 ack, u32 len);
/* A segment with the harness's seq/ack for @side, advancing its nxt. */
void seg(struct flow *f, int side, u8 flags, u32 len);
/* A segment @side sends that the host does not see (a one-sided capture):
 * only @side's nxt advances.
 */
void unseen(struct flow *f, int side, u8 flags, u32 len);

/* Common segments, with the sequence numbers a real TCP would use. */
void syn(struct flow *f, int side);
void synack(struct flow *f, int side);
void ack(struct flow *f, int side);
void data(struct flow *f, int side, u32 len);
void fin(struct flow *f, int side);
/* The handshake, A the client. */
void handshake(struct flow *f);
/* Handshake plus 100 bytes A -> B and 200 bytes B -> A, all acknowledged. */
void established(struct flow *f);

/*
 * Two segments that cross on the wire: each is sent before the other
 * arrives.  M_BOTH sees one and then the other; M_SPLIT sees both leave
 * before either arrives.  Seq/ack as the harness would set them before
 * either is sent.
 */
void cross(struct flow *f, u8 flags_a, u8 flags_b);

/* Let time pass; returns tt_conn_expire()'s answer. */
bool expire(struct flow *f, u64 now, const struct tt_timeouts *t);

/* State of the endpoint at key side @side. */
unsigned int st(const struct flow *f, int side);
/* Peer index (TT_CLIENT, TT_SERVER) of key side @side. */
unsigned int peer_of(const struct flow *f, int side);
/* enum tt_who of key side @side. */
unsigned int who_of(const struct flow *f, int side);

/* An expected note: whose, from, to, why.  to == from for a remark. */
struct xnote {
	u8 endpoint;
	u8 from;
	u8 to;
	u8 why;
};

/* A note of a transition, and a remark (no state change). */
#define N(e, from, to, why)	{ e, from, to, TT_WHY_##why }
#define RM(e, s, why)		{ e, s, s, TT_WHY_##why }

/* Does the last segment have this note?  Index, or -1. */
int find_note(const struct flow *f, unsigned int endpoint, unsigned int from,
	      unsigned int to, unsigned int why);
/* The last segment's notes must be exactly these, in order. */
void _expect_notes(const struct flow *f, const struct xnote *x, unsigned int n,
		   const char *file, int line);
#define expect_notes(f, ...) do {					\
	const struct xnote _x[] = { __VA_ARGS__ };			\
	_expect_notes(f, _x, ARRAY_SIZE(_x), __FILE__, __LINE__);	\
} while (0)
#define expect_no_notes(f)	_expect_notes(f, NULL, 0, __FILE__, __LINE__)
/* The endpoint's state changes over the flow's life (remarks left out). */
void _expect_path(const struct flow *f, unsigned int endpoint,
		  const struct xnote *x, unsigned int n, const char *file,
		  int line);
#define expect_path(f, endpoint, ...) do {				\
	const struct xnote _x[] = { __VA_ARGS__ };			\
	_expect_path(f, endpoint, _x, ARRAY_SIZE(_x), __FILE__, __LINE__); \
} while (0)
/* Was there a note with this why, for anyone, in the flow's life? */
bool logged(const struct flow *f, unsigned int why);
void _expect_states(const struct flow *f, unsigned int client,
		    unsigned int server, const char *file, int line);
#define expect_states(f, cl, sv) _expect_states(f, cl, sv, __FILE__, __LINE__)

/* The flow counted each segment and byte the harness sent, once. */
void _expect_counted(const struct flow *f, const char *file, int line);
#define expect_counted(f)	_expect_counted(f, __FILE__, __LINE__)

/* Checked after every call by the harness; exposed for the fuzzer too. */
void check_invariants(struct flow *f, const struct tt_verdict *v);

#define C	TT_WHO_CLIENT
#define S	TT_WHO_SERVER

/* Short state names for tables of expectations. */
#define CL	TT_STATE_CLOSED
#define LI	TT_STATE_LISTEN
#define SS	TT_STATE_SYN_SENT
#define SR	TT_STATE_SYN_RECEIVED
#define ES	TT_STATE_ESTABLISHED
#define F1	TT_STATE_FIN_WAIT_1
#define F2	TT_STATE_FIN_WAIT_2
#define CW	TT_STATE_CLOSE_WAIT
#define CG	TT_STATE_CLOSING
#define LA	TT_STATE_LAST_ACK
#define TW	TT_STATE_TIME_WAIT

#define fSYN	TT_TCP_SYN
#define fACK	TT_TCP_ACK
#define fFIN	TT_TCP_FIN
#define fRST	TT_TCP_RST
#define fPSH	TT_TCP_PSH
#define fURG	TT_TCP_URG
#define fECE	TT_TCP_ECE
#define fCWR	TT_TCP_CWR

#define ANOM(x)	(1U << TT_ANOM_##x)

/* A growable list of cmocka tests, built from case tables. */
struct tests {
	struct CMUnitTest *t;
	size_t n;
	size_t cap;
};
void tests_add(struct tests *ts, const char *name, CMUnitTestFunction fn,
	       void *state);
#define TEST(ts, fn)	tests_add(ts, #fn, fn, NULL)

/*
 * Run the tests, one cmocka test each, and print the suite's kselftest line
 * "PASS: unit-<suite>" or "FAIL: unit-<suite>".  Flows a test did not free
 * (it failed half-way) are freed after it.  Returns the exit status.
 */
int run_suite(const char *suite, struct tests *ts);

/* The mode and ISNs a test of a "for every variant" suite runs with. */
struct variant_params {
	enum mode mode;
	const struct isns *isns;
};
/* Add @fn once for each mode in @modes (bits 1 << M_*) and each set of
 * ISNs, as "name/mode/isns"; with bit 2 set, only the first set of ISNs,
 * as "name/mode".
 */
void tests_add_variants(struct tests *ts, const char *name,
			CMUnitTestFunction fn, unsigned int modes);
/* The flow for a test added by tests_add_variants(). */
struct flow *variant_flow(void **state, unsigned int depth);
#define VARIANTS(ts, fn)	tests_add_variants(ts, #fn, fn, 3)
#define SPLIT_VARIANTS(ts, fn)	tests_add_variants(ts, #fn, fn, 1 << M_SPLIT)
/* Once per mode only, for tests that choose their own ISNs. */
#define MODES(ts, fn)		tests_add_variants(ts, #fn, fn, 3 | 4)

/* Timeouts the tests use: 2*MSL 60 s, linger 10 s, idle 300 s. */
extern const struct tt_timeouts timeouts;

/* printf into a string that lives until run_suite() ends: test names. */
const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

#endif /* _TT_TEST_FLOW_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The names shared by /proc, netlink users and the tools, and the anomaly
 * string helper.
 */

#include <limits.h>
#include <stdlib.h>

#include "flow.h"

/* Out-of-range values a name helper must answer with "?". */
static const unsigned int bad[] = { 255, 256, 0x10000, UINT_MAX };

static void t_state_names(void **state)
{
	static const char *const want[] = {
		"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
		"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
		"TIME_WAIT",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(want), __TT_STATE_MAX);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(tt_state_name(i), want[i]);
	assert_string_equal(tt_state_name(__TT_STATE_MAX), "?");
	assert_string_equal(tt_state_name(TT_STATE_SAME), "?");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_string_equal(tt_state_name(bad[i]), "?");
}

static void t_who_names(void **state)
{
	unsigned int i;

	(void)state;
	assert_string_equal(tt_who_name(TT_WHO_NONE), "none");
	assert_string_equal(tt_who_name(TT_WHO_CLIENT), "client");
	assert_string_equal(tt_who_name(TT_WHO_SERVER), "server");
	assert_string_equal(tt_who_name(TT_WHO_BOTH), "both");
	assert_string_equal(tt_who_name(__TT_WHO_MAX), "?");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_string_equal(tt_who_name(bad[i]), "?");
}

static void t_local_names(void **state)
{
	(void)state;
	assert_string_equal(tt_local_name(0), "none");
	assert_string_equal(tt_local_name(TT_FLOW_F_CLIENT_LOCAL), "client");
	assert_string_equal(tt_local_name(TT_FLOW_F_SERVER_LOCAL), "server");
	assert_string_equal(tt_local_name(TT_FLOW_F_CLIENT_LOCAL |
					  TT_FLOW_F_SERVER_LOCAL), "both");
	assert_string_equal(tt_local_name(TT_FLOW_F_ENDED), "none");
}

static void t_outcome_names(void **state)
{
	static const char *const want[] = {
		"open", "completed", "refused", "reset-by-client",
		"reset-by-server", "half-open", "timed-out", "midstream",
		"evicted", "flushed", "one-sided",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(want), __TT_OUTCOME_MAX);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(tt_outcome_name(i), want[i]);
	assert_string_equal(tt_outcome_name(__TT_OUTCOME_MAX), "?");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_string_equal(tt_outcome_name(bad[i]), "?");
}

static void t_anomaly_names(void **state)
{
	static const char *const want[] = {
		"syn-fin", "syn-rst", "fin-no-ack", "null", "xmas", "syn-data",
		"scan-probe", "half-open", "retrans-syn", "retrans-synack",
		"retrans-fin", "retrans-data", "rst-challenge", "rst-ignored",
		"syn-challenge", "midstream", "bad-checksum",
		"one-sided",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(want), __TT_ANOM_MAX);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(tt_anomaly_name(i), want[i]);
	assert_string_equal(tt_anomaly_name(__TT_ANOM_MAX), "?");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_string_equal(tt_anomaly_name(bad[i]), "?");
}

/* Every reason has a unique name and a text; each transition a state. */
static void t_why_names(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_string_equal(tt_why_name(TT_WHY_NONE), "none");
	assert_string_equal(tt_why_text(TT_WHY_NONE), "");
	assert_int_equal(tt_why_next(TT_WHY_NONE), TT_STATE_SAME);
	for (i = 1; i < __TT_WHY_MAX; i++) {
		const char *n = tt_why_name(i);

		assert_non_null(n);
		assert_non_null(tt_why_text(i));
		if (!*n || !strcmp(n, "?") || !*tt_why_text(i))
			fail_msg("reason %u has no name or text", i);
		for (j = 0; j < i; j++)
			if (!strcmp(n, tt_why_name(j)))
				fail_msg("reasons %u and %u are both %s", j, i,
					 n);
		if (tt_why_next(i) != TT_STATE_SAME &&
		    tt_why_next(i) >= __TT_STATE_MAX)
			fail_msg("%s leads to %u", n, tt_why_next(i));
	}
	assert_string_equal(tt_why_name(__TT_WHY_MAX), "?");
	assert_string_equal(tt_why_text(__TT_WHY_MAX), "?");
	assert_int_equal(tt_why_next(__TT_WHY_MAX), TT_STATE_SAME);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_string_equal(tt_why_name(bad[i]), "?");
		assert_string_equal(tt_why_text(bad[i]), "?");
		assert_int_equal(tt_why_next(bad[i]), TT_STATE_SAME);
	}
}

/*
 * Where each reason leads, from RFC 793's diagram: written out here so a
 * changed destination in state.c fails, not just a changed table cell.
 */
static void t_why_next(void **state)
{
	static const struct {
		u8 why, next;
	} want[] = {
		{ TT_WHY_ACTIVE_OPEN, SS }, { TT_WHY_LISTEN_SYN, SS },
		{ TT_WHY_PASSIVE_OPEN, SR }, { TT_WHY_SIMULTANEOUS_OPEN, SR },
		{ TT_WHY_HANDSHAKE_ACK, ES }, { TT_WHY_ACTIVE_CLOSE, F1 },
		{ TT_WHY_EARLY_CLOSE, F1 }, { TT_WHY_PASSIVE_CLOSE, LA },
		{ TT_WHY_ABORT, CL }, { TT_WHY_NOT_LISTENING, CL },
		{ TT_WHY_REJECT_SYNACK, CL }, { TT_WHY_HANDSHAKE_DONE, ES },
		{ TT_WHY_FIN_ACKED, F2 }, { TT_WHY_CLOSING_ACKED, TW },
		{ TT_WHY_LAST_ACK_ACKED, CL }, { TT_WHY_PEER_FIN, CW },
		{ TT_WHY_SIMULTANEOUS_CLOSE, CG }, { TT_WHY_FIN_AND_ACK, TW },
		{ TT_WHY_SECOND_FIN, TW }, { TT_WHY_REFUSED, CL },
		{ TT_WHY_RESET, CL }, { TT_WHY_HALF_OPEN_RESET, CL },
		{ TT_WHY_TIME_WAIT_ASSASSINATED, CL }, { TT_WHY_TIME_WAIT_DONE, CL },
		{ TT_WHY_SOCKET_GONE, CL },
	};
	unsigned int i, transitions = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (tt_why_next(want[i].why) != want[i].next)
			fail_msg("%s leads to %s, expected %s",
				 tt_why_name(want[i].why),
				 tt_state_name(tt_why_next(want[i].why)),
				 tt_state_name(want[i].next));
	/* The rest are remarks. */
	for (i = 0; i < __TT_WHY_MAX; i++)
		transitions += tt_why_next(i) != TT_STATE_SAME;
	assert_int_equal(transitions, ARRAY_SIZE(want));
}

static void t_event_names(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < TT_SEND_EVENTS; i++)
		assert_string_not_equal(tt_send_event_name(i), "?");
	for (i = 0; i < TT_RECV_EVENTS; i++)
		assert_string_not_equal(tt_recv_event_name(i), "?");
	assert_string_equal(tt_send_event_name(TT_SEND_SYN), "SYN");
	assert_string_equal(tt_recv_event_name(TT_RECV_RST), "acceptable RST");
	assert_string_equal(tt_send_event_name(TT_SEND_EVENTS), "?");
	assert_string_equal(tt_recv_event_name(TT_RECV_EVENTS), "?");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_string_equal(tt_send_event_name(bad[i]), "?");
		assert_string_equal(tt_recv_event_name(bad[i]), "?");
	}
}

/* tt_anomalies_str(): names joined by commas in bit order, "-" for none. */
static const struct {
	u32 anomalies;
	unsigned int size;
	const char *str;
} astr[] = {
	{ 0, 64, "-" },
	{ 0, 2, "-" },
	{ 0, 1, "" },				/* no room for "-" */
	{ ANOM(HALF_OPEN), 64, "half-open" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 64, "syn-fin,null,xmas" },
	{ ANOM(RETRANS_SYN) | ANOM(MIDSTREAM), 64, "retrans-syn,midstream" },
	/* Bits without a name are left out. */
	{ 1U << __TT_ANOM_MAX, 64, "" },
	{ ANOM(NULL) | 0x80000000U, 64, "null" },
	/* Truncation: a name that does not fit is left out whole. */
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 18, "syn-fin,null,xmas" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 17, "syn-fin,null" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 13, "syn-fin,null" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 12, "syn-fin" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 8, "syn-fin" },
	{ ANOM(SYN_FIN) | ANOM(NULL) | ANOM(XMAS), 7, "" },
	{ ANOM(SYN_FIN), 1, "" },
};

static void t_anomalies_str(void **state)
{
	unsigned int i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(astr); i++) {
		/* Exactly the size it is told, so ASan sees any overrun. */
		char *buf = malloc(astr[i].size);

		assert_non_null(buf);
		memset(buf, 'x', astr[i].size);
		n = tt_anomalies_str(astr[i].anomalies, buf, astr[i].size);
		if (strcmp(buf, astr[i].str) || n != strlen(astr[i].str))
			fail_msg("%#x in %u bytes: \"%s\" (%u), expected \"%s\"",
				 astr[i].anomalies, astr[i].size, buf, n,
				 astr[i].str);
		free(buf);
	}
	assert_int_equal(tt_anomalies_str(ANOM(NULL), NULL, 0), 0);
}

/* All bits fit in 256 bytes. */
static void t_anomalies_str_all(void **state)
{
	char buf[256];
	unsigned int n, bit;
	size_t want = 0;

	(void)state;
	for (bit = 0; bit < __TT_ANOM_MAX; bit++)
		want += strlen(tt_anomaly_name(bit)) + (bit ? 1 : 0);
	n = tt_anomalies_str((1U << __TT_ANOM_MAX) - 1, buf, sizeof(buf));
	assert_int_equal(n, want);
	assert_int_equal(strlen(buf), want);
	assert_non_null(strstr(buf, "syn-fin,syn-rst,"));
	assert_non_null(strstr(buf, ",midstream"));
}

int main(void)
{
	struct tests ts = { 0 };

	TEST(&ts, t_state_names);
	TEST(&ts, t_who_names);
	TEST(&ts, t_local_names);
	TEST(&ts, t_outcome_names);
	TEST(&ts, t_anomaly_names);
	TEST(&ts, t_why_names);
	TEST(&ts, t_why_next);
	TEST(&ts, t_event_names);
	TEST(&ts, t_anomalies_str);
	TEST(&ts, t_anomalies_str_all);
	return run_suite("names", &ts);
}

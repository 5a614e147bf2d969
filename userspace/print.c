// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Text and JSON output.  Every name of a state, reason, outcome, anomaly or
 * TCP flag comes from the module's own helpers (state.c, parse.c), so the
 * tool says exactly what /proc/tcptrace says.  Tables are aligned on the
 * widest cell of each column; colours go around the padded text.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "tcptracectl.h"

#define CELL_MAX	64

const char *color_on(enum color c)
{
	static const char * const esc[] = {
		[C_NONE] = "",
		[C_BOLD] = "\033[1m",
		[C_DIM] = "\033[2m",
		[C_RED] = "\033[31m",
		[C_GREEN] = "\033[32m",
		[C_YELLOW] = "\033[33m",
		[C_BLUE] = "\033[34m",
		[C_MAGENTA] = "\033[35m",
		[C_CYAN] = "\033[36m",
	};

	return opts.color ? esc[c] : "";
}

const char *color_off(enum color c)
{
	return opts.color && c != C_NONE ? "\033[0m" : "";
}

/* Opening in cyan, open in green, closing in yellow, waiting in magenta. */
enum color state_color(unsigned int state)
{
	switch (state) {
	case TT_STATE_SYN_SENT:
	case TT_STATE_SYN_RECEIVED:
		return C_CYAN;
	case TT_STATE_ESTABLISHED:
		return C_GREEN;
	case TT_STATE_FIN_WAIT_1:
	case TT_STATE_FIN_WAIT_2:
	case TT_STATE_CLOSE_WAIT:
	case TT_STATE_CLOSING:
	case TT_STATE_LAST_ACK:
		return C_YELLOW;
	case TT_STATE_TIME_WAIT:
		return C_MAGENTA;
	case TT_STATE_CLOSED:
		return C_DIM;
	default:
		return C_NONE;
	}
}

/* Seconds with milliseconds, as /proc/tcptrace writes them. */
void time_str(uint64_t ms, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%03llus", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000));
}

/* Index (0 client, 1 server) of an enum tt_who, or -1. */
static int who_index(unsigned int who)
{
	return who == TT_WHO_CLIENT ? 0 : who == TT_WHO_SERVER ? 1 : -1;
}

/**
 * seg_str() - "SYN,ACK seq=0 ack=1 len=5", relative unless --absolute
 * @f: the flow, for the ISNs
 * @n: the note of the segment
 * @buf: where to write
 * @size: its size
 *
 * Sequence numbers are relative to the sender's ISN, acknowledgment numbers
 * to the receiver's, when those are known; an ack is shown only with ACK.
 */
void seg_str(const struct flow *f, const struct note *n, char *buf,
	     size_t size)
{
	int s = who_index(n->sender);
	char flags[32];
	uint32_t seq = n->seq, ack = n->ack;
	size_t len;

	if (s < 0) {
		snprintf(buf, size, "timer");
		return;
	}
	if (!opts.absolute && f->has_isn[s])
		seq -= f->isn[s];
	if (!opts.absolute && f->has_isn[!s])
		ack -= f->isn[!s];
	tt_tcp_flags_str(n->tcp_flags, flags, sizeof(flags));
	len = snprintf(buf, size, "%s seq=%u", flags, seq);
	if ((n->tcp_flags & TT_TCP_ACK) && len < size)
		len += snprintf(buf + len, size - len, " ack=%u", ack);
	if (n->len && len < size)
		snprintf(buf + len, size - len, " len=%u", n->len);
}

/* --- JSON -------------------------------------------------------------- */

static void anomalies_json(struct json *j, const char *key, uint32_t bits)
{
	unsigned int b;

	json_array(j, key);
	for (b = 0; b < __TT_ANOM_MAX; b++)
		if (bits & (1U << b))
			json_str(j, NULL, tt_anomaly_name(b));
	json_array_end(j);
}

/* The members of a note: history entries and transition/anomaly events. */
static void note_json(struct json *j, const struct note *n)
{
	char flags[32];

	json_u64(j, "time_ms", n->time_ms);
	json_str(j, "endpoint", tt_who_name(n->endpoint));
	json_str(j, "from", tt_state_name(n->from));
	json_str(j, "to", tt_state_name(n->to));
	json_str(j, "why", tt_why_name(n->why));
	json_str(j, "sender", tt_who_name(n->sender));
	tt_tcp_flags_str(n->tcp_flags, flags, sizeof(flags));
	json_str(j, "flags", n->sender == TT_WHO_NONE ? "" : flags);
	json_u64(j, "seq", n->seq);
	json_u64(j, "ack", n->ack);
	json_u64(j, "len", n->len);
	anomalies_json(j, "raised", n->anomalies);
}

/**
 * print_flow_json() - the members of a flow, into an open object
 * @j: the writer
 * @f: the flow
 */
void print_flow_json(struct json *j, const struct flow *f)
{
	char ep[ENDPOINT_STRLEN];

	json_u64(j, "id", f->id);
	json_str(j, "family", family_name(f->family));
	endpoint_str(f, 0, ep, sizeof(ep));
	json_str(j, "client", ep);
	endpoint_str(f, 1, ep, sizeof(ep));
	json_str(j, "server", ep);
	json_str(j, "client_state", tt_state_name(f->state[0]));
	json_str(j, "server_state", tt_state_name(f->state[1]));
	json_str(j, "opener", tt_who_name(f->opener));
	json_str(j, "closer", tt_who_name(f->closer));
	json_str(j, "outcome", tt_outcome_name(f->outcome));
	anomalies_json(j, "anomalies", f->anomalies);
	json_str(j, "local", tt_local_name(f->flags));
	json_bool(j, "picked_up", f->flags & TT_FLOW_F_PICKED_UP);
	json_bool(j, "established", f->flags & TT_FLOW_F_ESTABLISHED);
	json_u64(j, "client_packets", f->packets[0]);
	json_u64(j, "client_bytes", f->bytes[0]);
	json_u64(j, "server_packets", f->packets[1]);
	json_u64(j, "server_bytes", f->bytes[1]);
	if (f->has_isn[0])
		json_u64(j, "client_isn", f->isn[0]);
	if (f->has_isn[1])
		json_u64(j, "server_isn", f->isn[1]);
	json_u64(j, "age_ms", f->age_ms);
	json_u64(j, "state_age_ms", f->state_age_ms);
	if (f->has_time_wait)
		json_u64(j, "time_wait_left_ms", f->time_wait_left_ms);
}

/* --- aligned tables --------------------------------------------------- */

/**
 * struct table - rows of cells, printed with each column as wide as its
 * widest cell
 * @ncols: columns
 * @nrows: rows, the header included
 * @cap: rows allocated
 * @cells: @nrows * @ncols cells
 * @colors: the colour of each cell
 */
struct table {
	unsigned int ncols;
	unsigned int nrows;
	unsigned int cap;
	char (*cells)[CELL_MAX];
	enum color *colors;
};

static int table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 16;
		void *c = realloc(t->cells, (size_t)cap * t->ncols *
				  sizeof(*t->cells));

		if (!c)
			return -1;
		t->cells = c;
		c = realloc(t->colors, (size_t)cap * t->ncols *
			    sizeof(*t->colors));
		if (!c)
			return -1;
		t->colors = c;
		t->cap = cap;
	}
	memset(t->cells[t->nrows * t->ncols], 0,
	       t->ncols * sizeof(*t->cells));
	memset(&t->colors[t->nrows * t->ncols], 0,
	       t->ncols * sizeof(*t->colors));
	t->nrows++;
	return 0;
}

static void table_set(struct table *t, unsigned int col, enum color c,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void table_set(struct table *t, unsigned int col, enum color c,
		      const char *fmt, ...)
{
	unsigned int i = (t->nrows - 1) * t->ncols + col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->cells[i], CELL_MAX, fmt, ap);
	va_end(ap);
	t->colors[i] = c;
}

static void table_print(struct table *t, const char *indent)
{
	unsigned int r, c, w[16] = {};

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols && c < 16; c++) {
			unsigned int l = strlen(t->cells[r * t->ncols + c]);

			if (l > w[c])
				w[c] = l;
		}
	for (r = 0; r < t->nrows; r++) {
		fputs(indent, stdout);
		for (c = 0; c < t->ncols; c++) {
			unsigned int i = r * t->ncols + c;
			bool last = c + 1 == t->ncols;

			printf("%s%-*s%s%s", color_on(t->colors[i]),
			       last ? 0 : (int)w[c], t->cells[i],
			       color_off(t->colors[i]), last ? "\n" : "  ");
		}
	}
	free(t->cells);
	free(t->colors);
	memset(t, 0, sizeof(*t));
}

/* --- flows -------------------------------------------------------------- */

static void anomalies_text(uint32_t bits, char *buf, size_t size)
{
	tt_anomalies_str(bits, buf, size);
}

/**
 * print_flows() - the answer of `list`
 * @flows: the flows
 * @n: how many
 */
void print_flows(struct flow *flows, unsigned int n)
{
	static const char * const head[] = {
		"Id", "Client", "Server", "Client-state", "Server-state",
		"Local", "Age", "Outcome", "Anomalies",
		"C-pkts", "C-bytes", "S-pkts", "S-bytes", "C-isn", "S-isn",
		"TW-left",
	};
	struct table t = { .ncols = opts.extended ? 16 : 9 };
	char buf[CELL_MAX];
	unsigned int i, c;
	struct json j;

	if (opts.json) {
		for (i = 0; i < n; i++) {
			json_begin(&j, stdout);
			print_flow_json(&j, &flows[i]);
			json_end(&j);
		}
		return;
	}
	if (table_row(&t))
		return;
	for (c = 0; c < t.ncols; c++)
		table_set(&t, c, C_BOLD, "%s", head[c]);
	for (i = 0; i < n; i++) {
		const struct flow *f = &flows[i];

		if (table_row(&t))
			break;
		table_set(&t, 0, C_NONE, "%llu", (unsigned long long)f->id);
		endpoint_str(f, 0, buf, sizeof(buf));
		table_set(&t, 1, C_NONE, "%s", buf);
		endpoint_str(f, 1, buf, sizeof(buf));
		table_set(&t, 2, C_NONE, "%s", buf);
		table_set(&t, 3, state_color(f->state[0]), "%s",
			  tt_state_name(f->state[0]));
		table_set(&t, 4, state_color(f->state[1]), "%s",
			  tt_state_name(f->state[1]));
		table_set(&t, 5, C_NONE, "%s", tt_local_name(f->flags));
		time_str(f->age_ms, buf, sizeof(buf));
		table_set(&t, 6, C_NONE, "%s", buf);
		table_set(&t, 7, C_NONE, "%s", tt_outcome_name(f->outcome));
		anomalies_text(f->anomalies, buf, sizeof(buf));
		table_set(&t, 8, f->anomalies ? C_RED : C_NONE, "%s", buf);
		if (!opts.extended)
			continue;
		table_set(&t, 9, C_NONE, "%llu",
			  (unsigned long long)f->packets[0]);
		table_set(&t, 10, C_NONE, "%llu",
			  (unsigned long long)f->bytes[0]);
		table_set(&t, 11, C_NONE, "%llu",
			  (unsigned long long)f->packets[1]);
		table_set(&t, 12, C_NONE, "%llu",
			  (unsigned long long)f->bytes[1]);
		for (c = 0; c < 2; c++) {
			if (f->has_isn[c])
				table_set(&t, 13 + c, C_NONE, "%u", f->isn[c]);
			else
				table_set(&t, 13 + c, C_NONE, "-");
		}
		if (f->has_time_wait)
			time_str(f->time_wait_left_ms, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "-");
		table_set(&t, 15, C_NONE, "%s", buf);
	}
	table_print(&t, "");
}

/**
 * print_show() - the answer of `show`: the flow and its history
 * @f: the flow, with its history
 */
void print_show(const struct flow *f)
{
	static const char * const head[] = {
		"Time", "Endpoint", "From", "To", "Why", "Segment", "Sender",
	};
	char ep[2][ENDPOINT_STRLEN], age[32], sage[32], buf[CELL_MAX];
	struct table t = { .ncols = 7 };
	unsigned int i, w;
	struct json j;

	if (opts.json) {
		json_begin(&j, stdout);
		print_flow_json(&j, f);
		json_array(&j, "history");
		for (i = 0; i < f->nhist; i++) {
			json_object(&j, NULL);
			note_json(&j, &f->hist[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_end(&j);
		return;
	}
	endpoint_str(f, 0, ep[0], sizeof(ep[0]));
	endpoint_str(f, 1, ep[1], sizeof(ep[1]));
	printf("%sflow %llu%s  %s  %s -> %s\n", color_on(C_BOLD),
	       (unsigned long long)f->id, color_off(C_BOLD),
	       family_name(f->family), ep[0], ep[1]);
	for (w = 0; w < 2; w++) {
		printf("  %-7s %-*s  %s%-12s%s  sent %llu segments, %llu bytes",
		       w ? "server" : "client",
		       (int)(strlen(ep[0]) > strlen(ep[1]) ? strlen(ep[0]) :
			     strlen(ep[1])), ep[w],
		       color_on(state_color(f->state[w])),
		       tt_state_name(f->state[w]),
		       color_off(state_color(f->state[w])),
		       (unsigned long long)f->packets[w],
		       (unsigned long long)f->bytes[w]);
		if (f->has_isn[w])
			printf(", ISN %u", f->isn[w]);
		printf("\n");
	}
	time_str(f->age_ms, age, sizeof(age));
	time_str(f->state_age_ms, sage, sizeof(sage));
	anomalies_text(f->anomalies, buf, sizeof(buf));
	printf("  opener %s, closer %s, outcome %s, local %s\n",
	       tt_who_name(f->opener), tt_who_name(f->closer),
	       tt_outcome_name(f->outcome), tt_local_name(f->flags));
	printf("  age %s, last state change %s ago, anomalies %s%s%s\n", age,
	       sage, color_on(f->anomalies ? C_RED : C_NONE), buf,
	       color_off(f->anomalies ? C_RED : C_NONE));
	if (f->has_time_wait) {
		time_str(f->time_wait_left_ms, buf, sizeof(buf));
		printf("  TIME_WAIT ends in %s\n", buf);
	}
	printf("  history: %u notes, oldest first\n", f->nhist);
	if (!f->nhist || table_row(&t))
		return;
	for (i = 0; i < t.ncols; i++)
		table_set(&t, i, C_BOLD, "%s", head[i]);
	for (i = 0; i < f->nhist; i++) {
		const struct note *n = &f->hist[i];

		if (table_row(&t))
			break;
		time_str(n->time_ms, buf, sizeof(buf));
		table_set(&t, 0, C_NONE, "+%s", buf);
		table_set(&t, 1, C_NONE, "%s", tt_who_name(n->endpoint));
		table_set(&t, 2, state_color(n->from), "%s",
			  tt_state_name(n->from));
		table_set(&t, 3, state_color(n->to), "%s",
			  n->to == n->from ? "-" : tt_state_name(n->to));
		table_set(&t, 4, n->to == n->from ? C_RED : C_NONE, "%s",
			  tt_why_name(n->why));
		seg_str(f, n, buf, sizeof(buf));
		table_set(&t, 5, C_NONE, "%s", buf);
		table_set(&t, 6, C_NONE, "%s", tt_who_name(n->sender));
	}
	table_print(&t, "    ");
}

/* --- events ------------------------------------------------------------- */

static void lost_text(const struct event *ev)
{
	printf("%s!! events lost: the receive buffer overflowed (ENOBUFS)",
	       color_on(C_RED));
	if (ev->has_dropped)
		printf("; %llu dropped for this listener", ev->dropped);
	if (ev->has_events_lost)
		printf("; module events_lost +%llu", ev->events_lost);
	printf("%s\n", color_off(C_RED));
}

/**
 * print_event() - one event of `monitor` or `replay`, as one line
 * @ev: the event
 */
void print_event(const struct event *ev)
{
	const struct flow *f = &ev->flow;
	const struct note *n = &ev->note;
	char ep[2][ENDPOINT_STRLEN], seg[96], t[32];
	struct json j;

	if (opts.json) {
		json_begin(&j, stdout);
		json_str(&j, "type", event_type_name(ev->type));
		if (ev->type == EV_LOST) {
			json_str(&j, "error", "ENOBUFS");
			if (ev->has_dropped)
				json_u64(&j, "dropped", ev->dropped);
			if (ev->has_events_lost)
				json_u64(&j, "events_lost", ev->events_lost);
		} else {
			print_flow_json(&j, f);
			if (ev->type == EV_TRANSITION ||
			    ev->type == EV_ANOMALY)
				note_json(&j, n);
		}
		json_end(&j);
		return;
	}
	if (ev->type == EV_LOST) {
		lost_text(ev);
		fflush(stdout);
		return;
	}
	endpoint_str(f, 0, ep[0], sizeof(ep[0]));
	endpoint_str(f, 1, ep[1], sizeof(ep[1]));
	printf("%s%-10s%s #%-4llu %s -> %s", color_on(C_BOLD),
	       event_type_name(ev->type), color_off(C_BOLD),
	       (unsigned long long)f->id, ep[0], ep[1]);
	switch (ev->type) {
	case EV_NEW:
		time_str(f->age_ms, t, sizeof(t));
		printf("  %s +%s\n", family_name(f->family), t);
		break;
	case EV_END:
		time_str(f->age_ms, t, sizeof(t));
		printf("  outcome %s +%s\n", tt_outcome_name(f->outcome), t);
		break;
	default:
		time_str(n->time_ms, t, sizeof(t));
		seg_str(f, n, seg, sizeof(seg));
		printf("  %-6s %s%s%s", tt_who_name(n->endpoint),
		       color_on(state_color(n->from)), tt_state_name(n->from),
		       color_off(state_color(n->from)));
		if (ev->type == EV_TRANSITION)
			printf(" -> %s%s%s", color_on(state_color(n->to)),
			       tt_state_name(n->to),
			       color_off(state_color(n->to)));
		printf("  %s%s%s  [%s] +%s\n",
		       color_on(ev->type == EV_ANOMALY ? C_RED : C_NONE),
		       tt_why_name(n->why),
		       color_off(ev->type == EV_ANOMALY ? C_RED : C_NONE),
		       seg, t);
		break;
	}
	fflush(stdout);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `ladder FILE...`: one sequence diagram per connection from what was
 * recorded of it: the `monitor --json` output of several network namespaces,
 * and a capture of the network between them.
 *
 * Each side's states come from the file in which that side is local (its
 * own namespace, whose tracker follows its socket); a side that is local in
 * no file is drawn as the first file with the connection guesses it.  The
 * left side is the client of the first file that has the connection.
 *
 * A capture made with `tcpdump -i any` on a router (Linux cooked capture)
 * says of each packet whether it came into the network or went out of it.
 * Every segment is then drawn: one that went in and never came out as lost,
 * one that came out without going in as coming from the network itself, and
 * one that was on its way while something else happened as two rows, where
 * it leaves and where it arrives.  Each note is put on the segment it was
 * made for: its sender's notes where the segment left, its receiver's where
 * it arrived.  A flow's notes count their time from its first segment, and
 * the capture dates that segment.  Without a capture only the segments that
 * made a note are drawn: each side's notes in their order, the two sides'
 * clocks lined up on the first segment both noted.
 *
 * This file reads the event files into connections and is the subcommand;
 * merge.h says where the rest is.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "merge.h"
#include "svg.h"
#include "tcptracectl.h"

#define LINE_MAX_LEN	8192

/* --- reading the events ------------------------------------------------- */

static unsigned int swap_who(unsigned int w)
{
	return w == TT_WHO_CLIENT ? TT_WHO_SERVER :
	       w == TT_WHO_SERVER ? TT_WHO_CLIENT : w;
}

/* Turn a flow end for end: its server becomes index 0. */
static void swap_flow(struct flow *f)
{
	uint8_t a[16], st;
	uint32_t flags = f->flags, isn;
	uint64_t v;
	uint16_t p;
	bool h;

#define SWAP(x, y, t) do { t = x; x = y; y = t; } while (0)
	memcpy(a, f->addr[0], 16);
	memcpy(f->addr[0], f->addr[1], 16);
	memcpy(f->addr[1], a, 16);
	SWAP(f->port[0], f->port[1], p);
	SWAP(f->state[0], f->state[1], st);
	SWAP(f->packets[0], f->packets[1], v);
	SWAP(f->bytes[0], f->bytes[1], v);
	SWAP(f->isn[0], f->isn[1], isn);
	SWAP(f->has_isn[0], f->has_isn[1], h);
#undef SWAP
	f->opener = swap_who(f->opener);
	f->closer = swap_who(f->closer);
	f->flags &= ~(TT_FLOW_F_CLIENT_LOCAL | TT_FLOW_F_SERVER_LOCAL);
	if (flags & TT_FLOW_F_CLIENT_LOCAL)
		f->flags |= TT_FLOW_F_SERVER_LOCAL;
	if (flags & TT_FLOW_F_SERVER_LOCAL)
		f->flags |= TT_FLOW_F_CLIENT_LOCAL;
}

static bool same_end(const struct flow *f, unsigned int i,
		     const struct flow *g, unsigned int j)
{
	return f->family == g->family && f->port[i] == g->port[j] &&
	       !memcmp(f->addr[i], g->addr[j], addr_len(f->family));
}

/* The connection of @f, turned to it (0) or end for end (1); or -1. */
static int find_pair(struct merge *m, const struct flow *f, int *swapped)
{
	unsigned int i;

	for (i = 0; i < m->npairs; i++) {
		const struct flow *p = &m->pairs[i].f;

		if (same_end(p, 0, f, 0) && same_end(p, 1, f, 1)) {
			*swapped = 0;
			return i;
		}
		if (same_end(p, 0, f, 1) && same_end(p, 1, f, 0)) {
			*swapped = 1;
			return i;
		}
	}
	return -1;
}

static int add_event(struct merge *m, struct event *ev, unsigned int file)
{
	struct pair *p;
	struct rev *r;
	int i, swapped = 0;

	i = find_pair(m, &ev->flow, &swapped);
	if (i < 0) {
		p = ARRAY_PUSH(m->pairs, m->npairs, m->pairs_cap);
		if (!p)
			return -ENOMEM;
		memset(p, 0, sizeof(*p));
		p->f = ev->flow;
		p->auth[0] = p->auth[1] = -1;
	} else {
		p = &m->pairs[i];
	}
	if (swapped) {
		swap_flow(&ev->flow);
		ev->note.endpoint = swap_who(ev->note.endpoint);
		ev->note.sender = swap_who(ev->note.sender);
	}
	r = ARRAY_PUSH(p->ev, p->nev, p->ev_cap);
	if (!r)
		return -ENOMEM;
	r->ev = *ev;
	r->file = file;
	p->f = ev->flow;
	return 0;
}

static int read_events(struct merge *m, unsigned int file)
{
	struct json_obj *o;
	struct event ev;
	char *line;
	FILE *fp;
	int err = 0, ret;
	unsigned int lineno = 0;

	fp = fopen(m->files[file], "r");
	if (!fp) {
		error_msg("ladder: %s: %s", m->files[file], strerror(errno));
		return -errno;
	}
	line = malloc(LINE_MAX_LEN);
	o = malloc(sizeof(*o));
	if (!line || !o) {
		err = -ENOMEM;
		goto out;
	}
	while (fgets(line, LINE_MAX_LEN, fp)) {
		lineno++;
		if (line[0] != '{')
			continue;
		if (json_read_line(line, o)) {
			error_msg("ladder: %s:%u: not a line of --json output",
				  m->files[file], lineno);
			err = -EINVAL;
			break;
		}
		ret = json_event(o, &ev);
		if (ret < 0) {
			error_msg("ladder: %s:%u: an event without its endpoints",
				  m->files[file], lineno);
			err = ret;
			break;
		}
		if (ret == 0) {
			err = add_event(m, &ev, file);
			if (err)
				break;
		}
	}
out:
	free(o);
	free(line);
	fclose(fp);
	return err;
}

/* Number each file's flows of a connection in order: its incarnations. */
static void number_flows(struct pair *p)
{
	uint64_t ids[MAX_FILES][64];
	unsigned int n[MAX_FILES] = { 0 }, i, k;

	for (i = 0; i < p->nev; i++) {
		struct rev *r = &p->ev[i];

		for (k = 0; k < n[r->file]; k++)
			if (ids[r->file][k] == r->ev.flow.id)
				break;
		if (k == n[r->file] && k < 64)
			ids[r->file][n[r->file]++] = r->ev.flow.id;
		r->flowno = k;
	}
}

/* Which file each side's states come from: where that side is local. */
static void choose_auth(struct pair *p)
{
	unsigned int i, s;

	for (i = 0; i < p->nev; i++)
		for (s = 0; s < 2; s++)
			if (p->auth[s] < 0 && (p->ev[i].ev.flow.flags &
			    (s ? TT_FLOW_F_SERVER_LOCAL :
				 TT_FLOW_F_CLIENT_LOCAL)))
				p->auth[s] = p->ev[i].file;
	/* Files come in order: the events of the first one come first. */
	for (s = 0; s < 2; s++)
		if (p->auth[s] < 0 && p->nev) {
			p->auth[s] = p->ev[0].file;
			p->guess[s] = true;
		}
}

/* --- the subcommand ------------------------------------------------------- */

static int parse_args(struct merge *m, int argc, char **argv)
{
	int a = 1, err;

	while (a < argc) {
		if (!strcmp(argv[a], "--wire")) {
			if (a + 1 >= argc || m->wire)
				return usage_error("ladder: --wire takes one capture file");
			m->wire = argv[a + 1];
			a += 2;
			continue;
		}
		if (argv[a][0] == '-' && argv[a][1])
			return usage_error("ladder: unknown option '%s'",
					   argv[a]);
		err = filter_parse(&m->filter, argc, argv, &a);
		if (err < 0)
			return err;
		if (err == 0)
			continue;
		if (m->nfiles == MAX_FILES)
			return usage_error("ladder: at most %d files",
					   MAX_FILES);
		m->files[m->nfiles++] = argv[a++];
	}
	if (!m->nfiles)
		return usage_error("ladder needs the --json output of monitor (or replay)");
	if (opts.json)
		return usage_error("ladder draws; --json does not apply");
	return opts.svg ? svg_open(opts.svg, &m->svg) : 0;
}

int cmd_ladder(int argc, char **argv)
{
	struct merge *m;
	unsigned int i, drawn = 0;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = parse_args(m, argc, argv);
	for (i = 0; !err && i < m->nfiles; i++)
		err = read_events(m, i);
	for (i = 0; !err && i < m->npairs; i++) {
		number_flows(&m->pairs[i]);
		choose_auth(&m->pairs[i]);
	}
	if (!err && m->wire)
		err = read_wire(m);
	for (i = 0; !err && i < m->npairs; i++) {
		if (!filter_match(&m->filter, &m->pairs[i].f))
			continue;
		if (drawn++ && !m->svg)
			printf("\n");
		err = draw_pair(m, &m->pairs[i]);
	}
	if (m->svg) {
		int serr = svg_close(m->svg);

		err = err ? err : serr;
	}
	for (i = 0; i < m->npairs; i++) {
		free(m->pairs[i].ev);
		free(m->pairs[i].seg);
	}
	free(m->pairs);
	free(m);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `list`: the flows now, from a dump of TT_CMD_FLOW_GET (the module reports
 * each flow present for the whole dump exactly once, however the table
 * changes meanwhile).  `show CLIENT SERVER`: one flow with its history.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "array.h"
#include "filter.h"
#include "genl.h"
#include "ladder.h"
#include "owner.h"
#include "print.h"
#include "tcptracectl.h"

/* The flows of a dump, growing. */
struct flows {
	struct flow *v;
	unsigned int n;
	size_t cap;
	const struct filter *filter;
	int err;
};

static void flows_release(struct flows *fl)
{
	unsigned int i;

	for (i = 0; i < fl->n; i++)
		flow_free(&fl->v[i]);
	free(fl->v);
}

static int top_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, TT_A_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attr) == TT_A_FLOW &&
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int flow_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TT_A_MAX + 1] = {};
	struct flows *fl = data;
	struct flow f;
	int err;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, tb) < 0 ||
	    !tb[TT_A_FLOW]) {
		fl->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	err = flow_parse(tb[TT_A_FLOW], &f);
	if (err) {
		fl->err = err;
		return MNL_CB_ERROR;
	}
	if (f.flags & TT_FLOW_F_SEQ_HIDDEN)
		seq_hidden_notice();
	if (fl->filter && !filter_match(fl->filter, &f)) {
		flow_free(&f);
		return MNL_CB_OK;
	}
	if (array_reserve(&fl->v, &fl->cap, fl->n + 1, sizeof(*fl->v), 256)) {
		flow_free(&f);
		fl->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	fl->v[fl->n++] = f;
	return MNL_CB_OK;
}

static int by_id(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int cmd_list(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct filter filter = {};
	struct flows fl = { .filter = &filter };
	struct nlmsghdr *nlh;
	struct genl g;
	int err, a = 1;

	while (a < argc) {
		err = filter_parse(&filter, argc, argv, &a);
		if (err < 0)
			return err;
		if (err > 0)
			return usage_error("list: unknown argument '%s'", argv[a]);
	}
	if (opts.ladder)
		return usage_error("list has no --ladder: use show --ladder or monitor --ladder");
	err = genl_open(&g);
	if (err)
		return err;
	nlh = genl_request(&g, buf, TT_CMD_FLOW_GET, NLM_F_DUMP);
	err = genl_talk(&g, nlh, flow_cb, &fl);
	if (err) {
		genl_report(&g, "list", fl.err ? fl.err : err);
		goto out;
	}
	if (g.dump_intr && !opts.json)
		error_msg("note: the table changed during the dump; flows that came or went meanwhile may be missing");
	qsort(fl.v, fl.n, sizeof(*fl.v), by_id);
	owner_mode(OWNER_ONCE);		/* /proc read once, after the dump */
	print_flows(fl.v, fl.n);
out:
	flows_release(&fl);
	genl_close(&g);
	return err;
}

int cmd_show(int argc, char **argv)
{
	uint8_t fam[2], addr[2][16];
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct flows fl = {};
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	struct genl g;
	uint16_t port[2];
	unsigned int i;
	int err;

	if (argc != 3)
		return usage_error("show needs CLIENT SERVER, e.g. show 10.0.0.1:40000 10.0.0.2:80");
	for (i = 0; i < 2; i++)
		if (endpoint_parse(argv[1 + i], &fam[i], addr[i], &port[i]))
			return usage_error("bad endpoint '%s': ADDR:PORT, or [ADDR]:PORT for IPv6",
					   argv[1 + i]);
	if (fam[0] != fam[1])
		return usage_error("show: one IPv4 and one IPv6 endpoint");
	if (opts.json && opts.ladder)
		return usage_error("--json and --ladder do not mix");

	err = genl_open(&g);
	if (err)
		return err;
	nlh = genl_request(&g, buf, TT_CMD_FLOW_GET, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, TT_A_FLOW);
	mnl_attr_put_u8(nlh, TT_A_FLOW_FAMILY, fam[0]);
	mnl_attr_put(nlh, TT_A_FLOW_CLIENT_ADDR, addr_len(fam[0]), addr[0]);
	mnl_attr_put_u16(nlh, TT_A_FLOW_CLIENT_PORT, htons(port[0]));
	mnl_attr_put(nlh, TT_A_FLOW_SERVER_ADDR, addr_len(fam[0]), addr[1]);
	mnl_attr_put_u16(nlh, TT_A_FLOW_SERVER_PORT, htons(port[1]));
	mnl_attr_nest_end(nlh, nest);
	err = genl_talk(&g, nlh, flow_cb, &fl);
	if (err) {
		if (err == -ENOENT)
			error_msg("no flow %s %s in this network namespace",
				  argv[1], argv[2]);
		else
			genl_report(&g, "show", fl.err ? fl.err : err);
		goto out;
	}
	if (fl.n != 1) {
		error_msg("show: the module answered with %u flows", fl.n);
		err = -EBADMSG;
		goto out;
	}
	owner_mode(OWNER_ONCE);
	if (opts.ladder)	/* or --svg */
		err = ladder_show(&fl.v[0]);
	else
		print_show(&fl.v[0]);
out:
	flows_release(&fl);
	genl_close(&g);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * `stats`, `config` and `flush`: the counters and the configuration of this
 * network namespace, and emptying its table.  Values are checked here only
 * for their syntax; the module checks their range and says which attribute
 * it refused (printed from its extended ack).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "json.h"
#include "print.h"
#include "tcptracectl.h"

/* The counters, named as /proc/tcptrace_stats names them. */
static const char * const stat_names[TT_A_STATS_MAX + 1] = {
	[TT_A_STATS_FLOWS] = "flows",
	[TT_A_STATS_SEGMENTS] = "segments",
	[TT_A_STATS_FLOWS_CREATED] = "flows_created",
	[TT_A_STATS_FLOWS_ENDED] = "flows_ended",
	[TT_A_STATS_EVICTED] = "evicted",
	[TT_A_STATS_EXPIRED] = "expired",
	[TT_A_STATS_MALFORMED] = "malformed",
	[TT_A_STATS_FRAGMENTS] = "fragments",
	[TT_A_STATS_FILTERED] = "filtered",
	[TT_A_STATS_ALLOC_FAILED] = "alloc_failed",
	[TT_A_STATS_TABLE_FULL] = "table_full",
	[TT_A_STATS_EVENTS_LOST] = "events_lost",
	[TT_A_STATS_FLOWS_ALL] = "flows_all",
	[TT_A_STATS_MAX_FLOWS] = "max_flows",
	[TT_A_STATS_EVICTED_ENDED] = "evicted_ended",
	[TT_A_STATS_EVICTED_TIME_WAIT] = "evicted_time_wait",
	[TT_A_STATS_EVICTED_HANDSHAKE] = "evicted_handshake",
	[TT_A_STATS_EVICTED_ESTABLISHED] = "evicted_established",
};

/*
 * The order /proc/tcptrace_stats prints them in.  A counter the module did
 * not send is not printed: flows_all, the host-wide count, comes only in
 * the initial network namespace.
 */
static const int stat_order[] = {
	TT_A_STATS_FLOWS, TT_A_STATS_SEGMENTS, TT_A_STATS_FLOWS_CREATED,
	TT_A_STATS_FLOWS_ENDED, TT_A_STATS_EVICTED, TT_A_STATS_EXPIRED,
	TT_A_STATS_MALFORMED, TT_A_STATS_FRAGMENTS, TT_A_STATS_FILTERED,
	TT_A_STATS_ALLOC_FAILED, TT_A_STATS_TABLE_FULL,
	TT_A_STATS_EVENTS_LOST, TT_A_STATS_EVICTED_ENDED,
	TT_A_STATS_EVICTED_TIME_WAIT, TT_A_STATS_EVICTED_HANDSHAKE,
	TT_A_STATS_EVICTED_ESTABLISHED, TT_A_STATS_FLOWS_ALL,
	TT_A_STATS_MAX_FLOWS,
};

static int nest_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, TT_A_MAX) < 0)
		return MNL_CB_OK;
	if ((type == TT_A_STATS || type == TT_A_CONFIG) &&
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, TT_A_STATS_MAX) < 0 ||
	    type == TT_A_STATS_PAD)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

struct stats {
	unsigned long long *v;
	bool *present;
	unsigned int n;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[TT_A_MAX + 1] = {};
	const struct nlattr *tb[TT_A_STATS_MAX + 1] = {};
	struct stats *s = data;
	unsigned int i;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nest_cb, top) < 0 ||
	    !top[TT_A_STATS] ||
	    mnl_attr_parse_nested(top[TT_A_STATS], stats_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	for (i = 0; i < s->n && i <= TT_A_STATS_MAX; i++) {
		if (!tb[i])
			continue;
		s->v[i] = mnl_attr_get_u64(tb[i]);
		if (s->present)
			s->present[i] = true;
	}
	return MNL_CB_OK;
}

/**
 * stats_fetch() - the counters of this namespace
 * @g: an open socket
 * @v: filled in, indexed by enum tt_stats_attr
 * @present: set true for each counter the module sent, or NULL
 * @n: entries of @v (and of @present)
 *
 * Return: 0 or -errno.
 */
int stats_fetch(struct genl *g, unsigned long long *v, bool *present,
		unsigned int n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stats s = { .v = v, .present = present, .n = n };
	struct nlmsghdr *nlh;

	nlh = genl_request(g, buf, TT_CMD_STATS_GET, NLM_F_ACK);
	return genl_talk(g, nlh, stats_cb, &s);
}

int cmd_stats(int argc, char **argv)
{
	unsigned long long v[TT_A_STATS_MAX + 1] = {};
	bool present[TT_A_STATS_MAX + 1] = {};
	struct genl g;
	unsigned int i;
	struct json j;
	int err;

	(void)argv;
	if (argc > 1)
		return usage_error("stats takes no arguments");
	err = genl_open(&g);
	if (err)
		return err;
	err = stats_fetch(&g, v, present, TT_A_STATS_MAX + 1);
	if (err) {
		genl_report(&g, "stats", err);
		goto out;
	}
	if (opts.json)
		json_begin(&j, stdout);
	for (i = 0; i < ARRAY_SIZE(stat_order); i++) {
		const char *name = stat_names[stat_order[i]];

		if (!present[stat_order[i]])
			continue;
		if (opts.json)
			json_u64(&j, name, v[stat_order[i]]);
		else
			printf("%-19s %llu\n", name, v[stat_order[i]]);
	}
	if (opts.json)
		json_end(&j);
out:
	genl_close(&g);
	return err;
}

/* --- config -------------------------------------------------------------- */

/**
 * struct config - TT_A_CONFIG_* as read or to be set
 * @enabled: TT_A_CONFIG_ENABLED
 * @port: TT_A_CONFIG_PORT, 0 for all
 * @addr_family: TT_A_CONFIG_ADDR_FAMILY, 0 for no address filter
 * @plen: TT_A_CONFIG_PREFIX_LEN
 * @addr: TT_A_CONFIG_ADDR
 * @history: TT_A_CONFIG_HISTORY
 * @msl: TT_A_CONFIG_MSL
 * @linger: TT_A_CONFIG_LINGER
 * @idle_timeout: TT_A_CONFIG_IDLE_TIMEOUT
 * @max_flows: TT_A_CONFIG_MAX_FLOWS
 */
struct config {
	uint8_t enabled;
	uint16_t port;
	uint8_t addr_family;
	uint8_t plen;
	uint8_t addr[16];
	uint32_t history;
	uint32_t msl;
	uint32_t linger;
	uint32_t idle_timeout;
	uint32_t max_flows;
};

static int config_attr_cb(const struct nlattr *attr, void *data)
{
	static const enum mnl_attr_data_type types[TT_A_CONFIG_MAX + 1] = {
		[TT_A_CONFIG_ENABLED] = MNL_TYPE_U8,
		[TT_A_CONFIG_PORT] = MNL_TYPE_U16,
		[TT_A_CONFIG_ADDR_FAMILY] = MNL_TYPE_U8,
		[TT_A_CONFIG_PREFIX_LEN] = MNL_TYPE_U8,
		[TT_A_CONFIG_HISTORY] = MNL_TYPE_U32,
		[TT_A_CONFIG_MSL] = MNL_TYPE_U32,
		[TT_A_CONFIG_LINGER] = MNL_TYPE_U32,
		[TT_A_CONFIG_IDLE_TIMEOUT] = MNL_TYPE_U32,
		[TT_A_CONFIG_MAX_FLOWS] = MNL_TYPE_U32,
	};
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, TT_A_CONFIG_MAX) < 0)
		return MNL_CB_OK;
	if (type == TT_A_CONFIG_ADDR) {
		if (mnl_attr_get_payload_len(attr) != 4 &&
		    mnl_attr_get_payload_len(attr) != 16)
			return MNL_CB_ERROR;
	} else if (types[type] != MNL_TYPE_UNSPEC &&
		   mnl_attr_validate(attr, types[type]) < 0) {
		return MNL_CB_ERROR;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[TT_A_MAX + 1] = {};
	const struct nlattr *tb[TT_A_CONFIG_MAX + 1] = {};
	struct config *c = data;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), nest_cb, top) < 0 ||
	    !top[TT_A_CONFIG] ||
	    mnl_attr_parse_nested(top[TT_A_CONFIG], config_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
#define U(attr, field, get) do { if (tb[attr]) c->field = get(tb[attr]); } while (0)
	U(TT_A_CONFIG_ENABLED, enabled, mnl_attr_get_u8);
	U(TT_A_CONFIG_PORT, port, mnl_attr_get_u16);
	U(TT_A_CONFIG_ADDR_FAMILY, addr_family, mnl_attr_get_u8);
	U(TT_A_CONFIG_PREFIX_LEN, plen, mnl_attr_get_u8);
	U(TT_A_CONFIG_HISTORY, history, mnl_attr_get_u32);
	U(TT_A_CONFIG_MSL, msl, mnl_attr_get_u32);
	U(TT_A_CONFIG_LINGER, linger, mnl_attr_get_u32);
	U(TT_A_CONFIG_IDLE_TIMEOUT, idle_timeout, mnl_attr_get_u32);
	U(TT_A_CONFIG_MAX_FLOWS, max_flows, mnl_attr_get_u32);
#undef U
	if (tb[TT_A_CONFIG_ADDR])
		memcpy(c->addr, mnl_attr_get_payload(tb[TT_A_CONFIG_ADDR]),
		       mnl_attr_get_payload_len(tb[TT_A_CONFIG_ADDR]));
	return MNL_CB_OK;
}

static void config_print(const struct config *c)
{
	char a[INET6_ADDRSTRLEN + 8] = "";
	struct json j;

	if (c->addr_family) {
		inet_ntop(c->addr_family, c->addr, a, sizeof(a));
		snprintf(a + strlen(a), sizeof(a) - strlen(a), "/%u", c->plen);
	}
	if (opts.json) {
		json_begin(&j, stdout);
		json_bool(&j, "enabled", c->enabled);
		json_u64(&j, "port", c->port);
		if (c->addr_family)
			json_str(&j, "addr", a);
		json_u64(&j, "history", c->history);
		json_u64(&j, "msl", c->msl);
		json_u64(&j, "linger", c->linger);
		json_u64(&j, "idle_timeout", c->idle_timeout);
		json_u64(&j, "max_flows", c->max_flows);
		json_end(&j);
		return;
	}
	printf("enabled       %s\n", c->enabled ? "on" : "off");
	printf("port          %u%s\n", c->port, c->port ? "" : " (all)");
	printf("addr          %s\n", c->addr_family ? a : "any");
	printf("history       %u\n", c->history);
	printf("msl           %u s (TIME_WAIT lasts %llu s)\n", c->msl,
	       2ULL * c->msl);
	printf("linger        %u s\n", c->linger);
	printf("idle-timeout  %u s\n", c->idle_timeout);
	printf("max-flows     %u\n", c->max_flows);
}

static int config_get(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct config c = {};
	struct nlmsghdr *nlh;
	struct genl g;
	int err;

	err = genl_open(&g);
	if (err)
		return err;
	nlh = genl_request(&g, buf, TT_CMD_CONFIG_GET, NLM_F_ACK);
	err = genl_talk(&g, nlh, config_cb, &c);
	if (err)
		genl_report(&g, "config", err);
	else
		config_print(&c);
	genl_close(&g);
	return err;
}

static int put_bool(struct nlmsghdr *nlh, const char *v)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "1"))
		mnl_attr_put_u8(nlh, TT_A_CONFIG_ENABLED, 1);
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "0"))
		mnl_attr_put_u8(nlh, TT_A_CONFIG_ENABLED, 0);
	else
		return usage_error("enabled is on or off, not '%s'", v);
	return 0;
}

static int put_addr(struct nlmsghdr *nlh, const char *v)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	unsigned long long plen;
	uint8_t a[16], fam;

	if (!strcmp(v, "none") || !strcmp(v, "any")) {
		mnl_attr_put_u8(nlh, TT_A_CONFIG_ADDR_FAMILY, 0);
		return 0;
	}
	if (n == 0 || n >= sizeof(host))
		return usage_error("bad address '%s' (ADDR/PLEN or none)", v);
	memcpy(host, v, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, a) == 1)
		fam = AF_INET;
	else if (inet_pton(AF_INET6, host, a) == 1)
		fam = AF_INET6;
	else
		return usage_error("bad address '%s' (ADDR/PLEN or none)", v);
	mnl_attr_put_u8(nlh, TT_A_CONFIG_ADDR_FAMILY, fam);
	mnl_attr_put(nlh, TT_A_CONFIG_ADDR, fam == AF_INET ? 4 : 16, a);
	if (slash) {
		/* Up to 255: the module says which lengths it takes. */
		if (!parse_uint(slash + 1, 255, &plen))
			return usage_error("bad prefix length in '%s'", v);
		mnl_attr_put_u8(nlh, TT_A_CONFIG_PREFIX_LEN, plen);
	}
	return 0;
}

/* The keys of `config KEY VALUE`, and the attribute each one sets. */
static const struct {
	const char *key;
	int attr;
	unsigned long long max;
} u32_keys[] = {
	{ "history", TT_A_CONFIG_HISTORY, UINT32_MAX },
	{ "msl", TT_A_CONFIG_MSL, UINT32_MAX },
	{ "linger", TT_A_CONFIG_LINGER, UINT32_MAX },
	{ "idle-timeout", TT_A_CONFIG_IDLE_TIMEOUT, UINT32_MAX },
	{ "max-flows", TT_A_CONFIG_MAX_FLOWS, UINT32_MAX },
};

static int put_key(struct nlmsghdr *nlh, const char *key, const char *v)
{
	unsigned long long n;
	unsigned int i;

	if (!strcmp(key, "enabled"))
		return put_bool(nlh, v);
	if (!strcmp(key, "addr"))
		return put_addr(nlh, v);
	if (!strcmp(key, "port")) {
		if (!parse_uint(v, 65535, &n))
			return usage_error("port is 0 (all) to 65535, not '%s'",
					   v);
		mnl_attr_put_u16(nlh, TT_A_CONFIG_PORT, n);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(u32_keys); i++) {
		if (strcmp(key, u32_keys[i].key))
			continue;
		if (!parse_uint(v, u32_keys[i].max, &n))
			return usage_error("%s takes a number, not '%s'", key,
					   v);
		mnl_attr_put_u32(nlh, u32_keys[i].attr, n);
		return 0;
	}
	return usage_error("unknown config key '%s' (enabled, port, addr, history, msl, linger, idle-timeout, max-flows)",
			   key);
}

/* Put the TT_A_CONFIG nest of `config KEY VALUE...` into @nlh. */
static int put_config(struct nlmsghdr *nlh, int argc, char **argv)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, TT_A_CONFIG);
	int a, err;

	for (a = 1; a < argc; a += 2) {
		err = put_key(nlh, argv[a], argv[a + 1]);
		if (err)
			return err;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int cmd_config(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genl g;
	int err;

	if (argc == 1)
		return config_get();
	if (argc % 2 == 0)
		return usage_error("config takes KEY VALUE pairs; '%s' has no value",
				   argv[argc - 1]);
	/* Check every pair before talking: a usage error sends nothing. */
	err = put_config(mnl_nlmsg_put_header(buf), argc, argv);
	if (err)
		return err;

	err = genl_open(&g);
	if (err)
		return err;
	nlh = genl_request(&g, buf, TT_CMD_CONFIG_SET, NLM_F_ACK);
	put_config(nlh, argc, argv);
	err = genl_talk(&g, nlh, NULL, NULL);
	if (err)
		genl_report(&g, "config", err);
	genl_close(&g);
	return err;
}

int cmd_flush(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genl g;
	int err;

	(void)argv;
	if (argc > 1)
		return usage_error("flush takes no arguments");
	err = genl_open(&g);
	if (err)
		return err;
	nlh = genl_request(&g, buf, TT_CMD_FLUSH, NLM_F_ACK);
	err = genl_talk(&g, nlh, NULL, NULL);
	if (err)
		genl_report(&g, "flush", err);
	genl_close(&g);
	return err;
}

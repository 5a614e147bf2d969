// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Flow filters.  State names are the module's own (tt_state_name()), read
 * without regard to case and with '-' for '_': "time-wait" is TIME_WAIT.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "filter.h"
#include "tcptracectl.h"

/**
 * state_parse() - a state from its name
 * @s: "ESTABLISHED", "established", "time-wait", ...
 *
 * Return: enum tt_state, or -EINVAL.
 */
int state_parse(const char *s)
{
	char buf[32];
	unsigned int st, i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	for (i = 0; s[i]; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	buf[i] = '\0';
	for (st = 0; st < __TT_STATE_MAX; st++)
		if (!strcasecmp(buf, tt_state_name(st)))
			return st;
	return -EINVAL;
}

static int addr_prefix_parse(const char *s, struct filter_addr *a)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long long plen;

	if (n == 0 || n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(a->addr, 0, sizeof(a->addr));
	if (inet_pton(AF_INET, host, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, host, a->addr) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	a->plen = addr_len(a->family) * 8;
	if (slash) {
		if (!parse_uint(slash + 1, a->plen, &plen))
			return -EINVAL;
		a->plen = plen;
	}
	return 0;
}

/**
 * filter_parse() - read one filter at argv[*i]
 * @f: the filter to add to
 * @argc: arguments
 * @argv: the arguments
 * @i: the keyword's index; moved past its value when it is a filter
 *
 * Return: 0 if it was a filter, 1 if argv[*i] is no filter keyword,
 * -ERR_USAGE (reported) for a filter with a bad or missing value.
 */
int filter_parse(struct filter *f, int argc, char **argv, int *i)
{
	const char *kw = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned long long port;
	int st;

	if (strcmp(kw, "state") && strcmp(kw, "port") && strcmp(kw, "addr") &&
	    strcmp(kw, "family"))
		return 1;
	if (!val)
		return usage_error("%s needs a value", kw);
	if (!strcmp(kw, "state")) {
		st = state_parse(val);
		if (st < 0)
			return usage_error("unknown state '%s' (e.g. ESTABLISHED, time-wait)",
					   val);
		f->states |= 1U << st;
	} else if (!strcmp(kw, "port")) {
		if (f->nports == FILTER_MAX)
			return usage_error("at most %d ports", FILTER_MAX);
		if (!parse_uint(val, 65535, &port))
			return usage_error("bad port '%s'", val);
		f->ports[f->nports++] = port;
	} else if (!strcmp(kw, "addr")) {
		if (f->naddrs == FILTER_MAX)
			return usage_error("at most %d addresses", FILTER_MAX);
		if (addr_prefix_parse(val, &f->addrs[f->naddrs]))
			return usage_error("bad address '%s' (ADDR or ADDR/PLEN)",
					   val);
		f->naddrs++;
	} else {
		if (!strcmp(val, "inet"))
			f->family = AF_INET;
		else if (!strcmp(val, "inet6"))
			f->family = AF_INET6;
		else
			return usage_error("family is inet or inet6, not '%s'",
					   val);
	}
	*i += 2;
	return 0;
}

static bool prefix_match(const uint8_t *a, const uint8_t *p, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, p, bytes))
		return false;
	if (!bits)
		return true;
	return !((a[bytes] ^ p[bytes]) & (0xff00 >> bits));
}

/* Does the flow pass the filter? */
bool filter_match(const struct filter *f, const struct flow *fl)
{
	unsigned int i, w;
	bool ok;

	if (f->family && fl->family != f->family)
		return false;
	if (f->states && !(f->states & (1U << fl->state[0])) &&
	    !(f->states & (1U << fl->state[1])))
		return false;
	for (i = 0, ok = !f->nports; i < f->nports && !ok; i++)
		ok = fl->port[0] == f->ports[i] || fl->port[1] == f->ports[i];
	if (!ok)
		return false;
	for (i = 0, ok = !f->naddrs; i < f->naddrs && !ok; i++)
		for (w = 0; w < 2 && !ok; w++)
			ok = fl->family == f->addrs[i].family &&
			     prefix_match(fl->addr[w], f->addrs[i].addr,
					  f->addrs[i].plen);
	return ok;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Which flows `list`, `monitor` and `replay` show: `state S`, `port P`,
 * `addr A[/PLEN]`, `family inet|inet6`.  Each kind may repeat (any of them
 * matches); different kinds must all match.  A flow matches a state, port
 * or address when either endpoint has it.
 */

#ifndef TCPTRACECTL_FILTER_H
#define TCPTRACECTL_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

#define FILTER_MAX	8

struct filter_addr {
	uint8_t family;
	uint8_t plen;
	uint8_t addr[16];
};

/**
 * struct filter - what to show
 * @states: bits (1 << enum tt_state), 0 for any
 * @family: AF_INET or AF_INET6, 0 for any
 * @nports: entries of @ports, 0 for any port
 * @ports: host order
 * @naddrs: entries of @addrs, 0 for any address
 * @addrs: address prefixes
 */
struct filter {
	uint32_t states;
	uint8_t family;
	unsigned int nports;
	uint16_t ports[FILTER_MAX];
	unsigned int naddrs;
	struct filter_addr addrs[FILTER_MAX];
};

int filter_parse(struct filter *f, int argc, char **argv, int *i);
bool filter_match(const struct filter *f, const struct flow *fl);
int state_parse(const char *s);

#endif /* TCPTRACECTL_FILTER_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The flow key (key.h): part of the shared core, compiled into the module
 * and into the tools.
 */

#include "key.h"

/**
 * tt_key_make() - the normalised key of a segment
 * @key: filled in
 * @family: AF_INET or AF_INET6
 * @saddr: source address, 4 or 16 bytes
 * @sport: source port, network order
 * @daddr: destination address
 * @dport: destination port
 * @side: set to the end of @key that sent the segment, 0 or 1
 *
 * The end with the lower address bytes (zero-padded to 16), then the lower
 * port bytes, is end 0: an IPv4 address compares as its big-endian number.
 *
 * Return: false for an unknown family.
 */
bool tt_key_make(struct tt_key *key, u8 family, const void *saddr,
		 __be16 sport, const void *daddr, __be16 dport,
		 unsigned int *side)
{
	size_t alen = family == AF_INET ? 4 : 16;
	union nf_inet_addr s = {}, d = {};
	int cmp;

	if (family != AF_INET && family != AF_INET6)
		return false;
	memset(key, 0, sizeof(*key));
	memcpy(&s, saddr, alen);
	memcpy(&d, daddr, alen);
	cmp = memcmp(&s, &d, sizeof(s));
	if (!cmp)
		cmp = memcmp(&sport, &dport, sizeof(sport));
	*side = cmp > 0;
	key->addr[*side] = s;
	key->port[*side] = sport;
	key->addr[!*side] = d;
	key->port[!*side] = dport;
	key->family = family;
	return true;
}

/**
 * tt_key_endpoint() - one end of a key
 * @key: the key
 * @side: 0 or 1
 * @addr: set to its address
 * @port: set to its port, network order
 */
void tt_key_endpoint(const struct tt_key *key, unsigned int side,
		     union nf_inet_addr *addr, __be16 *port)
{
	*addr = key->addr[side];
	*port = key->port[side];
}

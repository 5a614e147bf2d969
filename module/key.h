/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The flow key: a segment's 4-tuple, normalised so that both directions of
 * a connection find one flow.  Part of the shared core: the module's table
 * and the tools' replay key their flows with it.
 */

#ifndef _TT_KEY_H
#define _TT_KEY_H

#include "shared.h"

/**
 * struct tt_key - a 4-tuple, normalised so both directions find one flow
 * @addr: the two addresses; [0] with @port[0] is the lower end (memcmp)
 * @port: the two ports, network order
 * @family: AF_INET or AF_INET6
 * @pad: zero, so the key hashes and compares as bytes
 */
struct tt_key {
	union nf_inet_addr addr[2];
	__be16 port[2];
	u8 family;
	u8 pad[3];
};

bool tt_key_make(struct tt_key *key, u8 family, const void *saddr,
		 __be16 sport, const void *daddr, __be16 dport,
		 unsigned int *side);
void tt_key_endpoint(const struct tt_key *key, unsigned int side,
		     union nf_inet_addr *addr, __be16 *port);

#endif /* _TT_KEY_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The generic netlink side of tcptracectl, on libmnl: resolving the
 * "tcptrace" family (and refusing another protocol version), requests and
 * their replies, extended acks, and the events: the "events" multicast
 * group, the unicast subscription of a seq_gid member, or "events-public".
 */

#ifndef TCPTRACECTL_GENL_H
#define TCPTRACECTL_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* A dump message is at most 32 KiB (netlink_dump() caps its skbs there). */
#define GENL_BUF_SIZE	32768

/**
 * struct genl - one netlink socket talking to the tcptrace family
 * @nl: the socket
 * @portid: its port id
 * @seq: sequence number of the last request
 * @family: the family's id
 * @version: the family's version, as the kernel says
 * @mcgrp_events: id of the "events" multicast group, 0 if none
 * @mcgrp_public: id of the "events-public" group, 0 if none (an older module)
 * @ext_msg: the extended ack message of the last error, or ""
 * @ext_miss_type: attribute type the kernel found missing, or 0
 * @dump_intr: the last dump saw the table change (NLM_F_DUMP_INTR)
 * @buf: receive buffer, GENL_BUF_SIZE bytes
 */
struct genl {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t version;
	uint32_t mcgrp_events;
	uint32_t mcgrp_public;
	char ext_msg[256];
	unsigned int ext_miss_type;
	bool dump_intr;
	char *buf;
};

int genl_open(struct genl *g);
void genl_close(struct genl *g);
struct nlmsghdr *genl_request(struct genl *g, void *buf, uint8_t cmd,
			      uint16_t flags);
int genl_talk(struct genl *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
void genl_report(const struct genl *g, const char *what, int err);
/* How genl_subscribe() gets the events. */
enum genl_events {
	GENL_EVENTS_FULL,	/* member of "events" */
	GENL_EVENTS_UNICAST,	/* TT_CMD_EVENTS_SUBSCRIBE, full events */
	GENL_EVENTS_PUBLIC,	/* member of "events-public": no seq/ack */
};

int genl_subscribe(struct genl *g, int rcvbuf, enum genl_events *how);
int genl_recv(struct genl *g);
int genl_drops(const struct genl *g, unsigned long long *drops);

#endif /* TCPTRACECTL_GENL_H */

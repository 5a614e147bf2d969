// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Captures, frame by frame: the link header, then IPv4 or IPv6 (past the
 * extension headers) to the TCP header.  A frame that is not TCP, or a
 * fragment after the first, has no segment; one whose headers are cut or
 * inconsistent is counted as malformed.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "tcptracectl.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2		276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4		228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6		229
#endif

#define ETH_P_IP		0x0800
#define ETH_P_IPV6		0x86dd
#define ETH_P_8021Q		0x8100
#define ETH_P_8021AD		0x88a8

/* The cooked captures' packet types (linux/if_packet.h). */
#define PACKET_OUTGOING		4

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An IPv4 packet at @p, @len bytes captured. */
static void ipv4(struct capture *c, struct capture_frame *f,
		 const uint8_t *p, unsigned int len)
{
	unsigned int ihl, tot;

	if (len < 20 || (p[0] >> 4) != 4) {
		c->malformed++;
		return;
	}
	ihl = (p[0] & 0x0f) * 4;
	tot = be16(p + 2);
	if (ihl < 20 || ihl > len) {
		c->malformed++;
		return;
	}
	if (p[9] != IPPROTO_TCP)
		return;
	if (be16(p + 6) & 0x1fff) {	/* not the first fragment */
		c->fragments++;
		return;
	}
	if (!tot)		/* TSO captures say 0 */
		tot = len;
	if (tot < ihl) {
		c->malformed++;
		return;
	}
	f->tcp = true;
	f->family = AF_INET;
	f->saddr = p + 12;
	f->daddr = p + 16;
	f->th = p + ihl;
	f->caplen = len - ihl;
	f->tcplen = tot - ihl;
}

/* An IPv6 packet: past the extension headers to TCP. */
static void ipv6(struct capture *c, struct capture_frame *f,
		 const uint8_t *p, unsigned int len)
{
	unsigned int off = 40, plen, nh, hl;

	if (len < 40 || (p[0] >> 4) != 6) {
		c->malformed++;
		return;
	}
	plen = be16(p + 4);
	nh = p[6];
	if (!plen)
		plen = len - 40;
	for (;;) {
		switch (nh) {
		case IPPROTO_TCP:
			if (off > len || off - 40 > plen) {
				c->malformed++;
				return;
			}
			f->tcp = true;
			f->family = AF_INET6;
			f->saddr = p + 8;
			f->daddr = p + 24;
			f->th = p + off;
			f->caplen = len - off;
			f->tcplen = plen - (off - 40);
			return;
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_AH:
		case IPPROTO_FRAGMENT:
			if (off + 8 > len) {
				c->malformed++;
				return;
			}
			if (nh == IPPROTO_FRAGMENT) {
				if (be16(p + off + 2) & 0xfff8) {
					c->fragments++;
					return;
				}
				hl = 8;
			} else if (nh == IPPROTO_AH) {
				hl = (p[off + 1] + 2) * 4;
			} else {
				hl = (p[off + 1] + 1) * 8;
			}
			nh = p[off];
			off += hl;
			break;
		default:
			return;
		}
	}
}

static void network(struct capture *c, struct capture_frame *f,
		    unsigned int proto, const uint8_t *p, unsigned int len)
{
	if (proto == ETH_P_IP)
		ipv4(c, f, p, len);
	else if (proto == ETH_P_IPV6)
		ipv6(c, f, p, len);
}

/* One captured frame of the capture's link type. */
static void frame(struct capture *c, struct capture_frame *f,
		  const uint8_t *p, unsigned int len)
{
	unsigned int off, proto, vlans;

	switch (c->dlt) {
	case DLT_EN10MB:
		if (len < 14)
			goto short_frame;
		proto = be16(p + 12);
		off = 14;
		for (vlans = 0; vlans < 2 && (proto == ETH_P_8021Q ||
					      proto == ETH_P_8021AD); vlans++) {
			if (len < off + 4)
				goto short_frame;
			proto = be16(p + off + 2);
			off += 4;
		}
		network(c, f, proto, p + off, len - off);
		return;
	case DLT_LINUX_SLL:
		if (len < 16)
			goto short_frame;
		f->dir = be16(p) == PACKET_OUTGOING ? CAPTURE_DIR_OUT :
						      CAPTURE_DIR_IN;
		network(c, f, be16(p + 14), p + 16, len - 16);
		return;
	case DLT_LINUX_SLL2:
		if (len < 20)
			goto short_frame;
		f->dir = p[10] == PACKET_OUTGOING ? CAPTURE_DIR_OUT :
						    CAPTURE_DIR_IN;
		network(c, f, be16(p), p + 20, len - 20);
		return;
	case DLT_NULL:
		if (len < 4)
			goto short_frame;
		/* The host's byte order: 2 is AF_INET, 10/24/28/30 AF_INET6. */
		proto = p[0] | p[3];
		network(c, f, proto == 2 ? ETH_P_IP : ETH_P_IPV6, p + 4,
			len - 4);
		return;
	default:		/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		if (len < 1)
			goto short_frame;
		network(c, f, (p[0] >> 4) == 4 ? ETH_P_IP : ETH_P_IPV6, p,
			len);
		return;
	}
short_frame:
	c->malformed++;
}

static bool link_supported(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL ||
	       dlt == DLT_LINUX_SLL2 || dlt == DLT_RAW || dlt == DLT_IPV4 ||
	       dlt == DLT_IPV6 || dlt == DLT_NULL;
}

/**
 * capture_open() - open a capture file
 * @c: the capture, filled in
 * @file: its name
 * @cmd: the subcommand, for messages
 *
 * Return: 0, or a negative errno after an error message.
 */
int capture_open(struct capture *c, const char *file, const char *cmd)
{
	char errbuf[PCAP_ERRBUF_SIZE];

	memset(c, 0, sizeof(*c));
	c->file = file;
	c->cmd = cmd;
	c->pc = pcap_open_offline_with_tstamp_precision(file,
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!c->pc) {
		/* libpcap names the file when it cannot open it, not when
		 * it cannot read it as a capture.
		 */
		if (strstr(errbuf, file))
			error_msg("%s: %s", cmd, errbuf);
		else
			error_msg("%s: %s: %s", cmd, file, errbuf);
		return -EINVAL;
	}
	c->dlt = pcap_datalink(c->pc);
	if (!link_supported(c->dlt)) {
		error_msg("%s: %s: link type %s is not supported (Ethernet, Linux cooked SLL and SLL2, raw IP, BSD loopback are)",
			  cmd, file, pcap_datalink_val_to_name(c->dlt) ?: "?");
		pcap_close(c->pc);
		c->pc = NULL;
		return -EPROTONOSUPPORT;
	}
	return 0;
}

/**
 * capture_next() - the next frame
 * @c: the capture
 * @f: filled with the frame's time, direction and TCP segment
 *
 * A read error (a capture cut short, a pcapng file libpcap cannot read on)
 * is reported with what was read before it, which the caller keeps.
 *
 * Return: 1 for a frame, 0 at the end, -EIO on a read error (reported).
 */
int capture_next(struct capture *c, struct capture_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int ret;

	ret = pcap_next_ex(c->pc, &h, &data);
	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		const char *why = pcap_geterr(c->pc);

		error_msg("%s: %s: %s (after %llu packets, which were processed)",
			  c->cmd, c->file, why, c->packets);
		/* libpcap reads a pcapng file only while all its interfaces
		 * have the first one's snapshot length.
		 */
		if (strstr(why, "snapshot length"))
			error_msg("%s: hint: libpcap cannot read pcapng files whose interfaces have different snapshot lengths: capture again with one snapshot length for every interface",
				  c->cmd);
		return -EIO;
	}
	memset(f, 0, sizeof(*f));
	/* Opened with nanosecond precision: tv_usec holds nanoseconds. */
	f->ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + h->ts.tv_usec;
	c->packets++;
	frame(c, f, data, h->caplen);
	return 1;
}

void capture_close(struct capture *c)
{
	if (c->pc)
		pcap_close(c->pc);
	c->pc = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Captures, frame by frame: the link header, the encapsulations below it
 * (tags, labels, PPPoE, tunnels: capture.h), then IPv4 or IPv6 (past the
 * extension headers) to the TCP header.  Every header is read only within
 * the bytes captured and within the length its outer header gives it, and a
 * frame has at most CAPTURE_MAX_DEPTH of them: a crafted frame can neither
 * make a read past its end nor recurse without bound.  A frame that yields
 * no TCP segment is counted by the reason, which capture_report() prints.
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
#define ETH_P_QINQ1		0x9100	/* the pre-802.1ad outer tag */
#define ETH_P_MPLS_UC		0x8847
#define ETH_P_MPLS_MC		0x8848
#define ETH_P_PPP_SES		0x8864
#define ETH_P_PPP		0x880b	/* in GRE: PPTP */
#define ETH_P_TEB		0x6558	/* in GRE, Geneve: Ethernet */
#define ETH_P_ERSPAN		0x88be	/* in GRE: ERSPAN I (no S), II (S) */
#define ETH_P_PBB		0x88e7	/* 802.1ah I-TAG, then Ethernet */
#define ETH_P_VNTAG		0x8926	/* Cisco VN-Tag, then an ethertype */

#define PPP_IP			0x0021
#define PPP_IPV6		0x0057
#define PPP_MPLS_UC		0x0281

#define IPPROTO_IPIP_		4
#define IPPROTO_GRE_		47

#define GRE_C			0x8000
#define GRE_R			0x4000
#define GRE_K			0x2000
#define GRE_S			0x1000
#define GRE_A			0x0080	/* version 1: an acknowledgement */
#define GRE_VERSION		0x0007

#define UDP_PORT_VXLAN		4789
#define UDP_PORT_GENEVE		6081
#define UDP_PORT_TEREDO		3544

/* The cooked captures' packet types (linux/if_packet.h). */
#define PACKET_OUTGOING		4

/* One frame being decoded: where its segment goes, how deep it is. */
struct walk {
	struct capture *c;
	struct capture_frame *f;
	unsigned int depth;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void skip(struct walk *w, enum capture_skip why, unsigned int num)
{
	capture_skip(w->c, why, num);
}

/*
 * One more header (each decoder says so as it starts: a frame's own
 * Ethernet and IP headers count too): false, and counted, past the bound.
 */
static bool deeper(struct walk *w)
{
	if (++w->depth <= CAPTURE_MAX_DEPTH)
		return true;
	skip(w, CAPTURE_SKIP_DEPTH, 0);
	return false;
}

/* A header is cut short (@cut): true, and counted. */
static bool truncated(struct walk *w, bool cut)
{
	if (cut)
		skip(w, CAPTURE_SKIP_TRUNCATED, 0);
	return cut;
}

/* A header contradicts itself (@bad): true, and counted. */
static bool malformed(struct walk *w, bool bad)
{
	if (bad)
		skip(w, CAPTURE_SKIP_MALFORMED, 0);
	return bad;
}

static void ethertype(struct walk *w, unsigned int proto, const uint8_t *p,
		      unsigned int len);
static void ethernet(struct walk *w, const uint8_t *p, unsigned int len);

/* A UDP datagram of @len bytes (as its outer header bounds it): a tunnel's? */
static void udp(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int ulen, dport, hl;

	if (!deeper(w) || truncated(w, len < 8))
		return;
	ulen = be16(p + 4);
	if (ulen >= 8 && ulen < len)
		len = ulen;
	dport = be16(p + 2);
	p += 8;
	len -= 8;
	switch (dport) {
	case UDP_PORT_VXLAN:	/* RFC 7348: flags (I), VNI; Ethernet */
		if (truncated(w, len < 8) ||
		    malformed(w, !(p[0] & 0x08)))
			return;
		ethernet(w, p + 8, len - 8);
		return;
	case UDP_PORT_GENEVE:	/* RFC 8926: options, then the protocol */
		if (truncated(w, len < 8))
			return;
		hl = 8 + (p[0] & 0x3f) * 4;
		if (malformed(w, (p[0] >> 6) != 0) ||
		    truncated(w, hl > len))
			return;
		ethertype(w, be16(p + 2), p + hl, len - hl);
		return;
	}
	/* Teredo (RFC 4380): its server's port at either end, maybe an
	 * origin indication, then IPv6 (as Wireshark: only if it looks so,
	 * its length the datagram's).
	 */
	if (dport == UDP_PORT_TEREDO || be16(p - 8) == UDP_PORT_TEREDO) {
		hl = len >= 8 && be16(p) == 0 ? 8 : 0;
		if (len >= hl + 40 && p[hl] >> 4 == 6 &&
		    be16(p + hl + 4) + 40U + hl + 8 == ulen) {
			ethertype(w, ETH_P_IPV6, p + hl, len - hl);
			return;
		}
	}
	skip(w, CAPTURE_SKIP_PROTO, IPPROTO_UDP);
}

/* A PPP frame (PPPoE's, or PPTP's in GRE): the protocol field, maybe short. */
static void ppp(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int proto;

	if (len >= 2 && p[0] == 0xff && p[1] == 0x03) {	/* address, control */
		p += 2;
		len -= 2;
	}
	if (truncated(w, len < 1 || (!(p[0] & 1) && len < 2)))
		return;
	if (p[0] & 1) {		/* a compressed, one-byte protocol */
		proto = p[0];
		p++;
		len--;
	} else {
		proto = be16(p);
		p += 2;
		len -= 2;
	}
	switch (proto) {
	case PPP_IP:
		ethertype(w, ETH_P_IP, p, len);
		return;
	case PPP_IPV6:
		ethertype(w, ETH_P_IPV6, p, len);
		return;
	case PPP_MPLS_UC:
		ethertype(w, ETH_P_MPLS_UC, p, len);
		return;
	default:
		skip(w, CAPTURE_SKIP_PPP, proto);
	}
}

/* GRE (RFC 2784, 2890; version 1 is PPTP's, RFC 2637). */
static void gre(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int flags, proto, hl = 4;

	if (!deeper(w) || truncated(w, len < 4))
		return;
	flags = be16(p);
	proto = be16(p + 2);
	switch (flags & GRE_VERSION) {
	case 0:
		if (flags & GRE_R) {
			skip(w, CAPTURE_SKIP_GRE_ROUTING, 0);
			return;
		}
		hl += (flags & GRE_C ? 4 : 0) + (flags & GRE_K ? 4 : 0) +
		      (flags & GRE_S ? 4 : 0);
		break;
	case 1:
		if (malformed(w, !(flags & GRE_K) || proto != ETH_P_PPP))
			return;
		hl += 4 + (flags & GRE_S ? 4 : 0) + (flags & GRE_A ? 4 : 0);
		break;
	default:
		skip(w, CAPTURE_SKIP_GRE, flags & GRE_VERSION);
		return;
	}
	if (truncated(w, hl > len))
		return;
	p += hl;
	len -= hl;
	if (proto == ETH_P_ERSPAN) {
		/* Type II (sequenced) has an 8-byte header; type I none. */
		if (flags & GRE_S) {
			if (truncated(w, len < 8))
				return;
			p += 8;
			len -= 8;
		}
		proto = ETH_P_TEB;
	}
	if (proto == ETH_P_PPP)
		ppp(w, p, len);
	else
		ethertype(w, proto, p, len);
}

/*
 * What an IP header's protocol (or an IPv6 header chain's last next header)
 * carries, @len bytes as the IP header bounds them.
 */
static void ip_payload(struct walk *w, unsigned int proto, const uint8_t *p,
		       unsigned int len)
{
	if (proto == IPPROTO_IPIP_)
		ethertype(w, ETH_P_IP, p, len);
	else if (proto == IPPROTO_IPV6)
		ethertype(w, ETH_P_IPV6, p, len);
	else if (proto == IPPROTO_GRE_)
		gre(w, p, len);
	else if (proto == IPPROTO_UDP)
		udp(w, p, len);
	else
		skip(w, CAPTURE_SKIP_PROTO, proto);
}

/* The frame's TCP segment: header and payload at @th, @caplen captured. */
static void found(struct capture_frame *f, uint8_t family,
		  const uint8_t *saddr, const uint8_t *daddr,
		  const uint8_t *th, unsigned int caplen, unsigned int tcplen)
{
	f->tcp = true;
	f->family = family;
	f->saddr = saddr;
	f->daddr = daddr;
	f->th = th;
	f->caplen = caplen;
	f->tcplen = tcplen;
}

/* Do the options of the IPv4 header at @p, @ihl bytes, hold a source route? */
static bool ipv4_srcroute(const uint8_t *p, unsigned int ihl)
{
	unsigned int i = 20;

	while (i < ihl && p[i] != 0) {		/* up to the end of options */
		if (p[i] == 1) {		/* no operation */
			i++;
			continue;
		}
		if (p[i] == 0x83 || p[i] == 0x89)	/* LSRR, SSRR */
			return true;
		if (i + 1 >= ihl || p[i + 1] < 2)
			break;
		i += p[i + 1];
	}
	return false;
}

/* An IPv4 packet at @p, @len bytes captured. */
static void ipv4(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int ihl, tot;

	if (!deeper(w) || truncated(w, len < 20))
		return;
	if (malformed(w, (p[0] >> 4) != 4))
		return;
	ihl = (p[0] & 0x0f) * 4;
	tot = be16(p + 2);
	if (malformed(w, ihl < 20) ||
	    truncated(w, ihl > len))
		return;
	if (be16(p + 6) & 0x1fff) {	/* not the first fragment */
		skip(w, CAPTURE_SKIP_FRAGMENT, 0);
		return;
	}
	if (!tot)		/* TSO captures say 0 */
		tot = len;
	if (malformed(w, tot < ihl))
		return;
	if (p[9] != IPPROTO_TCP) {
		/* What it carries ends where it says, or where the capture
		 * does (a first fragment, a snapshot length).
		 */
		ip_payload(w, p[9], p + ihl, (tot < len ? tot : len) - ihl);
		return;
	}
	found(w->f, AF_INET, p + 12, p + 16, p + ihl, len - ihl, tot - ihl);
	w->f->srcroute = ihl > 20 && ipv4_srcroute(p, ihl);
}

/* An IPv6 packet: past the extension headers to TCP. */
static void ipv6(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int off = 40, plen, nh, hl;
	bool srcroute = false;

	if (!deeper(w) || truncated(w, len < 40))
		return;
	if (malformed(w, (p[0] >> 4) != 6))
		return;
	plen = be16(p + 4);
	nh = p[6];
	if (!plen)
		plen = len - 40;
	/* The extension headers, each within the capture. */
	while (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_DSTOPTS || nh == IPPROTO_AH ||
	       nh == IPPROTO_FRAGMENT) {
		if (truncated(w, off + 8 > len))
			return;
		if (nh == IPPROTO_FRAGMENT) {
			if (be16(p + off + 2) & 0xfff8) {
				skip(w, CAPTURE_SKIP_FRAGMENT, 0);
				return;
			}
			hl = 8;
		} else if (nh == IPPROTO_AH) {
			hl = (p[off + 1] + 2) * 4;
		} else {
			if (nh == IPPROTO_ROUTING && p[off + 3])
				srcroute = true;	/* segments left */
			hl = (p[off + 1] + 1) * 8;
		}
		nh = p[off];
		off += hl;
	}
	if (malformed(w, off - 40 > plen) || truncated(w, off > len))
		return;
	if (nh != IPPROTO_TCP) {
		/* Within the payload length and the capture. */
		hl = 40 + plen < len ? 40 + plen : len;
		ip_payload(w, nh, p + off, off < hl ? hl - off : 0);
		return;
	}
	found(w->f, AF_INET6, p + 8, p + 24, p + off, len - off,
	      plen - (off - 40));
	w->f->srcroute = srcroute;
}

/* An MPLS label stack (RFC 3032), then IP, or a pseudowire (RFC 4448). */
static void mpls(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int label;

	for (;;) {
		if (!deeper(w) || truncated(w, len < 4))
			return;
		label = (unsigned int)(p[0] << 12 | p[1] << 4 | p[2] >> 4);
		p += 4;
		len -= 4;
		if (p[-2] & 1)		/* the bottom of the stack */
			break;
	}
	if (truncated(w, len < 1))
		return;
	/* The explicit nulls say; otherwise the first nibble, as Wireshark
	 * guesses: 4 or 6 is IP, 0 a pseudowire's control word.
	 */
	if (label == 0 || (label != 2 && p[0] >> 4 == 4)) {
		ethertype(w, ETH_P_IP, p, len);
	} else if (label == 2 || p[0] >> 4 == 6) {
		ethertype(w, ETH_P_IPV6, p, len);
	} else if (p[0] >> 4 == 0) {
		if (truncated(w, len < 4))
			return;
		ethernet(w, p + 4, len - 4);
	} else {
		skip(w, CAPTURE_SKIP_MPLS, 0);
	}
}

/* A PPPoE session frame (RFC 2516): the header, then PPP. */
static void pppoe(struct walk *w, const uint8_t *p, unsigned int len)
{
	unsigned int plen;

	if (!deeper(w) || truncated(w, len < 6))
		return;
	if (malformed(w, p[0] != 0x11 || p[1] != 0x00))	/* v1, type 1; data */
		return;
	plen = be16(p + 4);
	if (plen < len - 6)
		len = plen + 6;
	ppp(w, p + 6, len - 6);
}

/* What an ethertype (or a tunnel's protocol, an ethertype too) carries. */
static void ethertype(struct walk *w, unsigned int proto, const uint8_t *p,
		      unsigned int len)
{
	switch (proto) {
	case ETH_P_IP:
		ipv4(w, p, len);
		return;
	case ETH_P_IPV6:
		ipv6(w, p, len);
		return;
	case ETH_P_8021Q:
	case ETH_P_8021AD:
	case ETH_P_QINQ1:
		/* The tag: each of the others counts itself. */
		if (!truncated(w, len < 4) && deeper(w))
			ethertype(w, be16(p + 2), p + 4, len - 4);
		return;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		mpls(w, p, len);
		return;
	case ETH_P_PPP_SES:
		pppoe(w, p, len);
		return;
	case ETH_P_TEB:
		ethernet(w, p, len);
		return;
	case ETH_P_PBB:		/* the I-TAG (flags, I-SID), the customer's frame */
		if (!truncated(w, len < 4) && deeper(w))
			ethernet(w, p + 4, len - 4);
		return;
	case ETH_P_VNTAG:	/* the tag (direction, interfaces), an ethertype */
		if (!truncated(w, len < 6) && deeper(w))
			ethertype(w, be16(p + 4), p + 6, len - 6);
		return;
	default:
		skip(w, CAPTURE_SKIP_ETHERTYPE, proto);
	}
}

static void ethernet(struct walk *w, const uint8_t *p, unsigned int len)
{
	if (!deeper(w) || truncated(w, len < 14))
		return;
	ethertype(w, be16(p + 12), p + 14, len - 14);
}

/* One captured frame of the capture's link type. */
static void frame(struct capture *c, struct capture_frame *f,
		  const uint8_t *p, unsigned int len)
{
	struct walk w = { .c = c, .f = f };
	unsigned int proto;

	switch (c->dlt) {
	case DLT_EN10MB:
		ethernet(&w, p, len);
		return;
	case DLT_LINUX_SLL:
		if (len < 16)
			break;
		f->dir = be16(p) == PACKET_OUTGOING ? CAPTURE_DIR_OUT :
						      CAPTURE_DIR_IN;
		ethertype(&w, be16(p + 14), p + 16, len - 16);
		return;
	case DLT_LINUX_SLL2:
		if (len < 20)
			break;
		f->dir = p[10] == PACKET_OUTGOING ? CAPTURE_DIR_OUT :
						    CAPTURE_DIR_IN;
		ethertype(&w, be16(p), p + 20, len - 20);
		return;
	case DLT_NULL:
		if (len < 4)
			break;
		/* The host's byte order: 2 is AF_INET, 10/24/28/30 AF_INET6. */
		proto = p[0] | p[3];
		if (proto == 2)
			ipv4(&w, p + 4, len - 4);
		else if (proto == 10 || proto == 24 || proto == 28 ||
			 proto == 30)
			ipv6(&w, p + 4, len - 4);
		else
			skip(&w, CAPTURE_SKIP_FAMILY, proto);
		return;
	default:		/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		if (len < 1)
			break;
		if ((p[0] >> 4) == 4)
			ipv4(&w, p, len);
		else
			ipv6(&w, p, len);
		return;
	}
	skip(&w, CAPTURE_SKIP_TRUNCATED, 0);
}

/**
 * capture_skip() - count a frame that yields no TCP segment
 * @c: the capture
 * @why: the reason
 * @num: its number (an ethertype, a protocol), or 0
 *
 * CAPTURE_SKIP_TCP_USED counts a segment used despite its header, not a
 * frame skipped.
 */
void capture_skip(struct capture *c, enum capture_skip why, unsigned int num)
{
	unsigned int i;

	if (why != CAPTURE_SKIP_TCP_USED)
		c->skipped++;
	for (i = 0; i < c->nskips; i++)
		if (c->skips[i].why == why && c->skips[i].num == num)
			break;
	if (i == c->nskips) {
		if (i == CAPTURE_SKIP_KINDS) {
			c->skips_other++;
			return;
		}
		c->skips[i].why = why;
		c->skips[i].num = num;
		c->skips[i].n = 0;
		c->nskips++;
	}
	c->skips[i].n++;
}

/*
 * The ones' complement sum of @len bytes at @p added to @sum, in the host's
 * byte order (RFC 1071 2(B)): 32 bits at a time into 64, folded by the
 * caller.  An odd tail counts as if padded with a zero byte.
 */
static uint64_t sum_bytes(uint64_t sum, const uint8_t *p, unsigned int len)
{
	uint32_t w;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		sum += w;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		sum += w;
	}
	return sum;
}

static uint16_t fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The sum of the segment's pseudo-header (RFC 9293 3.1, RFC 8200 8.1). */
static uint64_t sum_pseudo(const struct capture_frame *f)
{
	uint8_t ph[40];
	unsigned int alen = f->family == AF_INET ? 4 : 16;

	memcpy(ph, f->saddr, alen);
	memcpy(ph + alen, f->daddr, alen);
	ph[2 * alen] = (uint8_t)(f->tcplen >> 24);	/* 0 for IPv4 */
	ph[2 * alen + 1] = (uint8_t)(f->tcplen >> 16);
	ph[2 * alen + 2] = (uint8_t)(f->tcplen >> 8);
	ph[2 * alen + 3] = (uint8_t)f->tcplen;
	ph[2 * alen + 4] = 0;
	ph[2 * alen + 5] = 0;
	ph[2 * alen + 6] = 0;
	ph[2 * alen + 7] = IPPROTO_TCP;
	return sum_bytes(0, ph, 2 * alen + 8);
}

/**
 * capture_csum() - verify the checksum of a frame's TCP segment
 * @c: the capture, which counts what was found
 * @f: the frame, which holds a TCP segment
 *
 * The sum over the pseudo-header and the whole segment, as its receiver's
 * TCP takes it (for IPv4 the pseudo-header's length is 16 bits, the same
 * sum when the length fits).  A wrong checksum that is the pseudo-header's
 * sum alone was never filled in: its sender left it to the NIC
 * (CHECKSUM_PARTIAL, th->check as tcp_v4_send_check() leaves it), and the
 * capture saw it before the NIC did, or on a virtual link that never fills
 * it in (veth, a guest's virtio), whose receiver takes it as right, as
 * the module does.  Nothing is said of a segment not captured whole, or
 * source-routed (the checksum covers an address the capture does not
 * show).
 *
 * Return: what was found.
 */
enum capture_csum capture_csum(struct capture *c,
			       const struct capture_frame *f)
{
	enum capture_csum ret = CAPTURE_CSUM_UNKNOWN;
	uint64_t pseudo;
	uint16_t check;

	if (f->caplen >= f->tcplen && f->tcplen >= 20 && !f->srcroute) {
		pseudo = sum_pseudo(f);
		if (fold(sum_bytes(pseudo, f->th, f->tcplen)) == 0xffff) {
			ret = CAPTURE_CSUM_RIGHT;
		} else {
			memcpy(&check, f->th + 16, 2);
			ret = check == fold(pseudo) ? CAPTURE_CSUM_UNFILLED :
						      CAPTURE_CSUM_WRONG;
		}
	}
	c->csum[ret]++;
	return ret;
}

static const char *proto_name(unsigned int proto)
{
	switch (proto) {
	case 1: return " (ICMP)";
	case 2: return " (IGMP)";
	case 17: return " (UDP)";
	case 50: return " (ESP)";
	case 58: return " (ICMPv6)";
	case 59: return " (no next header)";
	case 89: return " (OSPF)";
	case 103: return " (PIM)";
	case 112: return " (VRRP)";
	case 132: return " (SCTP)";
	default: return "";
	}
}

static void skip_line(const struct capture *c, unsigned long long n,
		      enum capture_skip why, unsigned int num)
{
	const char *cmd = c->cmd;

	switch (why) {
	case CAPTURE_SKIP_TRUNCATED:
		error_msg("%s:   %llu truncated (a header cut short)", cmd, n);
		break;
	case CAPTURE_SKIP_MALFORMED:
		error_msg("%s:   %llu malformed header", cmd, n);
		break;
	case CAPTURE_SKIP_FRAGMENT:
		error_msg("%s:   %llu non-first fragment", cmd, n);
		break;
	case CAPTURE_SKIP_DEPTH:
		error_msg("%s:   %llu tunnel depth (more than %u headers)",
			  cmd, n, CAPTURE_MAX_DEPTH);
		break;
	case CAPTURE_SKIP_ETHERTYPE:
		error_msg("%s:   %llu unknown ethertype 0x%04x", cmd, n, num);
		break;
	case CAPTURE_SKIP_PPP:
		error_msg("%s:   %llu unknown PPP protocol 0x%04x", cmd, n, num);
		break;
	case CAPTURE_SKIP_GRE:
		error_msg("%s:   %llu GRE version %u", cmd, n, num);
		break;
	case CAPTURE_SKIP_GRE_ROUTING:
		error_msg("%s:   %llu GRE with source routes", cmd, n);
		break;
	case CAPTURE_SKIP_MPLS:
		error_msg("%s:   %llu MPLS payload neither IP nor a pseudowire",
			  cmd, n);
		break;
	case CAPTURE_SKIP_FAMILY:
		error_msg("%s:   %llu unknown loopback family %u", cmd, n, num);
		break;
	case CAPTURE_SKIP_PROTO:
		error_msg("%s:   %llu not TCP: IP protocol %u%s", cmd, n, num,
			  proto_name(num));
		break;
	case CAPTURE_SKIP_TCP:
		error_msg("%s:   %llu malformed TCP header", cmd, n);
		break;
	case CAPTURE_SKIP_TCP_USED:
		error_msg("%s:   %llu malformed TCP header, replayed anyway",
			  cmd, n);
		break;
	}
}

/* The wrong checksums of the segments capture_csum() verified, if any. */
static void report_csum(const struct capture *c)
{
	unsigned long long bad = c->csum[CAPTURE_CSUM_WRONG];
	unsigned long long n = bad + c->csum[CAPTURE_CSUM_RIGHT];

	if (!bad)
		return;
	error_msg("%s: %s: %llu of %llu TCP segments verified have a wrong checksum: replayed for their senders only (their receivers drop them)",
		  c->cmd, c->file, bad, n);
	if (bad * 100 >= n * CAPTURE_CSUM_HINT_PCT)
		error_msg("%s: hint: so many suggest checksums changed or never filled in (a rewritten capture, offload to a NIC): --ignore-checksums takes every checksum as right",
			  c->cmd);
}

/**
 * capture_report() - say on stderr which frames yielded no TCP segment
 * @c: the capture
 *
 * One block: the total, then a line per reason, the most frequent first
 * (the first seen first among equals).  Nothing when every frame had one.
 * Then how many segments had a wrong checksum, if capture_csum() found any.
 */
void capture_report(const struct capture *c)
{
	unsigned int order[CAPTURE_SKIP_KINDS], i, j, n = c->nskips;

	if (!n && !c->skips_other) {
		report_csum(c);
		return;
	}
	for (i = 0; i < n; i++) {	/* insertion sort: stable, 32 at most */
		for (j = i; j > 0 && c->skips[order[j - 1]].n < c->skips[i].n;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	error_msg("%s: %s: %llu of %llu frames gave no TCP segment:", c->cmd,
		  c->file, c->skipped, c->packets);
	for (i = 0; i < n; i++)
		skip_line(c, c->skips[order[i]].n, c->skips[order[i]].why,
			  c->skips[order[i]].num);
	if (c->skips_other)
		error_msg("%s:   %llu for other reasons", c->cmd, c->skips_other);
	report_csum(c);
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

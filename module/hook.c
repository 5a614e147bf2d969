// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * The netfilter hooks.  Each TCP segment the host sends, receives or forwards
 * is seen once per namespace it crosses: leaving at LOCAL_OUT (first, before
 * any filter can drop it: the sender did send it), arriving at LOCAL_IN (last,
 * after every filter: the receiver does get it), passing through at FORWARD
 * (last).  A segment between two local sockets is seen leaving on the
 * loopback device and again arriving from it; each sighting then carries one
 * half of the segment for the state machine (TT_OBS_SEND, TT_OBS_RECV), so it
 * is counted once and each endpoint moves when its own socket does.
 *
 * Nothing here changes, delays or drops a packet: every hook returns
 * NF_ACCEPT.  Headers are read with skb_header_pointer() into the stack.
 * At LOCAL_IN the segment's checksum is verified as conntrack verifies it
 * (seg_csum_bad()), which may leave the verdict in the skb's checksum
 * state for TCP to reuse; the packet's bytes are not touched.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "flowtable.h"
#include "hook.h"
#include "netns.h"
#include "parse.h"

static bool loopback(const struct net_device *dev)
{
	return dev && (dev->flags & IFF_LOOPBACK);
}

/* Which halves of the segment this sighting carries, and who is local. */
static unsigned int sighting(const struct nf_hook_state *state)
{
	switch (state->hook) {
	case NF_INET_LOCAL_OUT:
		if (loopback(state->out))
			return TT_OBS_SEND | TT_OBS_LOCAL_SENDER |
			       TT_OBS_LOCAL_RECEIVER;
		return TT_OBS_BOTH | TT_OBS_LOCAL_SENDER;
	case NF_INET_LOCAL_IN:
		if (loopback(state->in))
			return TT_OBS_RECV | TT_OBS_LOCAL_SENDER |
			       TT_OBS_LOCAL_RECEIVER;
		return TT_OBS_BOTH | TT_OBS_LOCAL_RECEIVER;
	default:
		return TT_OBS_BOTH;
	}
}

/*
 * Will the receiving TCP drop the segment at @thoff for a wrong checksum?
 *
 * Asked at LOCAL_IN only: this hook is the last one before tcp_v4_rcv() and
 * tcp_v6_rcv() verify the checksum, and their verdict is the one that
 * counts.  As conntrack's tcp_error() asks at PRE_ROUTING: an skb already
 * verified (by the NIC or GRO: CHECKSUM_UNNECESSARY or csum_valid) or one
 * that never left this host or a guest on it (CHECKSUM_PARTIAL: loopback,
 * veth, virtio with the checksum still to fill in) is taken as it is;
 * otherwise nf_checksum() checks CHECKSUM_COMPLETE's sum against the
 * pseudo-header, or sums the segment in software (CHECKSUM_NONE).  It keeps
 * what it found in the skb (CHECKSUM_UNNECESSARY, or the whole sum in
 * skb->csum with csum_valid), so TCP does not sum a good segment again.
 *
 * net.netfilter.nf_conntrack_checksum is not asked: it says whether
 * conntrack marks such packets invalid, while TCP drops them whatever it
 * says.  Nothing is verified elsewhere: at LOCAL_OUT the checksum of an
 * offloaded segment is not filled in yet (CHECKSUM_PARTIAL), and at FORWARD
 * the receiver is another host's TCP, which has its own tracker (and
 * nf_checksum() would not trust CHECKSUM_COMPLETE there).
 */
static bool seg_csum_bad(struct sk_buff *skb, unsigned int thoff, u8 family,
			 const struct nf_hook_state *state)
{
	if (state->hook != NF_INET_LOCAL_IN || skb_csum_unnecessary(skb))
		return false;
	return nf_checksum(skb, state->hook, thoff, IPPROTO_TCP, family) != 0;
}

/*
 * A user's TCP socket at one end of @skb: the one that sent it, seen
 * leaving (a full socket, or the listener of the request socket that sends
 * a SYN-ACK); the one it was found for, seen arriving (early demux).  Not
 * the kernel's own sockets, which send the RSTs and the TIME_WAIT ACKs of
 * sockets that are gone, nor a raw socket that crafts TCP segments (scapy).
 */
static struct sock *local_sock(const struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct sock *sk;

	if (state->hook == NF_INET_FORWARD)
		return NULL;
	sk = skb_to_full_sk(skb);
	if (!sk || !sk_fullsock(sk) || sk->sk_kern_sock ||
	    sk->sk_type != SOCK_STREAM || sk->sk_protocol != IPPROTO_TCP)
		return NULL;
	return sk;
}

/* The TCP header at @thoff: parse it and hand it to the flow table. */
static void tcp_segment(struct sk_buff *skb, unsigned int thoff, u8 family,
			const void *saddr, const void *daddr,
			const struct nf_hook_state *state)
{
	struct tt_net *tn = tt_net(state->net);
	u8 buf[TT_TCP_HDR_MAX];
	unsigned int avail, n, side;
	enum tt_parse_err err;
	struct tt_seg seg;
	struct tt_key key;
	const u8 *th;

	if (skb->len <= thoff) {
		tt_stat_inc(tn, TT_STAT_MALFORMED);
		return;
	}
	avail = skb->len - thoff;

	/* The fixed header first; its data offset says how much follows. */
	n = min_t(unsigned int, avail, TT_TCP_HDR_MIN);
	th = skb_header_pointer(skb, thoff, n, buf);
	if (!th)
		return;
	if (n == TT_TCP_HDR_MIN) {
		n = min_t(unsigned int, avail, (th[12] >> 4) * 4);
		n = max_t(unsigned int, n, TT_TCP_HDR_MIN);
		th = skb_header_pointer(skb, thoff, n, buf);
		if (!th)
			return;
	}

	err = tt_parse_tcp(th, n, &seg);
	if (err != TT_PARSE_OK) {
		tt_stat_inc(tn, TT_STAT_MALFORMED);
		if (!tt_parse_usable(err))
			return;
	}
	seg.len = avail - seg.doff;
	seg.segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
	seg.csum_bad = seg_csum_bad(skb, thoff, family, state);

	if (!tt_key_make(&key, family, saddr, htons(seg.sport), daddr,
			 htons(seg.dport), &side))
		return;
	tt_table_segment(state->net, &key, side, sighting(state), &seg,
			 local_sock(skb, state),
			 state->hook == NF_INET_LOCAL_OUT ? side : !side);
}

static unsigned int hook_ipv4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	const struct iphdr *iph;
	struct iphdr _iph;
	unsigned int ihl;

	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_iph),
				 &_iph);
	if (!iph || iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph)) {
		tt_stat_inc(tt_net(state->net), TT_STAT_MALFORMED);
		return NF_ACCEPT;
	}
	/* Only the first fragment carries the TCP header. */
	if (ntohs(iph->frag_off) & IP_OFFSET) {
		tt_stat_inc(tt_net(state->net), TT_STAT_FRAGMENTS);
		return NF_ACCEPT;
	}
	tcp_segment(skb, skb_network_offset(skb) + ihl, AF_INET, &iph->saddr,
		    &iph->daddr, state);
	return NF_ACCEPT;
}

static unsigned int hook_ipv6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	unsigned int thoff = 0;
	unsigned short fragoff;
	int proto, flags = 0;

	ip6h = skb_header_pointer(skb, skb_network_offset(skb),
				  sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return NF_ACCEPT;
	/* Walk the extension headers to the transport header. */
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, &flags);
	if (proto < 0) {
		/* -ENOENT: a non-first fragment whose fragmentable part starts
		 * with an extension header, which only the first fragment
		 * carries.  Well formed; skipped like any non-first fragment.
		 */
		tt_stat_inc(tt_net(state->net),
			    proto == -ENOENT && (flags & IP6_FH_F_FRAG) ?
			    TT_STAT_FRAGMENTS : TT_STAT_MALFORMED);
		return NF_ACCEPT;
	}
	if (proto != IPPROTO_TCP)
		return NF_ACCEPT;
	if (fragoff) {
		tt_stat_inc(tt_net(state->net), TT_STAT_FRAGMENTS);
		return NF_ACCEPT;
	}
	tcp_segment(skb, thoff, AF_INET6, &ip6h->saddr, &ip6h->daddr, state);
	return NF_ACCEPT;
}

static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FIRST,
	},
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_LAST,
	},
	{
		.hook = hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_LAST,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_FIRST,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_LAST,
	},
	{
		.hook = hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_LAST,
	},
};

/**
 * tt_hooks_register() - start seeing the segments of a namespace
 * @net: the namespace
 *
 * Return: 0 or a negative errno.
 */
int tt_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

/**
 * tt_hooks_unregister() - stop seeing them
 * @net: the namespace
 *
 * Hooks may still run until an RCU grace period has passed.
 */
void tt_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

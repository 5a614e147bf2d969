// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the TCP segments that reach local sockets through a netfilter hook
 * at NF_INET_LOCAL_IN in init_net, the hook point tcptrace uses. The count is
 * the read-only parameter tcp_packets, so a test can show that the lab VM's
 * kernel runs the hooks of a module for real loopback traffic.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/ip.h>
#include <net/net_namespace.h>

static atomic64_t tcp_packets = ATOMIC64_INIT(0);

static unsigned int labvm_nfcount_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	if (ip_hdr(skb)->protocol == IPPROTO_TCP)
		atomic64_inc(&tcp_packets);
	return NF_ACCEPT;
}

static const struct nf_hook_ops labvm_nfcount_ops = {
	.hook		= labvm_nfcount_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	.priority	= NF_IP_PRI_FILTER,
};

static int tcp_packets_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&tcp_packets));
}

static const struct kernel_param_ops tcp_packets_ops = {
	.get = tcp_packets_get,
};
module_param_cb(tcp_packets, &tcp_packets_ops, NULL, 0444);
MODULE_PARM_DESC(tcp_packets, "TCP segments seen at NF_INET_LOCAL_IN");

static int __init labvm_nfcount_init(void)
{
	return nf_register_net_hook(&init_net, &labvm_nfcount_ops);
}

static void __exit labvm_nfcount_exit(void)
{
	nf_unregister_net_hook(&init_net, &labvm_nfcount_ops);
}

module_init(labvm_nfcount_init);
module_exit(labvm_nfcount_exit);
MODULE_DESCRIPTION("tcptrace lab VM test: count TCP segments at LOCAL_IN");
MODULE_LICENSE("GPL");

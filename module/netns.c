// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Per network namespace state.  Every namespace, including those created
 * after the module is loaded, gets its configuration, counters, hooks and
 * /proc files; a namespace that goes away stops its hooks, waits for them
 * (pre_exit, then an RCU grace period) and frees its flows.
 */

#include <linux/module.h>
#include <linux/slab.h>

#include "flowtable.h"
#include "hook.h"
#include "netns.h"
#include "proc.h"

/* Defaults of each namespace's configuration (defaults.h says why). */
static unsigned int msl = TT_MSL_DEFAULT;
module_param(msl, uint, 0444);
MODULE_PARM_DESC(msl, "Maximum segment lifetime in seconds; TIME_WAIT lasts 2 * msl, 60 s like Linux by default ("
		 __stringify(TT_MSL_MIN) "-" __stringify(TT_MSL_MAX) ")");

static unsigned int linger = TT_LINGER_DEFAULT;
module_param(linger, uint, 0444);
MODULE_PARM_DESC(linger, "Seconds an ended flow stays listed (0-"
		 __stringify(TT_LINGER_MAX) ")");

static unsigned int idle_timeout = TT_IDLE_DEFAULT;
module_param(idle_timeout, uint, 0444);
MODULE_PARM_DESC(idle_timeout, "Seconds without segments before a flow is dropped ("
		 __stringify(TT_IDLE_MIN) "-" __stringify(TT_IDLE_MAX) ")");

unsigned int tt_net_id __read_mostly;

/* Serialises configuration changes (readers use RCU). */
DEFINE_MUTEX(tt_config_mutex);

/* Every namespace's tt_net, for a full table to find the largest. */
LIST_HEAD(tt_nets);
static DEFINE_SPINLOCK(tt_nets_lock);	/* protects tt_nets for writers */

/**
 * tt_stat_read() - sum a counter over all CPUs
 * @tn: the namespace
 * @c: the counter
 *
 * Return: its value.
 */
u64 tt_stat_read(struct tt_net *tn, enum tt_counter c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(tn->stats, cpu)->count[c]);
	return sum;
}

/**
 * tt_net_generation() - how many times flows of a namespace came or went
 * @tn: the namespace
 *
 * A sum of per-CPU counts that only grow: it changes whenever a flow is
 * inserted or unlinked (until 2^32 changes between two reads).
 *
 * Return: the count, modulo 2^32.
 */
u32 tt_net_generation(struct tt_net *tn)
{
	u32 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(tn->stats, cpu)->generation);
	return sum;
}

/**
 * tt_net_default_quota() - how many flows a namespace may hold by default
 * @net: the namespace
 *
 * The initial namespace may use the whole table; any other gets a quarter
 * of it, at least 16 (TT_SHARE_DIV, TT_SHARE_MIN), so that a few
 * containers under a flood cannot take the table from each other.  Only
 * CAP_NET_ADMIN in the initial user namespace may give a namespace more
 * (TT_A_CONFIG_MAX_FLOWS).
 *
 * Return: the quota, in flows.
 */
u32 tt_net_default_quota(const struct net *net)
{
	if (net_eq(net, &init_net))
		return tt_table.max_flows;
	return max_t(u32, tt_table.max_flows / TT_SHARE_DIV, TT_SHARE_MIN);
}

/**
 * tt_config_timeouts() - a configuration's timeouts for the state machine
 * @cfg: the configuration
 * @t: filled in, in ns
 */
void tt_config_timeouts(const struct tt_config *cfg, struct tt_timeouts *t)
{
	t->time_wait = 2ULL * cfg->msl * NSEC_PER_SEC;
	t->linger = (u64)cfg->linger * NSEC_PER_SEC;
	t->idle = (u64)cfg->idle_timeout * NSEC_PER_SEC;
}

/**
 * tt_config_replace() - install a new configuration
 * @tn: the namespace
 * @cfg: the new configuration, copied; validated by the caller
 *
 * The caller holds tt_config_mutex from reading the configuration it
 * changes until here, so that concurrent changes are not lost.
 *
 * Context: process context, tt_config_mutex held.
 * Return: 0 or -ENOMEM.
 */
int tt_config_replace(struct tt_net *tn, const struct tt_config *cfg)
{
	struct tt_config *new, *old;

	lockdep_assert_held(&tt_config_mutex);
	new = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	old = rcu_dereference_protected(tn->config,
					lockdep_is_held(&tt_config_mutex));
	rcu_assign_pointer(tn->config, new);
	/* Flows wait in the wheel for the times the old timeouts gave. */
	if (new->msl < old->msl || new->linger < old->linger ||
	    new->idle_timeout < old->idle_timeout)
		tt_table_retime(tn);
	kfree_rcu(old, rcu);
	return 0;
}

static int __net_init net_init(struct net *net)
{
	struct tt_net *tn = tt_net(net);
	struct tt_config *cfg;
	int err = -ENOMEM;
	unsigned int i;

	tn->net = net;
	atomic_set(&tn->flows, 0);
	spin_lock_init(&tn->lru_lock);
	for (i = 0; i < TT_EVICT_MAX; i++)
		INIT_LIST_HEAD(&tn->lru[i]);
	tn->wheel_done = (ktime_get_ns() >> TT_WHEEL_SHIFT) - 1;
	for (i = 0; i < TT_WHEEL_SLOTS; i++)
		INIT_HLIST_HEAD(&tn->wheel[i]);
	spin_lock_init(&tn->subs_lock);
	tn->nsubs = 0;
	tn->stats = alloc_percpu(struct tt_stats);
	if (!tn->stats)
		return -ENOMEM;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		goto err_free_stats;
	cfg->enabled = true;
	cfg->history = tt_table.history_max;
	cfg->msl = msl;
	cfg->linger = linger;
	cfg->idle_timeout = idle_timeout;
	cfg->max_flows = tt_net_default_quota(net);
	RCU_INIT_POINTER(tn->config, cfg);

	err = tt_proc_net_init(net);
	if (err)
		goto err_free_config;
	err = tt_hooks_register(net);
	if (err)
		goto err_uninit_proc;
	spin_lock_bh(&tt_nets_lock);
	list_add_tail_rcu(&tn->node, &tt_nets);
	spin_unlock_bh(&tt_nets_lock);
	return 0;

err_uninit_proc:
	tt_proc_net_uninit(net);
err_free_config:
	kfree(cfg);
err_free_stats:
	free_percpu(tn->stats);
	return err;
}

/*
 * Stop the hooks, and leave tt_nets, first: the core waits for an RCU grace
 * period before exit, and then frees this tt_net without one.
 */
static void __net_exit net_pre_exit(struct net *net)
{
	struct tt_net *tn = tt_net(net);

	tt_hooks_unregister(net);
	spin_lock_bh(&tt_nets_lock);
	list_del_rcu(&tn->node);
	spin_unlock_bh(&tt_nets_lock);
}

static void __net_exit net_exit(struct net *net)
{
	struct tt_net *tn = tt_net(net);

	tt_table_flush(net, false);
	WARN_ON(atomic_read(&tn->flows));
	tt_proc_net_uninit(net);
	kfree(rcu_dereference_protected(tn->config, true));
	free_percpu(tn->stats);
}

static struct pernet_operations net_ops = {
	.init = net_init,
	.pre_exit = net_pre_exit,
	.exit = net_exit,
	.id = &tt_net_id,
	.size = sizeof(struct tt_net),
};

static bool param_ok(const char *name, unsigned int val, unsigned int min,
		     unsigned int max)
{
	if (val >= min && val <= max)
		return true;
	pr_err("%s=%u is out of range (%u-%u)\n", name, val, min, max);
	return false;
}

/**
 * tt_net_init() - start tracing every namespace, now and to come
 *
 * Return: 0, -EINVAL for a module parameter out of range, or an errno.
 */
int tt_net_init(void)
{
	if (!param_ok("msl", msl, TT_MSL_MIN, TT_MSL_MAX) ||
	    !param_ok("linger", linger, 0, TT_LINGER_MAX) ||
	    !param_ok("idle_timeout", idle_timeout, TT_IDLE_MIN, TT_IDLE_MAX))
		return -EINVAL;
	return register_pernet_subsys(&net_ops);
}

/**
 * tt_net_uninit() - stop tracing every namespace and free their flows
 */
void tt_net_uninit(void)
{
	unregister_pernet_subsys(&net_ops);
}

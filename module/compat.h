/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the kernel API differences tcptrace meets, in one place.
 *
 * The lab kernels are Debian 12's 6.1; tests/static/test-build also builds
 * the module against Debian 12's newer 6.12 headers. Each helper here names
 * the kernel release that changed the API it hides.
 */

#ifndef _TCPTRACE_COMPAT_H
#define _TCPTRACE_COMPAT_H

#include <linux/slab.h>
#include <linux/version.h>
#include <net/genetlink.h>

/**
 * tt_dump_attrs() - the parsed top-level attributes of a dump request
 * @cb: the dump's netlink callback
 *
 * Linux 6.6 moved them from struct genl_dumpit_info into the struct
 * genl_info that genl_info_dump() returns.
 *
 * Return: the attribute table the core validated against the op's policy.
 */
static inline struct nlattr **tt_dump_attrs(struct netlink_callback *cb)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The flow cache keeps its own name in /proc/slabinfo, where the tests and
 * students read its size: Linux 6.5's SLAB_NO_MERGE says so; before it, the
 * cache's constructor alone keeps it apart (flowtable.c).
 */
#ifndef SLAB_NO_MERGE
#define SLAB_NO_MERGE	0
#endif

#endif /* _TCPTRACE_COMPAT_H */

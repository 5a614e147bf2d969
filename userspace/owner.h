/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * Who holds a socket: the processes that have it open, found from its
 * inode as `ss -p` finds them (iproute2's user_ent_hash_build()): every
 * /proc/PID/fd/N that reads "socket:[INODE]", the command from
 * /proc/PID/comm.  Linux lets a user read only the fd directories of their
 * own processes (or with CAP_SYS_PTRACE): the others' are simply not seen,
 * as by ss -p.
 */

#ifndef TCPTRACECTL_OWNER_H
#define TCPTRACECTL_OWNER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* TASK_COMM_LEN */
#define OWNER_COMM_LEN	16

/**
 * struct owner_proc - a process that has a socket open
 * @ino: the socket's inode
 * @pid: the process
 * @fd: one of its fds that is the socket
 * @checked_ms: when @fd was last seen to be it (CLOCK_MONOTONIC)
 * @comm: its command, as /proc/PID/comm has it
 */
struct owner_proc {
	uint32_t ino;
	pid_t pid;
	int fd;
	uint64_t checked_ms;
	char comm[OWNER_COMM_LEN];
};

/* How lookups go: not at all (replay, ladder), or from a table of /proc. */
enum owner_mode {
	OWNER_OFF,
	OWNER_ONCE,		/* list, show: /proc read once, when first asked */
	OWNER_REFRESH,		/* monitor: read again for an inode not in it */
};

void owner_mode(enum owner_mode mode);
bool owner_enabled(void);
unsigned int owner_procs(uint32_t ino, const struct owner_proc **procs);

#endif /* TCPTRACECTL_OWNER_H */

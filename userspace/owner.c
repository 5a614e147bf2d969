// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * From a socket's inode to the processes that hold it, as `ss -p` does it
 * (iproute2's user_ent_hash_build()): walk /proc/[0-9]*, read each
 * fd/N link, keep those that read "socket:[INODE]", and the command of
 * their process.  The table is made once per command, when an inode is
 * first looked up; a monitor makes it again when an inode is not in it
 * (a socket opened since), or when a process it names no longer has the
 * socket at that fd (checked at most every 100 ms: a socket handed to
 * another program, closed in one of two): at most once a second for the
 * same missing inode, and
 * on average in at most a tenth of the monitor's time (a budget, so that
 * the burst of sockets of a new connection is read at once).  A
 * directory Linux does not let this user read (another user's process,
 * without CAP_SYS_PTRACE) is skipped, as ss skips it.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "owner.h"

/* How long an inode that no process was found holding is not looked for. */
#define MISS_MS		1000
/* Reading /proc again: a budget of time that grows by a tenth of the time
 * that passes, up to two seconds, and that each reading spends.
 */
#define SCAN_SHARE	10
#define SCAN_BUDGET_MS	2000
/* How often a monitor checks that a process still holds a socket. */
#define CHECK_MS	100

/**
 * struct miss - an inode not found in a fresh table
 * @ino: the inode
 * @at_ms: when (CLOCK_MONOTONIC)
 */
struct miss {
	uint32_t ino;
	uint64_t at_ms;
};

static enum owner_mode mode;
static struct owner_proc *tab;	/* by inode, then pid */
static size_t ntab, captab;
static bool built;
static uint64_t budget_ms = SCAN_BUDGET_MS, budget_at_ms;
static uint64_t scan_ms;		/* when the table was made */
static struct miss *missed;
static size_t nmissed, capmissed;

/**
 * owner_mode() - whether and how owner_procs() reads /proc
 * @m: OWNER_OFF (the default), OWNER_ONCE or OWNER_REFRESH
 */
void owner_mode(enum owner_mode m)
{
	mode = m;
}

/* Processes are looked up: the flows are of this host, now. */
bool owner_enabled(void)
{
	return mode != OWNER_OFF;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* All digits, as a pid or an fd is: ss's sscanf("%d%c") == 1. */
static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* /proc/PID/comm without its newline; "" if it cannot be read. */
static void read_comm(int pidfd, char comm[OWNER_COMM_LEN])
{
	int fd = openat(pidfd, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read(fd, comm, OWNER_COMM_LEN);
		close(fd);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	if (n < 0)
		n = 0;
	if (n >= OWNER_COMM_LEN)
		n = OWNER_COMM_LEN - 1;
	comm[n] = '\0';
}

/* The inode of a "socket:[N]" link, or 0. */
static uint32_t socket_ino(const char *lnk)
{
	static const char pfx[] = "socket:[";
	unsigned long v;
	char *end;

	if (strncmp(lnk, pfx, sizeof(pfx) - 1))
		return 0;
	v = strtoul(lnk + sizeof(pfx) - 1, &end, 10);
	if (*end != ']' || end[1] || v > UINT32_MAX)
		return 0;
	return v;
}

/* The sockets process @name (a directory of /proc) has open, into tab. */
static void scan_pid(int procfd, const char *name)
{
	struct owner_proc *p;
	char comm[OWNER_COMM_LEN], lnk[64];
	struct dirent *e;
	bool have_comm = false;
	int pidfd, fdfd;
	uint32_t ino;
	ssize_t n;
	DIR *d;

	pidfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return;
	fdfd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fdfd >= 0 ? fdopendir(fdfd) : NULL;
	if (!d) {		/* not ours to read (EACCES), or gone */
		if (fdfd >= 0)
			close(fdfd);
		close(pidfd);
		return;
	}
	while ((e = readdir(d))) {
		if (!is_number(e->d_name))
			continue;
		n = readlinkat(dirfd(d), e->d_name, lnk, sizeof(lnk) - 1);
		if (n < 0)
			continue;
		lnk[n] = '\0';
		ino = socket_ino(lnk);
		if (!ino)
			continue;
		if (!have_comm) {
			read_comm(pidfd, comm);
			have_comm = true;
		}
		p = ARRAY_PUSH(tab, ntab, captab);
		if (!p)
			break;	/* what was found stands */
		p->ino = ino;
		p->pid = atoi(name);
		p->fd = atoi(e->d_name);
		p->checked_ms = scan_ms;
		memcpy(p->comm, comm, sizeof(comm));
	}
	closedir(d);
	close(pidfd);
}

static int by_ino_pid(const void *a, const void *b)
{
	const struct owner_proc *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The table, from /proc as it is now; a process once per socket. */
static void build(void)
{
	uint64_t start = now_ms(), took;
	struct dirent *e;
	size_t i, k;
	DIR *d;

	scan_ms = start;
	ntab = 0;
	built = true;
	d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d)))
		if (is_number(e->d_name))
			scan_pid(dirfd(d), e->d_name);
	closedir(d);
	qsort(tab, ntab, sizeof(*tab), by_ino_pid);
	/* a socket open in several fds of one process: the process once */
	for (i = k = 0; i < ntab; i++)
		if (!k || by_ino_pid(&tab[k - 1], &tab[i]))
			tab[k++] = tab[i];
	ntab = k;
	took = now_ms() - start;	/* spent from the budget */
	budget_ms -= took < budget_ms ? took : budget_ms;
}

/* May /proc be read again now?  The budget, grown since last asked. */
static bool may_rebuild(uint64_t now)
{
	budget_ms += (now - budget_at_ms) / SCAN_SHARE;
	if (budget_ms > SCAN_BUDGET_MS)
		budget_ms = SCAN_BUDGET_MS;
	budget_at_ms = now;
	return budget_ms > 0;
}

/* The run of tab holding @ino: where it starts (@at), and its length. */
static unsigned int find(uint32_t ino, size_t *at)
{
	size_t lo = 0, hi = ntab, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tab[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ntab && tab[end].ino == ino; end++)
		;
	*at = lo;
	return end - lo;
}

/* Do the processes of a run of the table still hold its socket there? */
static bool still_held(struct owner_proc *p, unsigned int n, uint64_t now)
{
	char path[48], lnk[64];
	unsigned int i;
	ssize_t len;

	if (now - p[0].checked_ms < CHECK_MS)
		return true;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)p[i].pid,
			 p[i].fd);
		len = readlink(path, lnk, sizeof(lnk) - 1);
		if (len < 0)
			return false;
		lnk[len] = '\0';
		if (socket_ino(lnk) != p[i].ino)
			return false;
		p[i].checked_ms = now;
	}
	return true;
}

/* @ino was not found in a table made less than MISS_MS ago. */
static bool missed_lately(uint32_t ino, uint64_t now)
{
	size_t i, k;
	bool found = false;

	for (i = k = 0; i < nmissed; i++) {
		if (now - missed[i].at_ms >= MISS_MS)
			continue;	/* expired: dropped */
		found |= missed[i].ino == ino;
		missed[k++] = missed[i];
	}
	nmissed = k;
	return found;
}

/**
 * owner_procs() - the processes that hold a socket, by pid
 * @ino: the socket's inode (TT_A_FLOW_*_INODE)
 * @procs: set to the first of them
 *
 * Return: how many; 0 with OWNER_OFF, for inode 0, and for a socket no
 * process this user may see holds.
 */
unsigned int owner_procs(uint32_t ino, const struct owner_proc **procs)
{
	struct miss *m;
	unsigned int n;
	uint64_t now;
	size_t at;

	*procs = NULL;
	if (mode == OWNER_OFF || !ino)
		return 0;
	if (!built) {
		now = budget_at_ms = now_ms();
		build();
	} else {
		n = find(ino, &at);
		if (mode != OWNER_REFRESH) {
			*procs = tab + at;
			return n;
		}
		now = now_ms();
		if (n && (still_held(tab + at, n, now) || !may_rebuild(now))) {
			*procs = tab + at;
			return n;	/* as it was, or stale: over budget */
		}
		/* Over budget: not found this time, looked for again next. */
		if (!n && (missed_lately(ino, now) || !may_rebuild(now)))
			return 0;
		build();
	}
	n = find(ino, &at);
	*procs = tab + at;
	/* Not in a table made just now: no process this user may see. */
	if (!n && mode == OWNER_REFRESH) {
		m = ARRAY_PUSH(missed, nmissed, capmissed);
		if (m) {
			m->ino = ino;
			m->at_ms = now;
		}
	}
	return n;
}

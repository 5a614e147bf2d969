/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * tcptracectl: what the subcommands share.  Functions return 0 or a negative
 * errno; a subcommand's result becomes the exit status in main() (see
 * tcptracectl.8, EXIT STATUS).
 */

#ifndef TCPTRACECTL_H
#define TCPTRACECTL_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Results beyond the errno range: a usage error (exit 2), and the module
 * not being there or speaking another protocol version (exit 3).  Both have
 * been reported when they are returned.
 */
#define ERR_USAGE	4200
#define ERR_NOMODULE	4201

/* Global options, set by main() before a subcommand runs. */
struct opts {
	bool json;		/* --json: one JSON object per line */
	bool ladder;		/* --ladder: the sequence diagram */
	bool absolute;		/* --absolute: seq/ack as sent, not relative */
	bool color;		/* colours: a terminal, no NO_COLOR, or --color */
	bool extended;		/* -e: packets, bytes, ISNs in lists */
	const char *svg;	/* --svg FILE: the ladder as a picture */
};

extern struct opts opts;
extern const char *prog;

/* One subcommand: its name, its function, its line of usage. */
struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
	bool svg;		/* it draws --svg */
};

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_flush(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_ladder(int argc, char **argv);

struct genl;
int stats_fetch(struct genl *g, unsigned long long *v, bool *present,
		unsigned int n);

void seq_hidden_notice(void);

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool parse_uint(const char *s, unsigned long long max, unsigned long long *v);

#endif /* TCPTRACECTL_H */

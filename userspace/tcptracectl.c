// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The tcptrace developers.
 *
 * tcptracectl: list, watch and configure the tcptrace module, or replay a
 * capture through its state machine.  main() reads the global options
 * (anywhere on the command line), finds the subcommand in the table below,
 * as wireguard-tools' wg does, and turns its result into the exit status.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared.h"
#include "tcptracectl.h"

/* tcptrace's version, from debian/changelog (userspace/version.mk) */
#ifndef TT_VERSION
#define TT_VERSION "unknown"
#endif

struct opts opts;
const char *prog = "tcptracectl";
static bool reported;	/* an error was printed */

static const struct subcommand subcommands[] = {
	{ "list", cmd_list, "[state S] [port P] [addr A[/PLEN]] [family F]",
	  "the flows now (like ss, conntrack -L)", false },
	{ "show", cmd_show, "CLIENT SERVER",
	  "one flow with its history; ADDR:PORT or [ADDR6]:PORT", true },
	{ "monitor", cmd_monitor, "[--rcvbuf BYTES] [--count N] [FILTER...]",
	  "events as they happen (like ip monitor, conntrack -E)", false },
	{ "stats", cmd_stats, "", "the counters of this network namespace", false },
	{ "config", cmd_config, "[KEY VALUE]...",
	  "show, or set: enabled, port, addr, history, msl, linger, idle-timeout, max-flows", false },
	{ "flush", cmd_flush, "", "remove every flow of this network namespace", false },
	{ "replay", cmd_replay,
	  "FILE.pcap [--list | --stats] [--ignore-checksums] [--msl S] [--linger S] [--idle-timeout S] [--history N]\n"
	  "      [--graph tsg [--flow N] [--sender client|server]] [FILTER...]",
	  "run a capture through the state machine, no kernel needed; --graph tsg:\n"
	  "      the time-sequence graph of one direction as SVG (to --svg's FILE)", true },
	{ "ladder", cmd_ladder, "[--wire CAPTURE] EVENTS.json... [FILTER...]",
	  "one ladder per connection from monitor --json of several namespaces\n"
	  "      and a router's capture: each side as its own namespace saw it, lost\n"
	  "      segments marked", true },
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: %s [OPTIONS] SUBCOMMAND [ARGS]\n\n", prog);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %s %s\n      %s\n", subcommands[i].name,
			subcommands[i].args, subcommands[i].help);
	fprintf(f, "\noptions (anywhere on the line):\n"
		"  -j, --json         one JSON object per line\n"
		"  -l, --ladder       sequence diagram (show, monitor, replay)\n"
		"      --svg FILE     the sequence diagram as an SVG picture in FILE, '-' for\n"
		"                     stdout, in place of the text (show, replay, ladder)\n"
		"  -S, --absolute     sequence numbers as sent, not relative to the ISNs\n"
		"  -e, --extended     lists with packets, bytes, ISNs, TIME_WAIT left\n"
		"  -n, --numeric      accepted; output is always numeric\n"
		"      --color[=WHEN] always, never or auto (default: a terminal, and NO_COLOR unset)\n"
		"  -h, --help         this help\n"
		"  -V, --version      the version, and that of the netlink protocol\n"
		"\nexit status: 0 ok, 1 failed, 2 usage error, 3 the tcptrace module is not loaded\n"
		"or speaks another protocol version.  See tcptracectl(8).\n");
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	reported = true;
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * seq_hidden_notice() - say, once, that sequence numbers are withheld
 *
 * For a reader without CAP_NET_ADMIN over the network namespace (nor in
 * the module's seq_gid group) the module leaves out ISNs and the seq/ack
 * of notes, as ss shows such a user no sequence numbers: the output has
 * everything else, and this line on stderr says what is missing and why.
 */
void seq_hidden_notice(void)
{
	static bool said;

	if (said)
		return;
	said = true;
	fflush(stdout);
	fprintf(stderr, "%s: sequence numbers hidden: they need CAP_NET_ADMIN over this network namespace (or the module's seq_gid group)\n",
		prog);
}

/*
 * Report a usage error as ip and git do: the one-line reason and where the
 * help is, on stderr; the whole usage would bury the reason.
 */
int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return -ERR_USAGE;
}

/* A whole decimal number up to @max. */
bool parse_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno && *v <= max;
}

/* --color: WHEN; NULL for auto. */
static int set_color(const char *when)
{
	const char *nc = getenv("NO_COLOR");

	if (!when || !strcmp(when, "auto"))
		opts.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	else if (!strcmp(when, "always"))
		opts.color = true;
	else if (!strcmp(when, "never"))
		opts.color = false;
	else
		return usage_error("--color takes always, never or auto, not '%s'",
				   when);
	return 0;
}

/*
 * Take the global options out of argv, wherever they are, up to a "--".
 * Return: 0, 1 for --help or --version (done), or -ERR_USAGE.
 */
static int global_options(int *argc, char **argv)
{
	int i, n = 1, err = set_color(NULL);

	for (i = 1; i < *argc && !err; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (++i < *argc)
				argv[n++] = argv[i];
			break;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json"))
			opts.json = true;
		else if (!strcmp(a, "-l") || !strcmp(a, "--ladder"))
			opts.ladder = true;
		else if (!strcmp(a, "--svg") && i + 1 < *argc)
			opts.svg = argv[++i];
		else if (!strncmp(a, "--svg=", 6))
			opts.svg = a + 6;
		else if (!strcmp(a, "--svg"))
			err = usage_error("--svg takes a file name");
		else if (!strcmp(a, "-S") || !strcmp(a, "--absolute"))
			opts.absolute = true;
		else if (!strcmp(a, "-e") || !strcmp(a, "--extended"))
			opts.extended = true;
		else if (!strcmp(a, "-n") || !strcmp(a, "--numeric"))
			;
		else if (!strcmp(a, "--color") || !strcmp(a, "--colour"))
			err = set_color("always");
		else if (!strncmp(a, "--color=", 8))
			err = set_color(a + 8);
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("%s %s, netlink protocol version %d\n", prog,
			       TT_VERSION, TT_GENL_VERSION);
			return 1;
		} else
			argv[n++] = argv[i];
	}
	*argc = n;
	argv[n] = NULL;
	if (err || !opts.svg)
		return err;
	if (!*opts.svg || (opts.svg[0] == '-' && opts.svg[1]))
		return usage_error("--svg takes a file name, not '%s'", opts.svg);
	if (opts.json)
		return usage_error("--json and --svg do not mix");
	opts.ladder = true;	/* a ladder, drawn as a picture */
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i;
	int err;

	err = global_options(&argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	if (argc < 2) {
		usage_error("which subcommand?");
		return 2;
	}
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (strcmp(argv[1], subcommands[i].name))
			continue;
		if (opts.svg && !subcommands[i].svg) {
			usage_error("%s has no --svg: show, replay and ladder draw one",
				    argv[1]);
			return 2;
		}
		err = subcommands[i].run(argc - 1, argv + 1);
		if (fflush(stdout) && !err)
			err = -errno;
		switch (err) {
		case 0:
			return 0;
		case -ERR_USAGE:
			return 2;
		case -ERR_NOMODULE:
			return 3;
		default:
			if (!reported)
				error_msg("%s: %s", argv[1], strerror(-err));
			return 1;
		}
	}
	usage_error("unknown subcommand '%s'", argv[1]);
	return 2;
}

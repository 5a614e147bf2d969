# SPDX-License-Identifier: GPL-2.0
#
# tcptrace: build, install, lab VM, checks. README.md documents every target
# and variable; `make help` lists the targets. Add a target to the section it
# belongs to, to .PHONY, to `help` and to README.md.

# ---- configuration ---------------------------------------------------------

TT_REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# Lab kernels, initramfs and checkpatch (scripts/setup fills it).
TT_CACHE ?= $(TT_REPO)/.cache
export TT_CACHE

# The stock lab kernel's release, e.g. 6.1.0-56-amd64 (never hard-coded:
# read from the installed linux-headers-amd64). Lazy: setup may install it.
LAB_KVER = $(shell $(TT_REPO)/scripts/lib/kver stock 2>/dev/null)
HOST_KVER := $(shell uname -r)
# Kernel build tree for `make`: the running kernel's if it has one, else the
# stock lab kernel's headers.
HOST_KDIR := /lib/modules/$(HOST_KVER)/build
KDIR ?= $(if $(wildcard $(HOST_KDIR)/Makefile),$(HOST_KDIR),/usr/src/linux-headers-$(LAB_KVER))

LABVM := $(TT_REPO)/scripts/lab-vm
# Kernel of vm-shell and demo, and the kernels `make check` tests on:
# Debian 12's 6.1, stock and PREEMPT_RT. Debian 12's newer 6.12 and the
# debug kernel scripts/setup builds (KASAN, lockdep, kmemleak, fault
# injection) boot too and are checked with LABVM_KERNELS="stock rt 6.12
# debug"; they join the default once their suites are green on them
# within the time budget (issue 11: test-table on 6.12, the debug
# kernel's time).
LABVM_KERNEL ?= stock
LABVM_KERNELS ?= stock rt
# Lab VM tests that make check runs at once (tests/run --jobs): most of a
# VM test's time is TCP's own timers, so two guests share two cores well.
CHECK_JOBS ?= 2
# Extra scripts/lab-vm options for vm-shell and demo (e.g. --smp 1 --icount).
LABVM_FLAGS ?=

PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_MOD_PATH ?=
export PREFIX DESTDIR INSTALL_MOD_PATH
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

# tcptrace's version: the first entry of debian/changelog, its one home
# (userspace/version.mk reads it for tcptracectl --version, dh for the
# packages). DKMS keeps the module's source in /usr/src/tcptrace-VERSION.
TT_VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' $(TT_REPO)/debian/changelog)
DKMS_SRC = /usr/src/tcptrace-$(TT_VERSION)
# Kernel of dkms-install: the running one unless KVER=...
KVER ?= $(HOST_KVER)

.PHONY: all module userspace modules-lab install modules_install \
	dkms-source dkms-install dkms-uninstall check-package \
	setup vm-shell demo lab \
	check check-quick check-fresh test-labvm test-vm test-vm-rt style sparse bench \
	bench-replay bench-events bench-scale \
	clean distclean help

# ---- build -------------------------------------------------------------------

all: module userspace

module:
	@test -f $(KDIR)/Makefile || { echo "no kernel build tree at KDIR=$(KDIR): run make setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TT_REPO)/module modules

userspace:
	$(MAKE) -C userspace

# module/ for every lab kernel, into build/KVER/tcptrace.ko (what the lab VM
# loads as $$TT_KO; scripts/lab-vm also does this by itself when stale).
modules-lab: setup
	@for k in $(LABVM_KERNELS); do \
		kver=$$(scripts/lib/kver $$k) && scripts/lib/build-module $$kver || exit 1; \
	done

# ---- install -------------------------------------------------------------------

install: all modules_install
	$(MAKE) -C userspace install
	install -D -m 0644 userspace/tcptracectl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/tcptracectl

modules_install: module
	$(MAKE) -C $(KDIR) M=$(TT_REPO)/module modules_install

# The module's source as DKMS builds it, into $(DESTDIR)/usr/src/tcptrace-VERSION
# (debian/rules uses it too: one list of files). No dkms.conf: dh_dkms or
# dkms-install puts it there with the version filled in.
DKMS_FILES = module/Kbuild $(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h)
dkms-source:
	rm -rf $(DESTDIR)$(DKMS_SRC)
	install -d $(DESTDIR)$(DKMS_SRC)/uapi/linux
	install -m 0644 $(DKMS_FILES) $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 module/uapi/linux/tcptrace.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/

# This checkout's module under DKMS (as root), built and installed for KVER;
# DKMS rebuilds it for each kernel installed later. Replaces an earlier
# dkms-install of the same version.
dkms-install:
	@command -v dkms >/dev/null || { echo "dkms not found: run make setup" >&2; exit 1; }
	@if [ -n "$$(dkms status -m tcptrace -v $(TT_VERSION))" ]; then \
		echo "dkms remove -m tcptrace -v $(TT_VERSION) --all"; \
		dkms remove -m tcptrace -v $(TT_VERSION) --all >/dev/null; fi
	$(MAKE) dkms-source DESTDIR=
	sed 's/#MODULE_VERSION#/$(TT_VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	dkms add -m tcptrace -v $(TT_VERSION)
	dkms build -m tcptrace -v $(TT_VERSION) -k $(KVER)
	dkms install -m tcptrace -v $(TT_VERSION) -k $(KVER)

dkms-uninstall:
	@if [ -n "$$(dkms status -m tcptrace -v $(TT_VERSION))" ]; then \
		echo "dkms remove -m tcptrace -v $(TT_VERSION) --all"; \
		dkms remove -m tcptrace -v $(TT_VERSION) --all; fi
	rm -rf $(DKMS_SRC)

# ---- lab VM ------------------------------------------------------------------

setup:
	@$(TT_REPO)/scripts/setup

vm-shell: setup
	$(LABVM) --kernel $(LABVM_KERNEL) $(LABVM_FLAGS)

# The guided tour (scripts/demo): a few of the break-it lab's scenarios,
# each drawn live as a ladder, in the lab VM.
DEMO := scripts/demo
demo: setup userspace
	$(LABVM) --kernel $(LABVM_KERNEL) $(LABVM_FLAGS) -- $(TT_REPO)/$(DEMO)

# The break-it lab (docs/lab.md): run the scenarios (all, or those of
# LAB_SCENARIOS) in the lab VM, and only if every check held, replace their
# run records in docs/lab/runs/ and render the page from the records.
LAB_SCENARIOS ?=
LAB_OUT := $(TT_REPO)/build/lab-runs
lab: setup userspace
	@rm -rf $(LAB_OUT) && mkdir -p $(LAB_OUT)
	$(LABVM) --kernel $(LABVM_KERNEL) $(LABVM_FLAGS) --rw $(LAB_OUT) -- \
		$(TT_REPO)/scripts/scenarios --out $(LAB_OUT) $(LAB_SCENARIOS)
	@mkdir -p $(TT_REPO)/docs/lab/runs
	@for d in $(LAB_OUT)/*/; do \
		n=$$(basename "$$d"); \
		rm -rf $(TT_REPO)/docs/lab/runs/$$n && mv "$$d" $(TT_REPO)/docs/lab/runs/$$n || exit 1; \
	done
	$(TT_REPO)/scripts/lab-render

# ---- checks ------------------------------------------------------------------
# Suites are directories tests/NAME/ run by tests/run (see tests/README.md);
# each prints PASS:/FAIL:/SKIP: lines, the last line is "N passed, N failed".

TESTS_KERNELS = $(foreach k,$(LABVM_KERNELS),--kernel $(k))

# Everything, on a fresh machine too: setup, build, host tests, static
# checks, the harness's tests and all VM suites on every lab kernel.
check:
	@$(TT_REPO)/scripts/setup
	@$(TT_REPO)/tests/run --build --jobs $(CHECK_JOBS) $(TESTS_KERNELS)

# Host-only tests marked quick (no VM, under a minute).
check-quick:
	@$(TT_REPO)/tests/run --quick

# The fresh-machine check (scripts/check-fresh): setup, make demo and make
# check (stock) in a minimal Debian 12 root made by debootstrap, so that a
# program whose package scripts/lib/packages.list misses fails there. Not
# part of check: ~15 min; run it before each submission.
check-fresh: setup
	@$(TT_REPO)/scripts/check-fresh $(CHECK_FRESH_FLAGS)

# The Debian packages (scripts/check-package): built, lintian-checked,
# installed into a minimal Debian 12 root where DKMS builds the module for
# each lab kernel, loaded there in the lab VM, upgraded, purged. Not part of
# check (CHECK_PACKAGE_FLAGS, e.g. --kernels stock).
check-package: setup
	@$(TT_REPO)/scripts/check-package $(CHECK_PACKAGE_FLAGS)

test-labvm: setup
	@$(TT_REPO)/tests/run --suite labvm $(TESTS_KERNELS)

test-vm: setup
	@$(TT_REPO)/tests/run --vm-only --kernel stock

test-vm-rt: setup
	@$(TT_REPO)/tests/run --vm-only --kernel rt

style:
	@$(TT_REPO)/tests/static/test-checkpatch

sparse:
	@$(TT_REPO)/tests/static/test-sparse

# Not a check: what the module costs, loaded vs unloaded, in one lab VM boot
# under -icount (scripts/bench; LABVM_KERNEL picks the kernel).
bench: setup
	@$(TT_REPO)/scripts/bench --kernel $(LABVM_KERNEL)

# Not a check: events per guest second to one `tcptracectl --json monitor`
# under a burst of short connections, and whether each loss is counted.
bench-events: setup userspace
	@$(TT_REPO)/scripts/bench --kernel $(LABVM_KERNEL) --events

# Not a check: 1,000,000 flows in the table; per-segment cost at 1 k and
# 1 M flows, a full /proc and netlink dump, a namespace's teardown.
bench-scale: setup userspace
	@$(TT_REPO)/scripts/bench --kernel $(LABVM_KERNEL) --scale 1000000

# Not a check: replay on a generated 3 M-segment capture against a bare
# libpcap read loop and classic tcptrace -n (scripts/bench-replay).
bench-replay: setup
	@$(TT_REPO)/scripts/bench-replay

# ---- clean -------------------------------------------------------------------

clean:
	@if [ -f $(KDIR)/Makefile ]; then $(MAKE) -C $(KDIR) M=$(TT_REPO)/module clean; fi
	$(MAKE) -C userspace clean
	rm -rf $(TT_REPO)/build

# Also the downloaded lab kernels (scripts/setup fetches them again).
distclean: clean
	rm -rf $(TT_CACHE)

help:
	@echo "build:    all (default) module userspace modules-lab"
	@echo "install:  install modules_install dkms-install dkms-uninstall dkms-source"
	@echo "lab VM:   setup vm-shell demo lab"
	@echo "checks:   check check-quick check-fresh check-package test-labvm test-vm test-vm-rt style sparse"
	@echo "bench:    bench bench-events bench-scale bench-replay (not part of check)"
	@echo "clean:    clean distclean"
	@echo "variables (README.md): KDIR=$(KDIR) TT_CACHE=$(TT_CACHE)"
	@echo "  LABVM_KERNEL=$(LABVM_KERNEL) LABVM_KERNELS=\"$(LABVM_KERNELS)\" LABVM_FLAGS=$(LABVM_FLAGS)"
	@echo "  LAB_SCENARIOS=$(LAB_SCENARIOS) CHECK_JOBS=$(CHECK_JOBS)"
	@echo "  PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)"
	@echo "  BASHCOMPDIR=$(BASHCOMPDIR) KVER=$(KVER) version $(TT_VERSION)"

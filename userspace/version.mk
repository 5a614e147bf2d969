# SPDX-License-Identifier: GPL-2.0
#
# The version tcptracectl --version prints: that of the first entry of
# debian/changelog, the one home of tcptrace's version (the package, DKMS's
# /usr/src/tcptrace-VERSION and make dkms-install read it there too).
# Included by userspace/Makefile; `make TT_VERSION=...` overrides it.

TT_CHANGELOG := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../debian/changelog)
TT_VERSION ?= $(or $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' $(TT_CHANGELOG) 2>/dev/null),unknown)
override CFLAGS += -DTT_VERSION='"$(TT_VERSION)"'
# A new version rebuilds what prints it (a rule that is not the default goal).
tt_default_goal := $(.DEFAULT_GOAL)
tcptracectl.o: $(wildcard $(TT_CHANGELOG))
.DEFAULT_GOAL := $(tt_default_goal)

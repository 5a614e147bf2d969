# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What the tests of tests/tools share: the tool, built quietly, and
# kselftest result lines.

tools_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd -- "$tools_dir/../.." && pwd -P)
# shellcheck disable=SC2034  # used by the tests that source this
tool=$repo/userspace/tcptracectl
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

# build_tool: make userspace (the tests run what the checkout builds).
build_tool() {
	local log
	log=$(make -s -C "$repo/userspace" 2>&1) && return 0
	echo "$log"
	fail "tcptracectl builds (make -C userspace)"
	exit 1
}

finish() { exit "$failed"; }

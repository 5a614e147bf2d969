# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers of the tests in tests/labvm: sourced, never run.

TT_REPO=${TT_REPO:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)}
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/common.sh
. "$TT_REPO/scripts/lib/common.sh"
LABVM=$TT_REPO/scripts/lab-vm
# shellcheck disable=SC2034  # used by the tests
read -r -a kernels <<<"${TT_KERNELS:-stock rt}"
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP: $*"; }

# check NAME 'CONDITION': PASS or FAIL NAME by CONDITION, a shell expression
# (single-quoted: it is evaluated here, with && and || as written).
check() {
	local _check_name=$1	# not "name": the condition may use that
	shift
	if eval "$*"; then pass "$_check_name"; else fail "$_check_name"; fi
}

# labvm OUT ARGS...: run lab-vm with ARGS, stdout and stderr into OUT, and
# set $rc to its exit status. Never builds module/: these tests are about
# the harness, not tcptrace.
labvm() {
	local out=$1
	shift
	rc=0
	# shellcheck disable=SC2034  # read by the tests
	"$LABVM" --no-build "$@" >"$out" 2>&1 || rc=$?
}

# test_modules FLAVOUR: the directory of the test modules built for that
# kernel (tests/labvm/modules), building them when needed.
test_modules() {
	local kver ko
	kver=$(tt_kver "$1") || return 1
	ko=$("$TT_REPO/scripts/lib/build-module" -q --src "$TT_REPO/tests/labvm/modules" "$kver" |
		head -n1) || return 1
	dirname -- "$ko"
}

# Exit like a kselftest: 1 when anything failed.
finish() {
	[ "$failures" -eq 0 ]
}

# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the tcptrace scripts: sourced, never run.
#
# Sets TT_REPO (the checkout) and TT_CACHE (downloaded lab kernels, the
# initramfs and checkpatch; default $TT_REPO/.cache, ignored by git).

TT_REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
TT_CACHE=${TT_CACHE:-$TT_REPO/.cache}
# The kernel flavours the lab knows: Debian's stock and PREEMPT_RT lab
# kernels (their meta-packages name the current ABI: linux-headers-amd64
# depends on linux-headers-6.1.0-NN-amd64), Debian 12's newer 6.12 kernel,
# and the debug kernel scripts/lib/build-debug-kernel builds from the stock
# kernel's source with KASAN, lockdep, kmemleak... on.
TT_FLAVOURS="stock rt 6.12 debug"
# Debian 12's newer kernel series, whose headers the module is built against
# too (module/compat.h is checked on them) and whose image the 6.12 flavour
# boots. The meta-package depends on linux-headers-6.12.NN+deb12-amd64.
TT_NEWER_HEADERS=linux-headers-6.12-amd64
TT_NEWER_SERIES=6.12
# The debug kernel's release: the source's version with this suffix
# (CONFIG_LOCALVERSION in scripts/lib/debug-kernel.config).
TT_DEBUG_SUFFIX=-tt-debug

tt_prog=$(basename -- "$0")

die() {
	printf '%s: error: %s\n' "$tt_prog" "$*" >&2
	exit "${TT_DIE_CODE:-1}"
}

warn() {
	printf '%s: warning: %s\n' "$tt_prog" "$*" >&2
}

note() {
	[ -n "${TT_QUIET:-}" ] || printf '%s: %s\n' "$tt_prog" "$*" >&2
}

# tt_meta_pkg FLAVOUR: the Debian headers meta-package of a flavour.
tt_meta_pkg() {
	case $1 in
	stock) echo linux-headers-amd64 ;;
	rt) echo linux-headers-rt-amd64 ;;
	*) return 1 ;;
	esac
}

# tt_debug_source: the Debian source package of the debug kernel, that of
# the stock lab kernel's series (e.g. linux-source-6.1).
tt_debug_source() {
	local kver
	kver=$(tt_kver stock) || return 1
	echo "linux-source-$(echo "$kver" | cut -d. -f1,2)"
}

# tt_kver FLAVOUR: the lab kernel release (e.g. 6.1.0-56-amd64), read from
# the installed headers meta-package so that the kernel we boot always
# matches the headers we build against. Never hard-coded. For 6.12: the
# newest 6.12 headers tree setup cached; for debug: the installed
# linux-source's upstream version plus TT_DEBUG_SUFFIX.
tt_kver() {
	local pkg dep
	case $1 in
	"$TT_NEWER_SERIES")
		dep=$(tt_newer_kvers | grep -F "$TT_NEWER_SERIES." | sort -V | tail -n1)
		[ -n "$dep" ] || { warn "no $TT_NEWER_SERIES headers cached: run scripts/setup"; return 1; }
		echo "$dep"
		return 0
		;;
	debug)
		pkg=$(tt_debug_source) || return 1
		dep=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
			{ warn "$pkg is not installed: run scripts/setup"; return 1; }
		dep=${dep#*:}
		echo "${dep%%-*}$TT_DEBUG_SUFFIX"
		return 0
		;;
	esac
	pkg=$(tt_meta_pkg "$1") || { warn "unknown kernel flavour '$1' (known: $TT_FLAVOURS)"; return 1; }
	dep=$(dpkg-query -W -f='${Depends}' "$pkg" 2>/dev/null) || dep=
	dep=${dep%%[ ,]*}		# "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)"
	case $dep in
	linux-headers-*) echo "${dep#linux-headers-}" ;;
	*) warn "$pkg is not installed: run scripts/setup"; return 1 ;;
	esac
}

# tt_kver_version KVER: the Debian version of the installed headers of KVER,
# which is the version of the kernel image to fetch.
tt_kver_version() {
	dpkg-query -W -f='${Version}' "linux-headers-$1" 2>/dev/null
}

# tt_kernel_dir KVER: where the extracted kernel image package lives.
tt_kernel_dir() {
	echo "$TT_CACHE/kernels/$1"
}

# tt_kernel_ready KVER: the cached kernel is complete (the stamp is written last).
tt_kernel_ready() {
	[ -f "$(tt_kernel_dir "$1")/.tt-ready" ]
}

# tt_newer_kvers: the releases of the compile-only header trees setup cached.
tt_newer_kvers() {
	local d
	for d in "$TT_CACHE"/headers/*/.tt-ready; do
		[ -f "$d" ] || continue
		d=${d%/.tt-ready}
		echo "${d##*/}"
	done
}

# tt_kdir KVER: the kernel build tree to build a module against: the
# installed headers of a lab kernel, a headers tree of the cache (6.12), or
# the build tree of a cached kernel (debug).
tt_kdir() {
	local d
	for d in "/lib/modules/$1/build" "/usr/src/linux-headers-$1" \
		 "$TT_CACHE/headers/$1/usr/src/linux-headers-$1" \
		 "$TT_CACHE/kernels/$1/lib/modules/$1/build"; do
		[ -f "$d/Makefile" ] && { echo "$d"; return 0; }
	done
	return 1
}

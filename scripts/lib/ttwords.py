# SPDX-License-Identifier: GPL-2.0
"""The words tcptrace prints, for the lab and the tests: the names of the
family's YAML spec (module/uapi/tcptrace.yaml, as ttnl reads it) and, where
the module prints another word, the one table of those words.

    word("why", "retransmitted-syn") -> "retransmitted-syn"
    flags_str(TCP_FLAGS["SYN"] | TCP_FLAGS["ACK"]) -> "SYN,ACK"
"""

from ttnl import SPEC

# Spec name -> the word module/state.c prints, where the two differ: none
# now, since the module prints the spec's names (tests/tools/test-names
# fails when they differ).  An entry here would be the only copy of such a
# word in Python.
PRINTED = {}


def word(enum, name):
    """The printed word of an entry of a spec enum."""
    if name not in SPEC.entries[enum]:
        raise KeyError(f"the spec has no {enum} {name}")
    return PRINTED.get(enum, {}).get(name, name)


# The TCP flags, by their names as printed: {"FIN": 0x01, "SYN": 0x02...}.
TCP_FLAGS = {n.upper(): 1 << i
             for i, n in enumerate(SPEC.entries["tcp-flags"])}
# The order the module writes them in (tt_tcp_flags_str(), module/parse.c):
# SYN first, then by bit.
FLAG_ORDER = ["SYN"] + [n for n in TCP_FLAGS if n != "SYN"]


def flags_str(flags):
    """TCP flags as the tracker writes them: "SYN,ACK", "NONE"."""
    names = [n for n in FLAG_ORDER if flags & TCP_FLAGS[n]]
    return ",".join(names) if names else "NONE"

# SPDX-License-Identifier: GPL-2.0
"""Who is where in the break-it lab, and the timers it sets: the names the
lab (lab.py, run.py), its record (record.py) and its page share. The
picture is in lab.py.
"""

import os

from ttvm import REPO

TOOL = os.path.join(REPO, "userspace", "tcptracectl")

NS = {"client": "tt-client", "router": "tt-router", "server": "tt-server"}
ADDR = {"client": "10.0.1.1", "server": "10.0.2.1"}
GATEWAY = {"client": "10.0.1.2", "server": "10.0.2.2"}
# The router's interface toward each endpoint.
ROUTER_IF = {"client": "r0", "server": "r1"}

# The stack's own timers, set in both endpoints' namespaces, so that what
# Linux does after a loss happens within seconds and always the same way.
SYSCTLS = {
    # Give up a connect() after 4 SYN retransmissions, a half-open request
    # after 4 SYN-ACK retransmissions (defaults 6 and 5).
    "net.ipv4.tcp_syn_retries": 4,
    "net.ipv4.tcp_synack_retries": 4,
    # Give up on an established connection, and on an orphan (closed by
    # its application) in FIN_WAIT_1, CLOSING or LAST_ACK, once 3 s have
    # passed since the first retransmission (Linux models the limit as an
    # RTO of 200 ms doubled tcp_retries2 times: 200 ms * (2^4 - 1),
    # retransmits_timed_out()). With the 1 s RTO floor below: two
    # retransmissions, 1 s and 3 s after the first send, and the socket
    # dies at the next timeout, 7 s after it. Defaults 15 (about 15 min)
    # and 0 (which means 8).
    "net.ipv4.tcp_retries2": 3,
    "net.ipv4.tcp_orphan_retries": 3,
    # An orphan in FIN_WAIT_2 waits 5 s for the peer's FIN (default 60).
    "net.ipv4.tcp_fin_timeout": 5,
    # No tail loss probe: every resend comes from the retransmission timer
    # (default 3: probes after about two round trips).
    "net.ipv4.tcp_early_retrans": 0,
    # Keep no per-destination metrics: otherwise a connection's first RTO
    # comes from the RTTs of earlier connections to the same address
    # (tcp_init_metrics()), and one scenario would change the next.
    "net.ipv4.tcp_no_metrics_save": 1,
}
# The retransmission timer's floor, a route metric (default 200 ms): 1 s,
# so that every resend of data or FIN is a second apart, then two, four...
RTO_MIN = "1s"
# The module's parameters: TIME_WAIT lasts 2 * msl in the tracker, 60 s as
# in Linux (scenarios that wait it out shorten it with `tcptracectl config
# msl`); an ended flow stays listed linger seconds; a flow with no segment
# for idle_timeout seconds is dropped (outcome timed-out).
MODULE_PARAMS = {"msl": 30, "linger": 1, "idle_timeout": 10}
# The same as `tcptracectl config` keys, to restore what a scenario changed.
MODULE_DEFAULTS = {"msl": MODULE_PARAMS["msl"],
                   "linger": MODULE_PARAMS["linger"],
                   "idle-timeout": MODULE_PARAMS["idle_timeout"]}

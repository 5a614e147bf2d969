# SPDX-License-Identifier: GPL-2.0
"""A re-export, kept so that tests importing ttlab go on working: the lab
VM helpers (namespaces, ss, /proc/tcptrace, kselftest results) live in
scripts/lib/ttvm.py (its checkout's, or $TT_REPO's for a copy of this file
elsewhere).  New code imports ttvm."""

import os as _os
import sys as _sys

for _repo in (_os.path.dirname(_os.path.dirname(_os.path.dirname(
        _os.path.abspath(__file__)))), _os.environ.get("TT_REPO", "")):
    _sys.path.append(_os.path.join(_repo, "scripts", "lib"))
try:
    from ttvm import *  # noqa: E402,F401,F403
except ModuleNotFoundError as _e:
    raise ImportError("ttlab re-exports scripts/lib/ttvm.py: set TT_REPO "
                      "to a checkout this user can read, or copy ttvm.py "
                      "along") from _e

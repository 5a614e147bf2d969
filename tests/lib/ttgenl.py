# SPDX-License-Identifier: GPL-2.0
"""A re-export, kept so that tests importing ttgenl go on working: the raw
generic netlink client lives in scripts/lib/ttnl.py (its checkout's, or
$TT_REPO's for a copy of this file elsewhere).  New code imports ttnl."""

import os as _os
import sys as _sys

for _repo in (_os.path.dirname(_os.path.dirname(_os.path.dirname(
        _os.path.abspath(__file__)))), _os.environ.get("TT_REPO", "")):
    _sys.path.append(_os.path.join(_repo, "scripts", "lib"))
try:
    from ttnl import *  # noqa: E402,F401,F403
except ModuleNotFoundError as _e:
    raise ImportError("ttgenl re-exports scripts/lib/ttnl.py: set TT_REPO "
                      "to a checkout this user can read, or copy ttnl.py "
                      "along") from _e

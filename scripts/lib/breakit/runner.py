# SPDX-License-Identifier: GPL-2.0
"""Run scenarios in a lab and report their checks (kselftest lines)."""

import os
import traceback

from ttvm import log

from . import record
from .lab import Lab
from .run import Run


def run_scenario(lab, scen, outdir=None, say=None, on_start=None):
    """Run one scenario; its record, with the checks. on_start(run) is
    called once the scenario's ports are chosen, before it starts."""
    s = Run(lab, scen, say)
    if on_start:
        on_start(s)
    error = None
    try:
        scen.fn(s)
    except Exception as e:  # noqa: BLE001  a failed step is a failed check
        error = f"{type(e).__name__}: {e}"
        log(traceback.format_exc().rstrip().replace("\n", "\n# "))
        for who, m in lab.mon.items():
            log(f"{who} monitor (exit {m.p.poll()}), start {s.starts[who]} size {m.size()}:")
            for e in s.watch.events(who):
                log("  ", e["type"], e.get("endpoint"), e.get("why"), e["client"])
    s.finish()
    return record.build(s, outdir, error)


def report(rec, results):
    """The checks of a record as PASS:/FAIL: lines."""
    for c in rec["checks"]:
        results.check(c["ok"], f"{rec['scenario']} [{rec['kernel']}]: "
                      f"{c['name']}", c["detail"])


def run_all(scens, outdir=None, results=None, lab=None):
    own = lab is None
    if own:
        lab = Lab()
        lab.start()
    recs = []
    try:
        for scen in scens:
            rec = run_scenario(lab, scen, outdir and
                               os.path.join(outdir, scen.name))
            log(f"{scen.name}: {rec['duration']:.1f} s")
            if results:
                report(rec, results)
            recs.append(rec)
    finally:
        if own:
            lab.stop()
    return recs

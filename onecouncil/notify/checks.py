"""The alert for a transform run whose blocking data checks failed (packs go out as DRAFT)."""

from __future__ import annotations

import hashlib

from onecouncil.quality.results import Verdict


def blocking_failures(verdict: Verdict, conn=None):
    """Email the data team the blocking checks that failed, once per set of failures: the
    same checks failing on the same number of rows in the next run is the same event."""
    failures = sorted(verdict.blocking_failures)
    if not failures:
        return None
    from onecouncil.notify.send import notify

    fingerprint = hashlib.sha256("\n".join(
        f"{r.source}:{r.check_name}:{r.failing_rows}" for r in failures).encode()).hexdigest()
    lines = [f"What happened: {len(failures)} blocking data "
             f"{'check' if len(failures) == 1 else 'checks'} failed in transform run "
             f"{verdict.run_id}, so every pack is rendered marked DRAFT - data checks failed:"]
    lines += [f"- {r.check_name} ({r.source}) on {r.relation or 'the warehouse'}: "
              f"{r.failing_rows if r.failing_rows is not None else 'some'} rows failing"
              + (f"; {r.message}" if r.message else "") for r in failures]
    lines += ["", "Period: every period whose pack reads these tables.", "",
              "What to do next: find the failing rows (the check names the table and "
              "column; GX checks are in the Data Docs under $ONECOUNCIL_HOME/gx/), correct "
              "the source file and drop the corrected file into the landing folder: it "
              "restates its period, the transform runs again and the packs follow."]
    return notify(f"blocking-checks:{fingerprint[:20]}", "blocking check failed",
                  f"{len(failures)} blocking data "
                  f"{'check' if len(failures) == 1 else 'checks'} failed: packs are DRAFT",
                  "\n".join(lines), conn=conn)

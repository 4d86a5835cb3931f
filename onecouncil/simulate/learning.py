"""The learning system: mandatory training, a snapshot at each quarter end.

About 2,500 colleagues (pseudonymous, P000123), each assigned cyber security, data
protection and health and safety once a year on their own cycle, and on joining.
Most complete on time; some late; some not at all. People join and leave between
snapshots.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import (
    YEAR,
    Landing,
    at,
    insert_bad,
    quarter_snapshots,
    rng_for,
    working_day_after,
)
from onecouncil.simulate.org import Org

COURSES = ("Cyber security", "Data protection", "Health and safety")
_WINDOW = np.array([28, 28, 56])  # days to complete after assignment
_HEADCOUNT = {"ADS": 420, "CHS": 520, "ENP": 330, "HRG": 180, "PLP": 200, "FIN": 430,
              "LAG": 150, "STE": 270}
_DILIGENCE = {"ADS": 0.9, "CHS": 0.88, "ENP": 0.8, "HRG": 0.87, "PLP": 0.9, "FIN": 0.95,
              "LAG": 0.94, "STE": 0.92}


def write_training(landing: Landing, org: Org, through: FiscalPeriod, scale: float,
                   seed: int) -> None:
    rng = rng_for(seed, "training")
    codes = list(_HEADCOUNT)
    p = np.array([_HEADCOUNT[c] for c in codes], float)
    p /= p.sum()
    n0 = max(40, int(round(2500 * scale)))
    year_start = np.datetime64(YEAR.first_day.isoformat(), "D")
    # starters during the year and leavers: drawn for everyone once
    n_new = max(3, int(round(n0 * 0.12)))
    n = n0 + n_new
    directorate = np.array(codes)[rng.choice(len(codes), size=n, p=p)]
    joined = np.concatenate([
        year_start - rng.integers(60, 9000, size=n0),
        year_start + np.sort(rng.integers(0, 365, size=n_new)),
    ]).astype("datetime64[D]")
    leaves = rng.random(n) < 0.12
    left = np.where(leaves, year_start + rng.integers(0, 365, size=n), np.datetime64("2099-12-31"))
    left = left.astype("datetime64[D]")
    cycle = rng.integers(0, 365, size=(n, 3))  # each course renews on its own day of the year
    diligence = np.array([_DILIGENCE[d] for d in directorate])
    never = rng.random((n, 3)) > diligence[:, None]
    delay = np.maximum(1, rng.lognormal(np.log(9), 0.7, size=(n, 3))).astype(int)
    refs = np.array([f"P{k + 100:06d}" for k in range(n)])
    header = ["as_at_date", "person_ref", "directorate_code", "course", "assigned_date",
              "due_date", "completed_date"]
    snapshots = quarter_snapshots(through)
    for q, fq in snapshots:
        as_at = np.datetime64(fq.last_day.isoformat(), "D")
        present = (joined <= as_at) & (left > as_at)
        idx = np.flatnonzero(present)
        person = np.repeat(idx, 3)
        course = np.tile(np.arange(3), len(idx))
        # latest annual renewal on or before as_at, or joining + 3 days for a new starter
        renew_this = np.datetime64("2025-01-01", "D") + cycle[person, course]
        renew = np.where(renew_this + 365 <= as_at, renew_this + 365, renew_this)
        renew = np.where(renew > as_at, renew - 365, renew)
        start = joined[person] + 3
        assigned = np.where(start > renew, start, renew)
        assigned = np.minimum(assigned, as_at)
        due = assigned + _WINDOW[course]
        done_on = assigned + delay[person, course]
        completed = ~never[person, course] & (done_on <= as_at)
        as_at_s = str(as_at)
        rows = [
            [as_at_s, r, d, COURSES[c], a, u, (cd if ok else "")]
            for r, d, c, a, u, cd, ok in zip(
                refs[person].tolist(), directorate[person].tolist(), course.tolist(),
                np.datetime_as_string(assigned).tolist(), np.datetime_as_string(due).tolist(),
                np.datetime_as_string(done_on).tolist(), completed.tolist())
        ]
        qrng = rng_for(seed, "training-file", q)
        # one assigned date in US order (that row's good twin is left out), one repeated row
        bad_row = list(rows.pop(int(qrng.integers(len(rows)))))
        d = date.fromisoformat(bad_row[4])
        bad_row[4] = f"{d.month:02d}/{max(13, d.day):02d}/{d.year}"
        j = int(qrng.integers(len(rows)))
        rows, bad = insert_bad(qrng, rows, [
            (bad_row, f"US-order assigned_date {bad_row[4]}", -1),
            (list(rows[j]), f"second row for {rows[j][1]} / {rows[j][3]}", j),
        ])
        qend = fq.last_day
        landing.write_csv(
            "workforce/training", f"mandatory_training_{qend:%Y%m%d}.csv", header, rows,
            arrived_at=at(working_day_after(qend, 5), 7, 30), bad=bad,
            note=f"{len(idx):,} colleagues x 3 courses; starters and leavers between snapshots.")
    landing.say(f"training: {len(snapshots)} snapshots")


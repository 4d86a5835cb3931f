"""The CRM: a daily extract of customer contacts, one file per day, next morning.

About 1,000 calls and 1,200 online forms on a weekday plus email, webchat and
face to face (about 2,400 in all); fewer at weekends and on bank holidays; busier
in spring (council tax bills) and autumn, quieter in August and at Christmas.
Everything is drawn with numpy per day, so a day's file is the same whatever
period the run goes to.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import Landing, at, days, insert_bad, is_working_day, rng_for
from onecouncil.simulate.org import Org

CHANNELS = np.array(["phone", "online form", "email", "webchat", "face to face"])
OUTCOMES = np.array(["resolved", "referred", "abandoned"])
WARDS = np.array([
    "Bletchley East", "Bletchley Park", "Bletchley West", "Bradwell", "Broughton",
    "Campbell Park and Old Woughton", "Central Milton Keynes", "Danesborough and Walton",
    "Loughton and Shenley", "Monkston", "Newport Pagnell North and Hanslope",
    "Newport Pagnell South", "Olney", "Shenley Brook End", "Stantonbury", "Stony Stratford",
    "Tattenhoe", "Wolverton", "Woughton and Fishermead", "Fenny Stratford", "Great Linford",
    "Emerson Valley",
])
_WARD_P = np.array([5, 4, 6, 4, 5, 5, 3, 5, 5, 4, 4, 4, 3, 5, 5, 4, 4, 5, 6, 4, 4, 4], float)
_WARD_P /= _WARD_P.sum()
HEADER = ["contact_id", "received_at", "channel", "service_code", "outcome", "wait_seconds",
          "handle_seconds", "ward"]

# contacts per channel on a weekday / Saturday / Sunday or bank holiday (scale 1)
_BASE = {"weekday": (1000, 1200, 160, 80, 50), "saturday": (200, 800, 60, 40, 0),
         "sunday": (0, 650, 50, 0, 0)}
_SEASON = {4: 1.12, 5: 1.05, 6: 0.98, 7: 0.97, 8: 0.86, 9: 1.05, 10: 1.08, 11: 1.0, 12: 0.84,
           1: 1.0, 2: 0.98, 3: 1.07}
_DOW = (1.15, 1.05, 1.0, 0.97, 0.85, 1.0, 1.0)
# share of contacts by service name (the rest spread thinly)
_SERVICE_SHARE = {
    "Revenues and Benefits": 26, "Waste and Recycling": 20, "Highways and Transport": 8,
    "Housing Options and Homelessness": 8, "Adult Social Care Operations": 5,
    "Customer Services": 5, "Education and Inclusion": 4, "Environmental Health and Licensing": 4,
    "Development Management": 4, "Children's Social Care": 3,
    "Special Educational Needs and Disabilities": 2, "Parks and Open Spaces": 2,
    "Libraries and Community Hubs": 2, "Community Safety": 2, "Private Sector Housing": 2,
    "Temporary Accommodation": 2, "Elections and Electoral Registration": 1,
}
REFUSED_DAY = date(2025, 4, 27)  # the CRM export that came out empty


def _hour_weights(channel: int) -> np.ndarray:
    w = np.zeros(24)
    if channel == 0:  # phone 08:30-17:00
        w[8:17] = (0.5, 3, 3.2, 2.8, 2.2, 2.4, 2.3, 2.0, 1.4)
    elif channel in (1, 2):  # online form, email: any time, mostly daytime
        w[:] = 0.3
        w[7:23] = (1, 2, 3, 3, 3, 2.8, 2.8, 2.6, 2.4, 2.2, 2, 2, 1.8, 1.6, 1.2, 0.8)
    else:  # webchat, face to face 09:00-17:00
        w[9:17] = (2, 3, 3, 2.5, 2.5, 2.5, 2, 1.5)
    return w / w.sum()


_HOURS = [_hour_weights(c) for c in range(5)]


def _day(org_codes: np.ndarray, service_p: np.ndarray, d: date, scale: float, seed: int,
         first_id: int) -> tuple[list[tuple], int]:
    rng = rng_for(seed, "crm", d.isoformat())
    kind = ("weekday" if is_working_day(d) else "saturday" if d.weekday() == 5 else "sunday")
    factor = _SEASON[d.month] * (_DOW[d.weekday()] if kind == "weekday" else 1.0) * scale
    counts = rng.poisson(np.array(_BASE[kind]) * factor)
    ch = np.repeat(np.arange(5), counts)
    n = len(ch)
    secs = np.empty(n, dtype=np.int64)
    for c in range(5):
        k = np.flatnonzero(ch == c)
        if len(k):
            hours = rng.choice(24, size=len(k), p=_HOURS[c])
            within = rng.integers(0, 3600, size=len(k))
            if c == 0:
                within = np.where(hours == 8, 1800 + within // 2, within)
            secs[k] = hours * 3600 + within
    if d in (date(2025, 10, 26), date(2026, 3, 29)):  # clocks change: skip 01:00-02:00
        secs = np.where((secs >= 3600) & (secs < 7200), secs + 3600, secs)
    order = np.argsort(secs, kind="stable")
    ch, secs = ch[order], secs[order]
    service = rng.choice(len(org_codes), size=n, p=service_p)
    busy = 0.05 + 0.03 * (factor / max(scale, 1e-9) - 0.9) + (0.02 if d.weekday() == 0 else 0)
    u = rng.random(n)
    phone, chat = ch == 0, ch == 3
    abandoned = (phone & (u < busy)) | (chat & (u < 0.05))
    resolved = ~abandoned & (rng.random(n) < np.where(phone, 0.74, 0.62))
    outcome = np.where(abandoned, 2, np.where(resolved, 0, 1))
    wait = np.where(phone, rng.lognormal(np.log(80), 0.9, n) * np.where(abandoned, 1.8, 1.0),
                    np.where(chat, rng.lognormal(np.log(35), 0.8, n),
                             rng.lognormal(np.log(420), 0.6, n))).astype(np.int64)
    has_wait = phone | chat | (ch == 4)
    handle = np.where(phone, rng.lognormal(np.log(290), 0.5, n),
                      np.where(chat, rng.lognormal(np.log(480), 0.5, n),
                               np.where(ch == 4, rng.lognormal(np.log(720), 0.5, n),
                                        rng.lognormal(np.log(360), 0.6, n)))).astype(np.int64)
    has_handle = ~abandoned & (ch != 1)
    ward = np.where(rng.random(n) < 0.08, "", WARDS[rng.choice(len(WARDS), size=n, p=_WARD_P)])
    stamp = np.datetime_as_string(np.datetime64(d.isoformat(), "s") + secs, unit="s")
    ids = [f"CN{k:08d}" for k in range(first_id, first_id + n)]
    rows = list(zip(
        ids, stamp.tolist(), CHANNELS[ch].tolist(), org_codes[service].tolist(),
        OUTCOMES[outcome].tolist(), np.where(has_wait, wait.astype(str), "").tolist(),
        np.where(has_handle, handle.astype(str), "").tolist(), ward.tolist(),
    ))
    return rows, n


def write_contacts(landing: Landing, org: Org, through: FiscalPeriod, scale: float,
                   seed: int) -> None:
    codes = np.array([s.code for s in org.services])
    share = np.array([_SERVICE_SHARE.get(s.name, 0.3) for s in org.services])
    share /= share.sum()
    first = FiscalPeriod(through.year, 1).first_day
    last = FiscalPeriod(through.year, min(through.period, 12)).last_day
    next_id = 1_000_001
    total = 0
    for d in days(first, last):
        rows, n = _day(codes, share, d, scale, seed, next_id)
        next_id += n
        total += n
        rng = rng_for(seed, "crm-bad", d.isoformat())
        items = []
        if rng.random() < 0.25 and rows:
            kinds = ["carrier pigeon", "time only", "missing service", "duplicate id",
                     "outcome outside set"]
            for k in range(1 + int(rng.integers(0, 2))):
                kind = kinds[int(rng.integers(len(kinds)))]
                j = int(rng.integers(len(rows)))
                row = list(rows[j])
                if kind == "duplicate id":
                    items.append((row, f"second row with contact_id {row[0]}", j))
                    continue
                row[0] = f"CX{d:%Y%m%d}{k:02d}"
                if kind == "carrier pigeon":
                    row[2] = "carrier pigeon"
                    reason = "channel 'carrier pigeon' outside the allowed set"
                elif kind == "time only":
                    row[1] = row[1][11:]
                    reason = f"received_at '{row[1]}' has a time and no date"
                elif kind == "missing service":
                    row[3] = ""
                    reason = "missing required service_code"
                else:
                    row[4] = "call back"
                    reason = "outcome 'call back' outside the allowed set"
                items.append((row, reason, -1))
        rows, bad = insert_bad(rng, rows, items)
        name = f"crm_contacts_{d:%Y-%m-%d}.csv"
        arrive = at(d + timedelta(days=1), 6, 30)
        if d == REFUSED_DAY:
            landing.write_csv(
                "customer/contacts", name, HEADER, [], arrived_at=arrive, outcome="refused",
                note="CRM export failed: header only, zero data rows (refused). The day's "
                     "contacts follow in a rerun file.")
            landing.write_csv(
                "customer/contacts", f"crm_contacts_{d:%Y-%m-%d}_rerun.csv", HEADER, rows,
                arrived_at=at(d + timedelta(days=1), 13, 15), bad=bad,
                note="Rerun of the day's export after the empty file.")
            continue
        landing.write_csv("customer/contacts", name, HEADER, rows, arrived_at=arrive, bad=bad,
                          note="" if not len(bad) else "Bad rows: " + "; ".join(
                              sorted(set(r.split(" ")[0] for r in bad.rows.values()))))
    landing.say(f"contacts: {(last - first).days + 1} daily files, {total:,} contacts")


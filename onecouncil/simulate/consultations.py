"""The engagement platform: consultations the council runs (one full snapshot file).

The export lists every consultation that had started by the end of the run's last
period, with responses so far. Some are statutory (planning, licensing), some run
over August or Christmas (which lengthens what the six-week rule asks for), some
are too short, and the parishes are sometimes told after the start.
"""

from __future__ import annotations

from datetime import date, timedelta

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import Landing, at, insert_bad, rng_for, uk, working_day_after
from onecouncil.simulate.org import Org

# title, lead service name, start, length in days, statutory, parishes notified offset (days
# after start; None = not relevant; negative = before)
_CONSULTATIONS = (
    ("Budget 2025-26 consultation", "Finance", "2024-12-02", 49, False, -7),
    ("Council Tax Reduction Scheme 2025-26", "Revenues and Benefits", "2024-11-11", 56, False, -3),
    ("City centre Public Spaces Protection Order", "Community Safety", "2025-01-13", 42, False, -5),
    ("Statement of Licensing Policy review", "Environmental Health and Licensing", "2025-02-03", 70,
     True, None),
    ("MK City Plan 2050: Regulation 18 draft plan", "Planning Policy", "2025-03-17", 56, True, -14),
    ("Library opening hours review", "Libraries and Community Hubs", "2025-04-07", 42, False, 3),
    ("Home to school transport policy 2026-27", "Special Educational Needs and Disabilities",
     "2025-04-22", 45, False, -2),
    ("Garden waste service changes", "Waste and Recycling", "2025-05-06", 35, False, None),
    ("Olney Neighbourhood Plan review (Regulation 16)", "Planning Policy", "2025-05-19", 42, True,
     -10),
    ("Housing Allocations Scheme review", "Housing Options and Homelessness", "2025-06-02", 56,
     False, -1),
    ("Adult social care charging policy", "Adult Social Care Commissioning", "2025-06-16", 63,
     False, 6),
    ("Wolverton Station Square regeneration proposals", "Housing Strategy and Regeneration",
     "2025-06-30", 42, False, -4),
    ("Parking standards supplementary planning document", "Development Management", "2025-07-14",
     48, True, -7),
    ("Play area renewal programme priorities", "Parks and Open Spaces", "2025-07-21", 42, False, 2),
    ("Selective licensing scheme for private rented homes", "Private Sector Housing", "2025-07-28",
     70, False, -3),
    ("Climate and sustainability strategy refresh", "Climate and Sustainability", "2025-08-04", 56,
     False, -2),
    ("Community safety partnership priorities", "Community Safety", "2025-08-18", 42, False, 9),
    ("School admission arrangements 2027-28", "Education and Inclusion", "2025-09-01", 42, True,
     -5),
    ("Bus network review", "Highways and Transport", "2025-09-08", 42, False, -6),
    ("Leisure centre pricing", "Culture and Leisure", "2025-09-15", 28, False, None),
    ("Customer access strategy", "Customer Services", "2025-09-22", 42, False, 1),
    ("Affordable housing supplementary planning document", "Planning Policy", "2025-09-29", 42,
     True, -7),
    ("Fishermead regeneration masterplan", "Housing Strategy and Regeneration", "2025-05-12", 49,
     False, 0),
    ("Street lighting dimming trial", "Highways and Transport", "2025-04-14", 30, False, 5),
    ("Early help strategy", "Early Help and Youth", "2025-06-09", 42, False, None),
    ("Budget 2026-27 consultation", "Finance", "2025-12-01", 49, False, -7),
    ("Council Tax Reduction Scheme 2026-27", "Revenues and Benefits", "2025-11-10", 56, False, -3),
    ("Winter maintenance gritting routes", "Highways and Transport", "2025-10-13", 42, False, 2),
    ("Local nature recovery strategy", "Planning Policy", "2025-10-27", 56, True, -10),
    ("Cemetery regulations review", "Parks and Open Spaces", "2025-11-03", 35, False, None),
    ("Youth service offer", "Early Help and Youth", "2026-01-12", 42, False, 4),
    ("Fees and charges 2026-27", "Finance", "2026-01-19", 28, False, None),
    ("Domestic abuse strategy", "Community Safety", "2026-02-02", 42, False, -1),
)
BAD_TITLE = "Library opening hours review"  # exported with an impossible end date


def write_consultations(landing: Landing, org: Org, through: FiscalPeriod, seed: int) -> None:
    rng = rng_for(seed, "consultations")
    service = {s.name: s.code for s in org.services}
    as_at = FiscalPeriod(through.year, min(through.period, 12)).last_day
    header = ["consultation_id", "title", "lead_service_code", "start_date", "end_date",
              "statutory", "responses", "parishes_notified_date"]
    rows = []
    items = []
    responses = rng.lognormal(5.2, 1.0, size=len(_CONSULTATIONS))
    for n, (title, lead, start, length, statutory, parishes) in enumerate(_CONSULTATIONS, 1):
        s = date.fromisoformat(start)
        if s > as_at:
            continue
        e = s + timedelta(days=length - 1)
        done = min(1.0, ((as_at - s).days + 1) / length)
        row = [f"CON-{s.year}-{n:03d}", title, service[lead], uk(s), uk(e),
               "Y" if statutory else "N", str(int(responses[n - 1] * done)),
               uk(s + timedelta(days=parishes)) if parishes is not None else ""]
        if title == BAD_TITLE:
            row[4] = "31/04/2025"
            items.append((row, f"unparsable end_date {row[4]}", -1))
            continue
        rows.append(row)
    rows, bad = insert_bad(rng, rows, items)
    landing.write_csv(
        "engagement/consultations", f"consultations_{as_at:%Y-%m-%d}.csv", header, rows,
        arrived_at=at(working_day_after(as_at, 2), 12, 0), bad=bad,
        note="Full snapshot of consultations started by the period end: some statutory, some "
             "spanning August or Christmas, one too short, parishes sometimes told late.",
    )
    landing.say(f"consultations: {len(rows)} rows")

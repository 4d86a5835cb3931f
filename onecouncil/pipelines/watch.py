"""The daily data watch (DAG `data_watch`): late feeds and the forecast chase list.

Both tell the data team through the notifier, once per event, before the packs
are due: a feed that is late (quality.freshness), and on the 10th calendar day
after a period ends, the cost centres whose forecast has not been submitted.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from onecouncil.calendar import FiscalPeriod
from onecouncil.due_dates import monthly_pack_due

log = logging.getLogger(__name__)

DAG_ID = "data_watch"
CHASE_DAY = 10  # rules.md: forecasts are due by the end of the 10th calendar day


def check_freshness(run_id: str, now: datetime | None = None) -> dict:
    """Judge every feed's freshness, store it as this run's checks, alert each late feed
    once. Returns the late feeds."""
    from onecouncil import settings as _settings
    from onecouncil.notify.send import notify
    from onecouncil.pipelines.runs import close_run, open_run
    from onecouncil.quality.freshness import assess
    from onecouncil.quality.results import store
    from onecouncil.warehouse import connect

    open_run(run_id, DAG_ID)
    try:
        with connect(autocommit=True) as conn:
            found = assess(conn, now)
            store(conn, run_id, [f.check() for f in found])
            late = [f for f in found if f.is_late]
            landing = _settings.load().landing
            for f in late:
                notify(f.event_key, "late feed", f"{f.feed} is late (last file {f.last_file})",
                       "\n".join([
                           f"What happened: {f.message()}",
                           "Period: the feed's next file, expected "
                           f"{f.cadence}, has not arrived.",
                           "",
                           f"What to do next: ask the feed's owner for the {f.cadence} "
                           f"export and drop it into {landing / f.feed}/ (contracts/sources.md "
                           "says what it holds). Until a file loads, the packs' data-quality "
                           "section lists this feed as late.",
                       ]), conn=conn)
    except Exception:
        close_run(run_id, "failed")
        raise
    close_run(run_id, "success")
    log.info("freshness: %d feeds checked, late: %s", len(found),
             ", ".join(f.feed for f in late) or "none")
    return {"checked": len(found), "late": [f.feed for f in late]}


def period_to_chase(today: date) -> FiscalPeriod | None:
    """The period whose forecasts are chased today: from the 10th calendar day after it
    ends until its monthly packs are due (a chase after the pack is too late)."""
    for back in (0, 1, 2):
        period = FiscalPeriod.containing(today - timedelta(days=CHASE_DAY + 31 * back))
        chase_from = period.last_day + timedelta(days=CHASE_DAY)
        if chase_from <= today < monthly_pack_due(period):
            return period
    return None


_MISSING = """
select c.cost_centre, o.cost_centre_name, o.budget_manager, o.service_name,
       c.directorate_name, c.deadline
from intermediate.int_finance__submission_compliance c
join intermediate.int_reference__org_at_period_end o
    on o.fiscal_year = c.fiscal_year and o.period = c.period and o.cost_centre = c.cost_centre
where c.fiscal_year = %s and c.period = %s and c.submission_status = 'not submitted'
order by c.directorate_name, c.cost_centre
"""


def missing_forecasts(conn, period: FiscalPeriod) -> tuple[int, list[tuple]] | None:
    """(active cost centres, those with no submission) for `period` from the transform's
    compliance model; None when the period has no compliance rows yet."""
    import psycopg

    key = (str(period.year), period.period)
    try:
        (active,) = conn.execute(
            "select count(*) from intermediate.int_finance__submission_compliance "
            "where fiscal_year = %s and period = %s", key).fetchone()
        return (active, conn.execute(_MISSING, key).fetchall()) if active else None
    except psycopg.errors.UndefinedTable:  # the transform has not run yet
        return None


def chase_forecasts(today: date, conn=None) -> dict:
    """On the chase day, send the data team the cost centres with no forecast submission."""
    period = period_to_chase(today)
    if period is None:
        return {"period": None}
    if conn is None:
        from onecouncil.warehouse import connect

        with connect(autocommit=True) as own:
            return chase_forecasts(today, own)
    return _chase(conn, period)


def _chase(conn, period: FiscalPeriod) -> dict:
    from zoneinfo import ZoneInfo

    from onecouncil.notify.send import notify

    found = missing_forecasts(conn, period)
    due_by = period.last_day + timedelta(days=CHASE_DAY)
    if found is None:
        missing = None
        subject = f"Forecasts {period}: none received yet"
        lines = [f"What happened: no forecast submission (and no ledger) has been loaded for "
                 f"{period} ({period.description}), so every budget manager's forecast is "
                 f"outstanding; they are due by the end of {due_by:%d %B %Y}."]
    else:
        active, rows = found
        missing = len(rows)
        if not rows:
            log.info("forecasts %s: every cost centre has submitted", period)
            return {"period": str(period), "missing": 0}
        deadline = rows[0][5].astimezone(ZoneInfo("Europe/London")) if rows[0][5] else due_by
        subject = f"Forecasts {period}: {missing} of {active} cost centres not submitted"
        lines = [f"What happened: {missing} of {active} active cost centres have no forecast "
                 f"submission for {period}; submissions are due by the end of "
                 f"{deadline:%d %B %Y}.", "",
                 "Cost centre | name | budget manager | service | directorate"]
        lines += [" | ".join(str(v or "") for v in r[:5]) for r in rows]
    lines += ["", f"Period: {period}", "",
              "What to do next: chase these budget managers today; a forecast arriving after "
              "the deadline counts as late in the finance pack's compliance table (the pack "
              f"is due {monthly_pack_due(period):%d %B %Y})."]
    result = notify(f"forecast-chase:{period}", "forecast chase", subject, "\n".join(lines),
                    period=str(period), conn=conn)
    return {"period": str(period), "missing": missing, "delivered": result.delivered}

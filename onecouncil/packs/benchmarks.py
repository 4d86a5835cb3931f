"""'How we compare': a quarterly pack's benchmark section, read from its report models.

The pack module names its three report models (rpt_<pack>__how_we_compare, ..._areas,
..._benchmark_files) and this module reads their rows for the quarter and shapes them:
every figure, rank and period comes from those models as they are. The words ("5th of
15, second quartile"), the number formats and the dot plot's geometry are presentation,
made here and in `context` for the template only, never in the pack's JSON.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg

from onecouncil.packs import charts
from onecouncil.packs.rows import report_rows
from onecouncil.packs.sections import not_available

FEEDS = ("benchmark/comparators", "benchmark/measures", "benchmark/indicators")
WHERE = "where fiscal_year = %(fy)s and quarter = %(q)s"
ENTRY_COLUMNS = (
    "indicator, title, indicator_id, measure, unit, breakdown, period_type, period_label, "
    "polarity, council_value, comparators_median, comparators_lower_quartile, "
    "comparators_upper_quartile, comparators_minimum, comparators_maximum, "
    "comparators_with_figure, council_rank, ranked_areas, rank_is_joint, quartile_position, "
    "england_value, trend, trend_from_period_label, months_old")
AREA_COLUMNS = ("indicator, measure, unit, breakdown, period_type, area_name, is_council, "
                "value, area_rank")
FILE_COLUMNS = "feed, file_name, sha256, periods_used, latest_period_end, months_old"
SERIES = ("indicator", "measure", "unit", "breakdown", "period_type")

TREND_WORDS = {"improving": "Improving", "worsening": "Getting worse", "no change": "No change",
               "up": "Up", "down": "Down", "not enough data": "Not enough figures to say"}


def how_we_compare(conn: psycopg.Connection, key: dict[str, Any], entries_model: str,
                   areas_model: str, files_model: str) -> dict[str, Any]:
    """The section's figures for one quarter, or 'not yet available' with its feeds."""
    entries = report_rows(conn, ENTRY_COLUMNS, entries_model, WHERE, key)
    if not entries:
        return not_available(FEEDS, entries=[], files=[])
    areas: dict[tuple, list[dict[str, Any]]] = {}
    for a in report_rows(conn, AREA_COLUMNS, areas_model, WHERE, key):
        areas.setdefault(tuple(a[c] for c in SERIES), []).append(
            {"area_name": a["area_name"], "is_council": a["is_council"], "value": a["value"],
             "area_rank": a["area_rank"]})
    shown = []
    for i, e in enumerate(entries, 1):
        entry = {k: v for k, v in e.items()}
        entry["position"] = position_words(e)
        entry["chart_id"] = f"compare-{i}"
        entry["areas"] = areas.get(tuple(e[c] for c in SERIES), [])
        shown.append(entry)
    files = report_rows(conn, FILE_COLUMNS, files_model, WHERE, key)
    newest = min(shown, key=lambda e: (e["months_old"], e["title"]))
    return {"available": True, "entries": shown, "files": files,
            "newest": {"title": newest["title"], "period_label": newest["period_label"],
                       "months_old": newest["months_old"]}}


def linked(section: dict[str, Any], indicator_id: str) -> list[dict[str, Any]]:
    """The section's entries linked to one of the council's own indicators."""
    return [e for e in section["entries"] if e["indicator_id"] == indicator_id]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def position_words(e: dict[str, Any]) -> str:
    """'3rd of 16, top quartile', 'joint 2nd of 15, second quartile', or why not ranked."""
    if e["council_value"] is None:
        return "Not ranked: no figure published for the council"
    if e["council_rank"] is None:
        return "Not ranked: neither higher nor lower is better"
    joint = "joint " if e["rank_is_joint"] else ""
    words = f"{joint}{ordinal(e['council_rank'])} of {e['ranked_areas']}"
    if e["quartile_position"]:
        words += f", {e['quartile_position']}"
    return words[0].upper() + words[1:]


def _places(values: list[Decimal]) -> int:
    """The decimals the publisher used (at most 2): medians are written to the same."""
    places = [max(0, -Decimal(v).normalize().as_tuple().exponent) for v in values
              if v is not None]
    return min(max(places, default=0), 2)


def figure(value: Any, places: int, percent: bool) -> str:
    if value is None:
        return "No figure"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(q) if q == 0 else q:,.{places}f}"
    return text + ("%" if percent else "")


def context(section: dict[str, Any]) -> dict[str, Any]:
    """Per entry: its figures written out and its dot plot (for the template only)."""
    shown: dict[str, Any] = {}
    for e in section.get("entries", []):
        places = _places([a["value"] for a in e["areas"]] + [e["council_value"]])
        percent = e["measure"].lower().startswith("percentage")

        def fmt(v: Any, places: int = places, percent: bool = percent) -> str:
            return figure(v, places, percent)

        items = [(a["area_name"], a["value"], fmt(a["value"]), a["is_council"])
                 for a in e["areas"]]
        chart = charts.dot_plot(items, e["comparators_median"])
        what = f"{e['title']}, {e['period_label']}"
        chart["title"] = f"{what}: the council and its comparators"
        order = ("best first" if e["polarity"] in ("higher", "lower")
                 else "highest first")
        chart["description"] = (
            f"Dot plot of {what}, one dot per authority, {order}; this council is the "
            f"square. The dashed line is the comparators' median ({fmt(e['comparators_median'])}). "
            + "; ".join(f"{label}: {display}" for label, _, display, _ in items) + ".")
        shown[e["chart_id"]] = {
            "chart": chart,
            "council": fmt(e["council_value"]),
            "median": fmt(e["comparators_median"]),
            "lower_quartile": fmt(e["comparators_lower_quartile"]),
            "upper_quartile": fmt(e["comparators_upper_quartile"]),
            "range": f"{fmt(e['comparators_minimum'])} to {fmt(e['comparators_maximum'])}",
            "england": fmt(e["england_value"]) if e["england_value"] is not None else None,
            "trend": TREND_WORDS.get(e["trend"], e["trend"])
                     + (f" since {e['trend_from_period_label']}"
                        if e["trend_from_period_label"] else ""),
            "better": {"higher": "Higher is better", "lower": "Lower is better"}.get(
                e["polarity"], "Neither higher nor lower is better"),
        }
    return shown

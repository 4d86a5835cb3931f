"""How the public packs show an indicator row: one shape for Cabinet, scrutiny and year-end.

The values are formatted here (formatting.indicator_value) after disclosure control has
decided what to hide; the rows themselves come from the report models.
"""

from __future__ import annotations

from typing import Any

from onecouncil.packs import disclosure
from onecouncil.packs.formatting import indicator_value

RAGS = ("Red", "Amber", "Green", "Data only", "Not returned")
NO_PRIORITY = "No Council Plan priority"
NO_TARGET = "no target"

INDICATOR_COLUMNS = (
    "indicator_id, fiscal_year, period_type, period_end, quarter, indicator_name, "
    "directorate_code, directorate_name, council_plan_priority, frequency, unit, polarity, "
    "aggregation, decimals, value, numerator, denominator, target, tolerance, rag, "
    "direction_of_travel, is_provisional, is_public, commentary, sha256")


def quarter_label(fiscal_year: str, quarter: int | None, period_type: str) -> str:
    """'Q2 2025-26' for a quarter, '2025-26' for a year row."""
    return fiscal_year if period_type == "year" or quarter is None else f"Q{quarter} {fiscal_year}"


def shown_indicator(r: dict[str, Any], value_hidden: bool = False) -> dict[str, Any]:
    """The fields of one indicator row a public pack may show, values already formatted."""
    value = disclosure.SUPPRESSED if value_hidden else indicator_value(
        r["value"], r["decimals"], r["unit"])
    return {
        "indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
        "directorate_code": r["directorate_code"], "directorate_name": r["directorate_name"],
        "council_plan_priority": r["council_plan_priority"],
        "period": quarter_label(r["fiscal_year"], r["quarter"], r["period_type"]),
        "period_end": r["period_end"], "unit": r["unit"], "polarity": r["polarity"],
        "value": value, "value_suppressed": value_hidden,
        "target": indicator_value(r["target"], r["decimals"], r["unit"]),
        "rag": r["rag"], "direction_of_travel": r["direction_of_travel"],
        "is_provisional": bool(r["is_provisional"]),
    }


def named(r: dict[str, Any]) -> dict[str, Any]:
    """An indicator by name and RAG only, for lists that show no value."""
    return {"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
            "directorate_name": r["directorate_name"],
            "council_plan_priority": r["council_plan_priority"],
            "period": quarter_label(r["fiscal_year"], r["quarter"], r["period_type"]),
            "rag": r["rag"], "is_provisional": bool(r["is_provisional"])}

"""The council's thresholds as dbt built the marts with them: the one reader of dbt's vars.

dbt renders its vars (dbt/dbt_project.yml, and the council's name from
ONECOUNCIL_COUNCIL_NAME) into `reports.pack_thresholds`, one row per var, in the same
run that builds the marts. Packs and checks read them here, so the thresholds a pack
states are the ones its figures were worked out with, never a second reading of the
YAML that could disagree with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.packs.rows import fetch

RELATION = "reports.pack_thresholds"


class ThresholdsNotBuilt(LookupError):
    pass


def _typed(value: str, kind: str) -> Any:
    if kind == "decimal":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    return value


def thresholds(conn: psycopg.Connection) -> dict[str, Any]:
    """{var name: value}: decimals as Decimal, whole numbers as int, words as str."""
    present = fetch(conn, "select to_regclass(%(r)s) is not null as ok", {"r": RELATION})[0]["ok"]
    if not present:
        raise ThresholdsNotBuilt(
            f"{RELATION} does not exist: run the transform (`onecouncil transform`, or "
            "`onecouncil run`) before rendering packs")
    return {r["name"]: _typed(r["value"], r["kind"])
            for r in fetch(conn, f"select name, value, kind from {RELATION} order by name")}


def pick(limits: dict[str, Any], keys: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The thresholds a pack states: `keys`, in the order given."""
    return {k: limits[k] for k in keys}

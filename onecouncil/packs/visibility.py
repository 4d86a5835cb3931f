"""What a public pack may show: rows a relation marks not public or restricted never reach it.

The report models of public packs leave such rows out already (dbt/models/reports);
this is the second lock on the door, applied to the report rows a pack reads, whatever
name the marking column has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RESTRICTED = ("restricted", "is_restricted")


def is_shown(row: dict[str, Any]) -> bool:
    """False for a row marked not public (`is_public` false or empty) or restricted."""
    if "is_public" in row and row["is_public"] is not True:
        return False
    return not any(row.get(c) is True for c in RESTRICTED)


def public_only(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if is_shown(r)]

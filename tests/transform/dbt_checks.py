"""What every dbt test module here checks the same way: the mart spec, columns, severities."""

from __future__ import annotations

import re
from pathlib import Path


def rows(conn, sql: str, *params) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def spec_columns(doc: Path) -> dict[str, list[str]]:
    """Mart name -> columns in order, as the first sentence under its `## marts.<name>`
    heading in a docs/*-marts.md file lists them."""
    spec = {}
    for name, body in re.findall(r"^## marts\.(\w+)[^\n]*\n(.*?)(?:\n\n|\Z)",
                                 doc.read_text(), re.S | re.M):
        flat = " ".join(body.split())
        while re.search(r"\([^()]*\)", flat):  # notes in brackets hold commas of their own
            flat = re.sub(r"\([^()]*\)", "", flat)
        flat = flat.split(". ")[0]  # the list is the paragraph's first sentence
        spec[name] = [re.sub(r"^then ", "", c.strip()).rstrip(".").strip()
                      for c in flat.split(",")]
    return spec


def mart_columns(conn, mart: str) -> list[str]:
    """The columns of marts.<mart> as the warehouse has them, in order."""
    return [c for (c,) in rows(
        conn, "select column_name from information_schema.columns"
              " where table_schema = 'marts' and table_name = %s order by ordinal_position",
        mart)]


def by_type(result) -> dict[str, list]:
    """dbt's node results grouped by resource type (model, test, unit_test, ...)."""
    out: dict[str, list] = {}
    for r in result.result.results:
        out.setdefault(str(r.node.resource_type), []).append(r)
    return out


def severity_mismatches(result) -> list[str]:
    """Data tests whose meta.severity (what ops.check_results reads) disagrees with dbt's."""
    expected = {"error": "blocking", "warn": "warning"}
    return [r.node.name for r in by_type(result).get("test", [])
            if r.node.config.meta.get("severity") != expected[r.node.config.severity.lower()]]

"""Build dbt's report layer over the pack tests' hand-made marts, from dbt's own SQL.

The pack tests make the marts by hand (the rows each test needs, counted by hand), so
a full `dbt build` would replace them. Instead dbt compiles the staging views, the
calendar spine and the report models once per session, and `build(conn)` runs that
compiled SQL, in dependency order, over whatever marts a test has just made: the
reports a pack reads are then exactly what dbt would build from those marts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SELECT = ["path:models/staging", "path:models/intermediate/calendar", "path:models/reports"]


@dataclass(frozen=True)
class Node:
    unique_id: str
    relation: str  # "schema"."name"
    materialized: str
    sql: str
    depends_on: tuple[str, ...]


_compiled: list[Node] | None = None


def compiled() -> list[Node]:
    """The selected models' compiled SQL, parents first (compiled once per session)."""
    global _compiled
    if _compiled is None:
        from onecouncil import settings as _settings
        from onecouncil.transform.dbt import run_dbt

        settings = _settings.load()
        result = run_dbt(["compile", "--quiet", "--select", *SELECT], settings)
        if not result.success:
            raise RuntimeError(f"dbt compile of the report layer failed: {result.exception}")
        manifest = json.loads(
            (Path(settings.home) / "dbt" / "target" / "manifest.json").read_text())
        selected = {uid: n for uid, n in manifest["nodes"].items()
                    if n["resource_type"] == "model" and n.get("compiled_code")
                    and any(n["original_file_path"].startswith(p.removeprefix("path:"))
                            for p in SELECT)}
        nodes = {uid: Node(uid, f'"{n["schema"]}"."{n["alias"]}"', n["config"]["materialized"],
                           n["compiled_code"],
                           tuple(d for d in n["depends_on"]["nodes"] if d in selected))
                 for uid, n in selected.items()}
        ordered: list[Node] = []
        done: set[str] = set()

        def visit(uid: str) -> None:
            if uid in done:
                return
            for parent in nodes[uid].depends_on:
                visit(parent)
            done.add(uid)
            ordered.append(nodes[uid])

        for uid in sorted(nodes):
            visit(uid)
        _compiled = ordered
    return _compiled


def build(conn) -> None:
    """(Re)create the staging views and report tables over the marts as they are now."""
    for schema in sorted({n.relation.split(".")[0] for n in compiled()}):
        conn.execute(f"create schema if not exists {schema}")
    for node in reversed(compiled()):
        # dbt may have built the relation as a view or a table in an earlier test
        kind = conn.execute("select relkind from pg_class where oid = to_regclass(%s)",
                            (node.relation,)).fetchone()
        if kind:
            conn.execute(f"drop {'view' if kind[0] == 'v' else 'table'} {node.relation} cascade")
    for node in compiled():
        kind = "view" if node.materialized == "view" else "table"
        conn.execute(f"create {kind} {node.relation} as {node.sql}")

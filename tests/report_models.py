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
    path: str  # models/staging/...
    depends_on: tuple[str, ...]


_compiled: list[Node] | None = None
# Marts (and other models outside SELECT) each selected model reads: node -> {relation:
# columns with their contracted data types}, to stand in as empty tables when a test
# made none.
_upstream: dict[str, dict[str, list[tuple[str, str]]]] = {}


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
                           n["compiled_code"], n["original_file_path"],
                           tuple(d for d in n["depends_on"]["nodes"] if d in selected))
                 for uid, n in selected.items()}
        for n in selected.values():
            for parent in n["depends_on"]["nodes"]:
                up = manifest["nodes"].get(parent)
                if up and parent not in selected and up["resource_type"] == "model":
                    _upstream.setdefault(n["unique_id"], {})[
                        f'"{up["schema"]}"."{up["alias"]}"'] = [
                        (c["name"], c.get("data_type") or "text")
                        for c in up["columns"].values()]
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


def build(conn, layers: tuple[str, ...] = ("staging", "intermediate/calendar", "reports")
          ) -> None:
    """(Re)create the staging views and report tables over the marts as they are now.

    `layers` narrows it to some folders of dbt/models (e.g. ("staging",) for the GX
    suites, which read staging over hand-made raw rows).
    """
    nodes = [n for n in compiled() if n.path.startswith(tuple(f"models/{x}" for x in layers))]
    for schema in sorted({n.relation.split(".")[0] for n in nodes}):
        conn.execute(f"create schema if not exists {schema}")
    for node in reversed(nodes):
        # dbt may have built the relation as a view or a table in an earlier test
        kind = conn.execute("select relkind from pg_class where oid = to_regclass(%s)",
                            (node.relation,)).fetchone()
        if kind:
            conn.execute(f"drop {'view' if kind[0] == 'v' else 'table'} {node.relation} cascade")
    # A mart a test did not make is an empty mart (its contracted columns), as in a
    # warehouse whose feeds have not delivered yet.
    upstream = {rel: cols for n in nodes for rel, cols in _upstream.get(n.unique_id, {}).items()}
    for relation, columns in sorted(upstream.items()):
        if conn.execute("select to_regclass(%s)", (relation,)).fetchone()[0] is None:
            conn.execute(f"create schema if not exists {relation.split('.')[0]}")
            cols = ", ".join(f'"{c}" {t}' for c, t in columns)
            conn.execute(f"create table {relation} ({cols})")
    for node in nodes:
        kind = "view" if node.materialized == "view" else "table"
        conn.execute(f"create {kind} {node.relation} as {node.sql}")
    # dbt builds as the transformer (warehouse.roles), whom GX and the pack renderer read
    # as: the tests' hand-made marts and these relations become the transformer's too
    from onecouncil.warehouse.roles import hand_dbt_relations_to_transformer

    hand_dbt_relations_to_transformer(conn)

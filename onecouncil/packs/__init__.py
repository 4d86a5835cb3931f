"""Report packs (contracts/packs.md): which packs exist, and one call to render one.

    from onecouncil.packs import render_pack
    paths = render_pack(conn, "finance-outturn", "2025-26", "P05", home / "packs", verdict)

writes <output>/2025-26/P05/finance-outturn.{html,pdf,json,xlsx}.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import psycopg

from onecouncil.packs.declarations import DECLARATIONS, PackDeclaration
from onecouncil.quality.results import Verdict


@dataclass(frozen=True)
class Pack:
    """A declared pack (declarations.py) with the module that builds its figures."""

    declaration: PackDeclaration
    module: ModuleType

    @property
    def name(self) -> str:
        return self.declaration.name

    @property
    def title(self) -> str:
        return self.declaration.title

    @property
    def public(self) -> bool:
        return self.declaration.public

    @property
    def template(self) -> str:
        return self.declaration.template

    @property
    def cadence(self) -> str:
        """'monthly', 'quarterly' or 'annual': which periods it takes."""
        return self.declaration.cadence.name

    def build(self, conn: psycopg.Connection, period: Any) -> tuple[dict, dict]:
        return self.module.build(conn, period)

    def extras(self, figures: dict, lineage: dict, period: Any) -> dict[str, bytes]:
        fn = getattr(self.module, "extras", None)
        return fn(figures, lineage, period) if fn else {}

    def context(self, figures: dict) -> dict[str, Any]:
        fn = getattr(self.module, "context", None)
        return fn(figures) if fn else {}


def _registry() -> dict[str, Pack]:
    return {d.name: Pack(d, importlib.import_module(d.module)) for d in DECLARATIONS}


PACKS: dict[str, Pack] = _registry()


def render_pack(conn: psycopg.Connection, pack: str, fiscal_year: str, period_label: str | int,
                output_dir: Path | str, verdict: Verdict, *, pdf: bool = True) -> list[Path]:
    """Build the pack's figures from the marts and write its files; returns their paths.

    `period_label` is P01..P13 (also 'P5' or 5) for monthly packs. A verdict that is not
    final (checks not run, or a blocking check failed) renders the pack as a DRAFT; one that
    is final renders it `Awaiting sign-off` by the pack's approver.
    """
    from onecouncil.calendar import parse_label
    from onecouncil.packs import render
    from onecouncil.signoff.approvers import approver_of

    try:
        spec = PACKS[pack]
    except KeyError:
        raise KeyError(f"no pack {pack!r}; known: {', '.join(sorted(PACKS))}") from None
    period = parse_label(fiscal_year, period_label)
    wanted = {"monthly": "a period P01-P13", "quarterly": "a quarter Q1-Q4",
              "annual": "'year'"}[spec.cadence]
    if not isinstance(period, spec.declaration.cadence.kind):
        raise ValueError(f"{pack} is {spec.cadence}: give {wanted}, not {period_label!r}")
    figures, lineage = spec.build(conn, period)
    return render.render(
        spec.name, title=spec.title, public=spec.public, template=spec.template, period=period,
        output_dir=output_dir, figures=figures, lineage=lineage, verdict=verdict,
        approver=approver_of(spec.declaration),
        extras=spec.extras(figures, lineage, period), extra_context=spec.context(figures),
        pdf=pdf)


__all__ = ["PACKS", "Pack", "render_pack"]

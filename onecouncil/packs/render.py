"""The shared renderer: one HTML (Jinja2) per pack, a tagged PDF of the same HTML, and the JSON.

Everything written is reproducible (output.py): rendering the same data twice gives the
same bytes. Formatting lives in formatting.py, charts in charts.py, files in output.py,
disclosure control in disclosure.py, public visibility in visibility.py.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from onecouncil.calendar import FiscalTime
from onecouncil.packs import formatting, stamp
from onecouncil.packs.output import atomic_write, canonical_json, data_version, pack_dir
from onecouncil.quality.results import Verdict

REPORTS = Path(__file__).resolve().parents[2] / "reports"
TEMPLATES = REPORTS / "templates"
STYLESHEET = REPORTS / "static" / "pack.css"


def checks_summary(verdict: Verdict) -> dict[str, Any]:
    """What the pack says about its checks; never the run id, which changes every run."""
    def row(r):
        return {"source": r.source, "check_name": r.check_name, "relation": r.relation,
                "severity": r.severity, "status": r.status, "failing_rows": r.failing_rows,
                "message": r.message, "carried_forward_on": r.carried_forward_on}

    # a partial build ran only some checks; the others' results are from earlier runs
    carried = sorted({r.carried_forward_on for r in verdict.results
                      if r.carried_forward_from is not None and r.carried_forward_on})
    return {
        "carried_forward": sum(r.carried_forward_from is not None for r in verdict.results),
        "carried_forward_on": carried,
        "checks_ran": verdict.run_id is not None,
        "is_final": verdict.is_final,
        "total": len(verdict.results),
        "passed": verdict.passed,
        "blocking_failed": len(verdict.blocking_failures),
        "warnings_failed": len(verdict.warnings),
        "blocking_failures": [row(r) for r in sorted(verdict.blocking_failures)],
        "warnings": [row(r) for r in sorted(verdict.warnings)],
    }


# ---------------------------------------------------------------- rendering

@functools.cache
def environment() -> jinja2.Environment:
    # One per process: it keeps each template compiled (a quarter of a second for a finance
    # pack's) and still reloads a template whose file changed.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(k=formatting.thousands, gbp=formatting.pounds, pct=formatting.percent,
                       count=formatting.count, london=formatting.london,
                       ukdate=formatting.ukdate)
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    css = STYLESHEET.read_text(encoding="utf-8")
    return environment().get_template(template).render(css=css, **context)


def render_pdf(html: str, base_url: Path) -> bytes:
    from weasyprint import HTML

    # pdf/ua-1 makes WeasyPrint tag the PDF (structure tree, /MarkInfo) and write the
    # document's language and title (from <html lang> and <title>) into its metadata.
    # The identifier is fixed so the same HTML gives the same bytes.
    return HTML(string=html, base_url=str(base_url)).write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii"),
        uncompressed_pdf=False,
    )


def _public(values: Mapping[str, Any]) -> dict[str, Any]:
    """Keys starting with '_' carry working data for extra files (a CSV's bytes), not figures."""
    return {k: v for k, v in values.items() if not k.startswith("_")}


def render(pack: str, *, title: str, public: bool, template: str, period: FiscalTime,
           output_dir: Path | str, figures: Mapping[str, Any], lineage: Mapping[str, Any],
           verdict: Verdict, approver: str, extras: Mapping[str, bytes] | None = None,
           extra_context: Mapping[str, Any] | None = None, pdf: bool = True) -> list[Path]:
    """Render one pack for one period; returns the files written (html, pdf, json, extras).

    Data whose checks passed gives a pack `Awaiting sign-off` by `approver`, never Final:
    only sign-off (stamp.restamp) makes it Final. An existing pack for the period is
    replaced file by file, each atomically.
    """
    folder = pack_dir(output_dir, period)
    version = data_version(lineage.get("source_files", []))
    checks = checks_summary(verdict)
    stamped = stamp.for_render(verdict.is_final, approver)
    document = {
        "pack": pack,
        "title": title,
        "classification": "Public" if public else "Restricted",
        "fiscal_year": str(period.year),
        "period": period.label,
        "status": stamped["status"],
        "signoff": stamp.in_json(stamped),
        "data_version": version,
        "figures": _public(figures),
        "lineage": _public(lineage),
        "checks": checks,
    }
    lineage = {**lineage, "data_version_short": version[:12]}
    context = {
        "pack": pack,
        "title": title,
        "public": public,
        "classification": document["classification"],
        "period": period,
        "data_version": version,
        "verdict": verdict,
        "stamp": stamped,
        "checks": checks,
        "figures": figures,
        "lineage": lineage,
        "council_name": lineage["thresholds"]["council_name"],
        "pdf_date": period.last_day.isoformat(),
        **(extra_context or {}),
    }
    html = render_html(template, context)
    written = [atomic_write(folder / f"{pack}.html", html.encode("utf-8"))]
    if pdf:
        written.append(atomic_write(folder / f"{pack}.pdf", render_pdf(html, folder)))
    written.append(atomic_write(folder / f"{pack}.json", canonical_json(document)))
    for name, data in sorted((extras or {}).items()):
        written.append(atomic_write(folder / name, data))
    return written


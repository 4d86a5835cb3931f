"""The shared renderer: one HTML (Jinja2) per pack, a tagged PDF of the same HTML, and the JSON.

Everything written is reproducible: rendering the same data twice gives the same
bytes, so no output carries a generation time or the transform's run id; the
`data_version` (a hash over the source files' hashes) says which data a pack shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import jinja2

from onecouncil.quality.results import Verdict

REPORTS = Path(__file__).resolve().parents[2] / "reports"
TEMPLATES = REPORTS / "templates"
STYLESHEET = REPORTS / "static" / "pack.css"

DEFAULT_THRESHOLDS: dict[str, Any] = {
    "rag_amber_above_pct": Decimal("0.5"),
    "rag_red_above_pct": Decimal("2"),
    "zero_budget_red_above": Decimal("10000"),
    "forecast_deadline_days": 10,
    "transparency_threshold": Decimal("500"),
    "council_name": "Milton Keynes City Council",
}
DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt" / "dbt_project.yml"

MONTHS = ("April", "May", "June", "July", "August", "September", "October", "November",
          "December", "January", "February", "March")


# ---------------------------------------------------------------- periods

@dataclass(frozen=True)
class Period:
    fiscal_year: str  # '2025-26'
    label: str  # 'P05', 'Q2' or 'year'
    period: int | None  # 1-13 for a monthly pack

    @property
    def start_year(self) -> int:
        return int(self.fiscal_year[:4])

    @property
    def month_name(self) -> str:
        """'August 2025' for P05; P13 is the year-end adjustments, not a month."""
        if self.period is None:
            return ""
        if self.period == 13:
            return "year-end adjustments"
        year = self.start_year + (1 if self.period >= 10 else 0)
        return f"{MONTHS[self.period - 1]} {year}"

    @property
    def description(self) -> str:
        if self.period is not None:
            return f"{self.fiscal_year}, period {self.period} ({self.month_name})"
        if self.label == "year":
            return f"{self.fiscal_year}, full year"
        return f"{self.fiscal_year}, quarter {self.label[1:]}"

    @property
    def fixed_date(self) -> dt.date:
        """A date that stands for the period, used where a format insists on a timestamp."""
        if self.period is None:
            q = {"Q1": 6, "Q2": 9, "Q3": 12, "Q4": 15, "year": 15}[self.label]
            month, year = (q - 1) % 12 + 1, self.start_year + (q - 1) // 12
        else:
            m = min(self.period, 12) + 3
            month, year = (m - 1) % 12 + 1, self.start_year + (m - 1) // 12
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)


def parse_period(fiscal_year: str, label: str | int) -> Period:
    """'P5', 'P05', 5 -> P05; 'Q1'..'Q4'; 'year'."""
    if not re.fullmatch(r"\d{4}-\d{2}", fiscal_year) or \
            int(fiscal_year[5:]) != (int(fiscal_year[:4]) + 1) % 100:
        raise ValueError(f"fiscal year must look like 2025-26, not {fiscal_year!r}")
    text = str(label).strip()
    if m := re.fullmatch(r"[Pp]?(\d{1,2})", text):
        n = int(m.group(1))
        if not 1 <= n <= 13:
            raise ValueError(f"period must be 1-13, not {n}")
        return Period(fiscal_year, f"P{n:02d}", n)
    if re.fullmatch(r"[Qq][1-4]", text):
        return Period(fiscal_year, text.upper(), None)
    if text.lower() == "year":
        return Period(fiscal_year, "year", None)
    raise ValueError(f"period must be P01-P13, Q1-Q4 or year, not {label!r}")


# ---------------------------------------------------------------- thresholds

def thresholds() -> dict[str, Any]:
    """The dbt vars the marts were built with (dbt/dbt_project.yml), else the defaults."""
    values = dict(DEFAULT_THRESHOLDS)
    if DBT_PROJECT.exists():
        import yaml

        data = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8")) or {}
        for key, value in (data.get("vars") or {}).items():
            if key in values and value is not None:
                values[key] = Decimal(str(value)) if isinstance(values[key], Decimal) else value
    # dbt_project.yml takes the council's name from the environment through a Jinja
    # expression; the settings resolve it the same way (ONECOUNCIL_COUNCIL_NAME, else
    # the default), never the unrendered expression.
    from onecouncil import settings as _settings

    values["council_name"] = _settings.load().council_name
    return values


# ---------------------------------------------------------------- formatting

def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def thousands(value: Any) -> str:
    """Pounds as £000 to one decimal place, negative with a leading minus: -1,234.5."""
    if value is None:
        return ""
    q = (_dec(value) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # never '-0.0'
    return f"{q:,.1f}"


def pounds(value: Any, places: int = 0) -> str:
    """£ in full: 1,234,567 (or 1,234.50 with places=2)."""
    if value is None:
        return ""
    q = _dec(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:,.{places}f}"


def percent(value: Any, places: int = 1) -> str:
    if value is None:
        return "n/a"
    q = _dec(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:,.{places}f}%"


def count(value: Any) -> str:
    return "" if value is None else f"{int(value):,}"


def london(value: dt.datetime | None) -> str:
    """A timestamp as the council reads it: 12/09/2025 17:30 (UK time)."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo("Europe/London"))
    return value.strftime("%d/%m/%Y %H:%M")


def ukdate(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def bar_chart(items: list[tuple[str, Decimal, str]], width: int = 640, label_width: int = 190,
              value_width: int = 80, bar_height: int = 22, gap: int = 10) -> dict[str, Any]:
    """Geometry of a horizontal bar chart whose bars start at zero, negative to the left."""
    values = [Decimal(v) for _, v, _ in items]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    plot_left, plot_width = label_width, width - label_width - value_width
    scale = Decimal(plot_width) / (high - low) if high != low else Decimal(0)
    zero_x = plot_left + float((0 - low) * scale)
    bars = []
    for i, (label, value, display) in enumerate(items):
        w = float(abs(value) * scale)
        x = zero_x - w if value < 0 else zero_x
        bars.append({"label": label, "short_label": label if len(label) <= 28 else label[:27] + "…",
                     "display": display, "negative": value < 0, "x": round(x, 1),
                     "w": round(w, 1), "y": gap + i * (bar_height + gap), "h": bar_height})
    return {"width": width, "height": gap + len(items) * (bar_height + gap),
            "label_width": label_width, "zero_x": round(zero_x, 1), "bars": bars}


def line_chart(items: list[tuple[str, Decimal | None, str]], width: int = 640, height: int = 240,
               left: int = 40, right: int = 40, top: int = 30, bottom: int = 56
               ) -> dict[str, Any]:
    """Geometry of a line chart over time: (label, value or None, formatted value) per point.

    A None value (not returned, or hidden by disclosure control) leaves a gap in the line
    and no dot, so the chart never gives away what the table hides. The vertical scale
    fits the values, padded, and need not start at zero: trends in a percentage matter
    more than its distance from zero, and every point is labelled with its value anyway.
    """
    values = [Decimal(v) for _, v, _ in items if v is not None]
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    pad = (high - low) * Decimal("0.2") if high != low else (abs(high) * Decimal("0.1") or 1)
    low, high = low - pad, high + pad
    plot_w, plot_h = width - left - right, height - top - bottom
    step = Decimal(plot_w) / max(len(items) - 1, 1)
    points, segments, run = [], [], []
    for i, (label, value, display) in enumerate(items):
        x = float(left + step * i) if len(items) > 1 else left + plot_w / 2
        y = None if value is None else float(
            top + (high - Decimal(value)) / (high - low) * plot_h)
        points.append({"label": label, "display": display, "x": round(x, 1),
                       "y": None if y is None else round(y, 1)})
        if y is None:
            if len(run) > 1:
                segments.append(run)
            run = []
        else:
            run.append(f"{round(x, 1)},{round(y, 1)}")
    if len(run) > 1:
        segments.append(run)
    # A dip's label goes under its dot, where the line does not run through it.
    for i, p in enumerate(points):
        if p["y"] is None:
            continue
        near = [q["y"] for q in points[max(i - 1, 0):i + 2] if q is not p and q["y"] is not None]
        below = bool(near) and all(p["y"] > y for y in near)
        p["label_y"] = round(p["y"] + 18 if below else p["y"] - 10, 1)
    return {"width": width, "height": height, "top": top, "baseline": height - bottom,
            "left": left, "right": width - right, "points": points,
            "lines": [" ".join(s) for s in segments]}


# ---------------------------------------------------------------- JSON

def to_jsonable(value: Any) -> Any:
    """Decimals as strings, dates ISO, timestamps in UTC, tuples as lists: stable text."""
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    raise TypeError(f"cannot put {type(value).__name__} in a pack's JSON")


def canonical_json(value: Any) -> bytes:
    return (json.dumps(to_jsonable(value), sort_keys=True, indent=2, ensure_ascii=False)
            + "\n").encode("utf-8")


def data_version(source_files: list[Mapping[str, Any]]) -> str:
    """sha256 over the sorted source hashes, one per line: the same data gives the same version."""
    hashes = sorted({str(f["sha256"]) for f in source_files})
    return hashlib.sha256("".join(h + "\n" for h in hashes).encode("ascii")).hexdigest()


def checks_summary(verdict: Verdict) -> dict[str, Any]:
    """What the pack says about its checks; never the run id, which changes every run."""
    def row(r):
        return {"source": r.source, "check_name": r.check_name, "relation": r.relation,
                "severity": r.severity, "status": r.status, "failing_rows": r.failing_rows,
                "message": r.message}

    return {
        "checks_ran": verdict.run_id is not None,
        "is_final": verdict.is_final,
        "total": len(verdict.results),
        "passed": verdict.passed,
        "blocking_failed": len(verdict.blocking_failures),
        "warnings_failed": len(verdict.warnings),
        "blocking_failures": [row(r) for r in sorted(verdict.blocking_failures)],
        "warnings": [row(r) for r in sorted(verdict.warnings)],
    }


# ---------------------------------------------------------------- files

def atomic_write(path: Path, data: bytes) -> Path:
    """Write beside the target then rename: a reader never sees half a pack."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def pack_dir(output_dir: Path | str, period: Period) -> Path:
    return Path(output_dir) / period.fiscal_year / period.label


# ---------------------------------------------------------------- rendering

def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(k=thousands, gbp=pounds, pct=percent, count=count, london=london,
                       ukdate=ukdate)
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    css = STYLESHEET.read_text(encoding="utf-8")
    return environment().get_template(template).render(css=css, **context)


def render_pdf(html: str, base_url: Path, period: Period) -> bytes:
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


def render(pack: str, *, title: str, public: bool, template: str, period: Period,
           output_dir: Path | str, figures: Mapping[str, Any], lineage: Mapping[str, Any],
           verdict: Verdict, extras: Mapping[str, bytes] | None = None,
           extra_context: Mapping[str, Any] | None = None, pdf: bool = True) -> list[Path]:
    """Render one pack for one period; returns the files written (html, pdf, json, extras).

    An existing pack for the period is replaced file by file, each atomically.
    """
    folder = pack_dir(output_dir, period)
    version = data_version(lineage.get("source_files", []))
    checks = checks_summary(verdict)
    document = {
        "pack": pack,
        "title": title,
        "classification": "Public" if public else "Restricted",
        "fiscal_year": period.fiscal_year,
        "period": period.label,
        "status": "final" if verdict.is_final else "draft",
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
        "checks": checks,
        "figures": figures,
        "lineage": lineage,
        "council_name": lineage.get("thresholds", {}).get("council_name")
        or thresholds()["council_name"],
        "pdf_date": period.fixed_date.isoformat(),
        **(extra_context or {}),
    }
    html = render_html(template, context)
    written = [atomic_write(folder / f"{pack}.html", html.encode("utf-8"))]
    if pdf:
        written.append(atomic_write(folder / f"{pack}.pdf", render_pdf(html, folder, period)))
    written.append(atomic_write(folder / f"{pack}.json", canonical_json(document)))
    for name, data in sorted((extras or {}).items()):
        written.append(atomic_write(folder / name, data))
    return written

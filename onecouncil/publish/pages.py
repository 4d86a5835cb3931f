"""The published site's pages (reports/templates/site): plain HTML, no JavaScript."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from onecouncil import settings as _settings


def _render(template: str, **context: Any) -> str:
    from onecouncil.packs.render import STYLESHEET, environment

    return environment().get_template(f"site/{template}").render(
        css=STYLESHEET.read_text(encoding="utf-8"),
        council_name=_settings.load().council_name, **context)


def index_page(publications: list[dict[str, Any]]) -> str:
    """Every publication by fiscal year (newest first) and period."""
    years = []
    for year, in_year in groupby(sorted(publications, key=lambda p: p["fiscal_year"],
                                        reverse=True), key=lambda p: p["fiscal_year"]):
        in_year = sorted(in_year, key=lambda p: (p["period"], p["pack"], p["version"]))
        periods = [(description, list(rows)) for description, rows in
                   groupby(in_year, key=lambda p: p["period_description"])]
        years.append((year, periods))
    return _render("index.html", years=years, count=len(publications))


def pack_page(pack: str, publications: list[dict[str, Any]]) -> str:
    periods = [(description, sorted(rows, key=lambda p: -p["version"])) for description, rows
               in groupby(sorted(publications, key=lambda p: p["period"], reverse=True),
                          key=lambda p: p["period_description"])]
    return _render("pack.html", title=publications[0]["title"], pack=pack, periods=periods)

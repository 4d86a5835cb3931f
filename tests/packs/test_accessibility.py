"""Both packs pass axe-core at WCAG 2.2 AA in headless Chromium (Debian's `chromium`).

axe-core comes bundled in axe-playwright-python; playwright drives the system
Chromium (never a downloaded browser: the network is closed). Skipped only when
Chromium is not installed.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import FY
from services_fixtures import (  # noqa: F401  (found by name)
    services_marts_fixture,
    year_end_marts_fixture,
)

from onecouncil.packs import render_pack

CHROMIUM = os.environ.get("ONECOUNCIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Without these Chromium waits on network connections that a closed network never answers.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium not installed at {CHROMIUM}: apt-get install -y chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        yield b
        b.close()


def _axe(browser, html_path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.goto(html_path.as_uri(), wait_until="load", timeout=30_000)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS},
                                           "resultTypes": ["violations"]})
        return page, results
    except BaseException:
        page.close()
        raise


# pack: (period label, fixture that builds the marts it reads)
PACKS_TESTED = {"finance-outturn": ("P05", "marts"), "transparency-spend": ("P05", "marts"),
                "scrutiny-quarterly": ("Q2", "services_marts"),
                "year-end": ("year", "year_end_marts")}


@pytest.mark.parametrize("pack", list(PACKS_TESTED))
@pytest.mark.parametrize("verdict_name", ["final_verdict", "failed_verdict"])
def test_pack_has_no_axe_violations(browser, request, tmp_path, pack, verdict_name):
    verdict = request.getfixturevalue(verdict_name)
    label, fixture = PACKS_TESTED[pack]
    conn = request.getfixturevalue(fixture)
    paths = render_pack(conn, pack, FY, label, tmp_path, verdict, pdf=False)
    html = next(p for p in paths if p.suffix == ".html")
    page, results = _axe(browser, html)
    try:
        violations = results.response["violations"]
        assert results.violations_count == 0, (
            f"{pack}: {results.violations_count} axe violations\n"
            + json.dumps([{"id": v["id"], "impact": v["impact"], "help": v["help"],
                           "nodes": [n["html"][:200] for n in v["nodes"][:5]]}
                          for v in violations], indent=2))
        # axe ran the rules it was asked for, not nothing
        assert results.response["testEngine"]["version"].startswith("4.")
        # the page works on a phone width too (reflow, 1.4.10): nothing wider than the screen
        page.set_viewport_size({"width": 320, "height": 640})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{pack} scrolls sideways at 320px: {overflow}px wide"
    finally:
        page.close()

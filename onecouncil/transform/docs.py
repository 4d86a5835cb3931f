"""The dbt docs as one static page: every source, model, test and pack exposure.

`dbt docs generate --static` writes static_index.html with the manifest and catalog
inside it, so the page opens from disk or any web server with nothing else beside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from onecouncil import settings as _settings


class DocsFailed(RuntimeError):
    pass


def build_docs(settings: _settings.Settings | None = None) -> Path:
    """Generate the dbt docs and copy the single-file site to $ONECOUNCIL_HOME/docs/."""
    from onecouncil.packs.exposures import EXPOSURES_FILE, exposures_yaml
    from onecouncil.transform.dbt import run_dbt

    settings = settings or _settings.load()
    if EXPOSURES_FILE.read_text(encoding="utf-8") != exposures_yaml():
        raise DocsFailed(f"{EXPOSURES_FILE} is out of date with the pack declarations: run "
                         "`python -m onecouncil.packs.exposures` and commit the result")
    target = settings.home / "dbt" / "docs-target"
    result = run_dbt(["docs", "generate", "--static", "--target-path", str(target)], settings)
    page = target / "static_index.html"
    if not result.success or not page.exists():
        raise DocsFailed(f"dbt docs generate failed ({result.exception or 'see the log'}); "
                         f"dbt's log is in {settings.home / 'dbt' / 'logs'}. Run the "
                         "transform first (`onecouncil transform`) so every model exists.")
    out = settings.home / "docs" / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, out)
    return out

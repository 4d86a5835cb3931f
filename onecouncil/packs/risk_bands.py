"""Risk rating bands (rules.md "Risk"), as the dbt vars set them: shared by the risk packs."""

from __future__ import annotations

from onecouncil.packs import render

# rules.md: 1-4 Low, 5-9 Medium, 10-15 High, 16-25 Very high
RISK_BANDS: dict[str, int] = {"risk_medium_from": 5, "risk_high_from": 10,
                              "risk_very_high_from": 16}


def risk_bands() -> dict[str, int]:
    """The rating bands dbt used (dbt vars in dbt_project.yml), else rules.md's."""
    bands = dict(RISK_BANDS)
    if render.DBT_PROJECT.exists():
        import yaml

        data = yaml.safe_load(render.DBT_PROJECT.read_text(encoding="utf-8")) or {}
        for key, value in (data.get("vars") or {}).items():
            if key in bands and value is not None:
                bands[key] = int(value)
    return bands


def rating(score: int, bands: dict[str, int]) -> str:
    if score >= bands["risk_very_high_from"]:
        return "Very high"
    if score >= bands["risk_high_from"]:
        return "High"
    if score >= bands["risk_medium_from"]:
        return "Medium"
    return "Low"

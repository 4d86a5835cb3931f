"""A pack's headline figures, as its declaration names them, read from its JSON."""

from __future__ import annotations

from typing import Any

from onecouncil.packs.declarations import BY_NAME

MISSING = object()


def _at(figures: Any, path: str) -> Any:
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def headlines(document: dict[str, Any]) -> list[dict[str, Any]]:
    """[{label, value}] for each declared headline the pack shows (a section not yet
    available has none)."""
    declaration = BY_NAME[document["pack"]]
    out = []
    for label, path in declaration.headlines:
        value = _at(document.get("figures", {}), path)
        if value is not MISSING and value is not None and not isinstance(value, dict | list):
            out.append({"label": label, "value": str(value)})
    return out


def moved(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The headline figures that changed between two versions: [{label, from, to}]."""
    old = {h["label"]: h["value"] for h in before}
    new = {h["label"]: h["value"] for h in after}
    return [{"label": label, "from": old.get(label, "not shown"), "to": new.get(label, "not shown")}
            for label in dict.fromkeys([*new, *old]) if old.get(label) != new.get(label)]

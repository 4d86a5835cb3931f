"""dbt's test results (run_results.json + manifest.json) as CheckResults.

Every data test dbt ran becomes one check. Its severity for the pack comes from
the test's `config.meta.severity` (`blocking` or `warning`); without one, a
test dbt would fail the build on (`severity: error`, dbt's default) is
blocking and a `severity: warn` test is a warning. dbt's `warn` status is a
failed warning, never a pass: the pack must list it.

Unit tests are checks too, always blocking (a unit test failing means the
model's logic is wrong), named `unit test: <name>` so they read apart from data
tests. A model, seed or snapshot that failed to build is one blocking check,
`build: <name>`, status error: its own tests are then only `skipped`, and a
pack must not look final because nothing was left to fail. Nodes that built
are not checks and are left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from onecouncil.quality.results import CheckResult

SEVERITIES = ("blocking", "warning")

# dbt status -> ops.check_results status; `warn` is a failure of a warning test.
_STATUS = {
    "pass": "pass",
    "success": "pass",
    "fail": "fail",
    "warn": "fail",
    "error": "error",
    "runtime error": "error",
    "skipped": "skipped",
    "skip": "skipped",
}


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BUILT = ("model", "seed", "snapshot")


def _clean(message: str | None) -> str | None:
    # dbt colours unit-test diffs for the terminal; ops and packs show plain text.
    if message is None:
        return None
    return _ANSI.sub("", message).replace("\r\n", "\n").strip() or None


class DbtArtifactsError(ValueError):
    """run_results.json or manifest.json is missing or not what dbt writes."""


def _load(path: Path, what: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DbtArtifactsError(f"dbt's {what} not found at {path}") from exc
    except json.JSONDecodeError as exc:
        raise DbtArtifactsError(f"dbt's {what} at {path} is not JSON: {exc}") from exc


def _relation_of(manifest: dict, unique_id: str) -> str | None:
    """`schema.alias` of a model, seed, snapshot or source; None when unknown."""
    node = manifest.get("nodes", {}).get(unique_id) or manifest.get("sources", {}).get(unique_id)
    if node is None:
        return None
    name = node.get("alias") or node.get("identifier") or node.get("name")
    return f"{node['schema']}.{name}" if node.get("schema") else name


def _tested_relation(manifest: dict, node: dict) -> str | None:
    # A generic test names the one node it is attached to; a singular test only
    # has what it depends on, which may be several relations.
    attached = node.get("attached_node")
    if attached:
        return _relation_of(manifest, attached)
    parents = [p for p in node.get("depends_on", {}).get("nodes", [])
               if p.split(".", 1)[0] in ("model", "seed", "snapshot", "source")]
    relations = [r for r in (_relation_of(manifest, p) for p in parents) if r]
    return ", ".join(sorted(set(relations))) or None


def _severity(node: dict) -> str:
    config = node.get("config") or {}
    declared = ((config.get("meta") or {}).get("severity") or node.get("meta", {}).get("severity"))
    if declared is not None:
        declared = str(declared).strip().lower()
        if declared not in SEVERITIES:
            raise DbtArtifactsError(
                f"test {node.get('name')} has meta.severity {declared!r}; "
                f"use one of {', '.join(SEVERITIES)}")
        return declared
    return "blocking" if str(config.get("severity") or "error").lower() == "error" else "warning"


def from_run_results(run_results_path: str | Path, manifest_path: str | Path) -> list[CheckResult]:
    """One CheckResult per data test (and unit test) in a dbt run's artifacts."""
    run_results = _load(run_results_path, "run_results.json")
    manifest = _load(manifest_path, "manifest.json")
    if "results" not in run_results:
        raise DbtArtifactsError(f"{run_results_path} has no results: not a dbt run_results.json")

    checks: list[CheckResult] = []
    seen: set[str] = set()
    for result in run_results["results"]:
        unique_id = result.get("unique_id", "")
        kind = unique_id.split(".", 1)[0]
        if kind == "test":
            node = manifest.get("nodes", {}).get(unique_id)
            if node is None:
                raise DbtArtifactsError(
                    f"{unique_id} is in run_results.json but not in the manifest; "
                    "use the manifest.json written by the same dbt invocation")
            name = node.get("name") or unique_id.split(".")[2]
            relation = _tested_relation(manifest, node)
            severity = _severity(node)
        elif kind == "unit_test":
            node = manifest.get("unit_tests", {}).get(unique_id, {})
            name = f"unit test: {node.get('name') or unique_id.rsplit('.', 1)[-1]}"
            model = next(iter(node.get("depends_on", {}).get("nodes", [])), None)
            relation = _relation_of(manifest, model) if model else None
            severity = "blocking"
        elif kind in _BUILT and str(result.get("status")).lower() == "error":
            node = manifest.get("nodes", {}).get(unique_id, {})
            name = f"build: {node.get('name') or unique_id.rsplit('.', 1)[-1]}"
            relation = _relation_of(manifest, unique_id)
            severity = "blocking"
        else:
            continue

        # check_name is part of ops.check_results' key; two tests sharing a name
        # (same test in two packages) must both be kept.
        if name in seen:
            name = f"{name} ({unique_id})"
        seen.add(name)

        raw_status = str(result.get("status") or "").lower()
        status = _STATUS.get(raw_status, "error")
        failures = result.get("failures")
        message = _clean(result.get("message"))
        if raw_status == "warn" and not message:
            message = "dbt reported a warning"
        if status == "skipped" and not message:
            message = "not run: an upstream model or test failed"
        checks.append(CheckResult(
            source="dbt",
            check_name=name,
            relation=relation,
            severity=severity,
            status=status,
            failing_rows=(int(failures) if failures is not None and status in ("pass", "fail")
                          else None),
            message=message,
        ))
    return checks

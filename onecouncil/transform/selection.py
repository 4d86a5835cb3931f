"""What a transform run rebuilds: everything, or only what changed since the last good build.

A transform after the first rebuilds the models downstream of the feeds that loaded a file
since the last successful build (`source:<source>.<table>+`), the models changed since then
(`state:modified+` against that build's manifest, kept in $ONECOUNCIL_HOME/dbt/state), the
models whose relation is missing from the warehouse, and, when the calendar year has turned,
the models tagged `rebuild_each_new_year` (their rows depend on today's date). No earlier
successful build, no saved state, a change to dbt_project.yml (the thresholds are its vars,
whose values dbt's state comparison does not see) or to the council's name, or a full
refresh asked for: one full `dbt build`.

A partial build runs dbt's unit tests only when the project's code changed since the last
good build (`project_hash`: every file of the dbt project, and dbt's version) or the
calendar year turned. A unit test runs a model's SQL on the fixed rows its YAML gives,
never on the warehouse's data, so new files cannot change its result: on a build for new
data alone they are left out (`--exclude-resource-type unit_test`) and their last results
carried forward with the other checks not run (quality.carried).

The models reading the `ops` sources (ops.files, ops.quarantine: lineage, quarantine
counts) join them to the file ids of raw rows, so they change only when raw rows change,
which selects them through their staging models; a refused or duplicate file changes no
model.

Which files the last good build saw is the list of their ids in the state, not a time: a
file whose loading transaction began before that build and committed during it has an
earlier `processed_at` than the build yet was not in it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import psycopg

from onecouncil import settings as _settings
from onecouncil.feeds import FEEDS
from onecouncil.settings import REPO_ROOT
from onecouncil.transform import dbt as _dbt

DAG_ID = "transform"
# Models whose rows depend on the calendar year of today (e.g. the quarter spine runs to
# the fiscal year after today's): rebuilt, with what reads them, when the year turns.
NEW_YEAR_TAG = "rebuild_each_new_year"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
PARSED = "partial_parse.msgpack"  # dbt's parsed project, in its target folder


@dataclass(frozen=True)
class Plan:
    """One transform run's build: full, or the dbt selectors of a partial build."""

    full: bool
    reason: str
    select: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()  # raw tables that loaded a file since the last good build
    since_run: str | None = None  # the last successful transform run
    file_ids: tuple[int, ...] = ()  # every loaded file this build sees
    expectations_changed: bool = True  # the GX suites' code differs from the last good run's
    unit_tests: bool = True  # the dbt project changed, or the year turned, since then
    project: str = ""  # project_hash() when planned: the code this build builds
    expectations: str = ""  # expectations_hash() when planned: the suites this run runs
    dbt_settings: str = ""  # dbt_settings_hash() when planned: the vars this build uses

    def dbt_args(self, state: Path, full_refresh: bool = False) -> list[str]:
        if self.full:
            return ["--full-refresh"] if full_refresh else []
        unit_tests = [] if self.unit_tests else ["--exclude-resource-type", "unit_test"]
        return ["--select", *self.select, *unit_tests, "--state", str(state)]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@dataclass
class SavedState:
    run_id: str
    built_on: str  # ISO date (Europe/London) of the build
    file_ids: list[int] = field(default_factory=list)
    expectations: str = ""
    dbt_settings: str = ""
    project: str = ""  # project_hash() of the build
    # models not built since their data or code last changed: skipped (a failed blocking
    # test upstream stops dbt building what reads it) or errored; the next run builds them
    not_built: list[str] = field(default_factory=list)


def state_dir(settings: _settings.Settings | None = None) -> Path:
    return (settings or _settings.load()).home / "dbt" / "state"


def _files_hash(root: Path, paths, seed: bytes = b"") -> str:
    """Each file's path under `root` and its bytes, in path order, after `seed`."""
    digest = hashlib.sha256(seed)
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def expectations_hash() -> str:
    return _files_hash(EXPECTATIONS_DIR, EXPECTATIONS_DIR.glob("*.py"))


def project_hash() -> str:
    """Every file of the dbt project (models and their YAML, unit tests' rows, macros,
    tests, dbt_project.yml) and dbt's version: what a unit test's result can depend on."""
    from importlib.metadata import version

    root = _dbt.PROJECT_DIR
    files = [p for p in root.rglob("*") if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return _files_hash(root, files, seed=version("dbt-core").encode())


def dbt_settings_hash(settings: _settings.Settings | None = None) -> str:
    """dbt_project.yml (its vars: the council's thresholds) and the council's name: dbt's
    state:modified does not see a var's value change, so a change here builds everything."""
    settings = settings or _settings.load()
    project = (_dbt.PROJECT_DIR / "dbt_project.yml").read_bytes()
    return hashlib.sha256(project + b"\0" + settings.council_name.encode()).hexdigest()


def today() -> date:
    import pendulum

    return pendulum.now("Europe/London").date()


def _last_success(conn: psycopg.Connection) -> str | None:
    row = conn.execute(
        "select run_id from ops.runs where dag_id = %s and outcome = 'success' "
        "order by finished_at desc nulls last limit 1", (DAG_ID,)).fetchone()
    return row[0] if row else None


def _read_state(folder: Path) -> SavedState | None:
    try:
        data = json.loads((folder / "run.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if not (folder / "manifest.json").exists():
        return None
    return SavedState(**data)


def _source_selectors(manifest: dict, tables: set[str]) -> list[str]:
    return sorted(f"source:{s['source_name']}.{s['name']}+"
                  for s in manifest.get("sources", {}).values()
                  if s.get("schema") == "raw" and (s.get("identifier") or s["name"]) in tables)


def _missing_models(conn: psycopg.Connection, manifest: dict) -> list[str]:
    models = {f"{n['schema']}.{n.get('alias') or n['name']}": n["name"]
              for n in manifest.get("nodes", {}).values()
              if n.get("resource_type") in ("model", "seed", "snapshot")
              and (n.get("config") or {}).get("materialized") != "ephemeral"}
    if not models:
        return []
    missing = conn.execute("select r from unnest(%s::text[]) r where to_regclass(r) is null",
                           (sorted(models),)).fetchall()
    return sorted(models[r] for (r,) in missing)


def plan(conn: psycopg.Connection, settings: _settings.Settings | None = None, *,
         full_refresh: bool = False) -> Plan:
    """Decide what this run builds, from ops.runs, ops.files and the saved state."""
    folder = state_dir(settings)
    loaded = conn.execute("select file_id, feed from ops.files where outcome = 'loaded' "
                          "order by file_id").fetchall()
    file_ids = tuple(i for i, _ in loaded)
    gx_code = expectations_hash()
    code = project_hash()
    dbt_vars = dbt_settings_hash(settings)
    last = _last_success(conn)
    state = _read_state(folder)

    tables = {f.folder: f.table for f in FEEDS}  # a feed no longer declared has no model

    def full(reason: str) -> Plan:
        return Plan(full=True, reason=reason, since_run=last, file_ids=file_ids, project=code,
                    expectations=gx_code, dbt_settings=dbt_vars,
                    feeds=tuple(sorted({tables[f] for _, f in loaded if f in tables})))

    if full_refresh:
        return full("a full refresh was asked for")
    if last is None:
        return full("no earlier successful transform: the first build is always full")
    if state is None:
        return full(f"no saved state of the last successful build in {folder}")
    if state.run_id != last:
        return full(f"the saved state in {folder} is of run {state.run_id}, not of the last "
                    f"successful transform {last}")
    if state.dbt_settings != dbt_vars:
        return full("dbt_project.yml (its vars) or the council's name changed since run "
                    f"{last}")

    seen = set(state.file_ids)
    feeds = sorted({tables[f] for i, f in loaded if i not in seen and f in tables})
    manifest = json.loads((folder / "manifest.json").read_text())
    select = _source_selectors(manifest, set(feeds))
    select.append("state:modified+")
    select += [f"{name}+" for name in
               sorted(set(_missing_models(conn, manifest)) | set(state.not_built))]
    new_year = date.fromisoformat(state.built_on).year != today().year
    if new_year:
        select.append(f"tag:{NEW_YEAR_TAG}+")
    if feeds:
        reason = f"files loaded for {', '.join(feeds)} since run {last}"
    else:
        reason = f"no file loaded since run {last}: only what changed in the project"
    # a model tagged for the new year reads today's date, which its unit test's rows do not fix
    unit_tests = new_year or state.project != code
    if not unit_tests:
        reason += "; the project's code is unchanged, so its unit tests' results are carried"
    return Plan(full=False, reason=reason, select=tuple(select), feeds=tuple(feeds),
                since_run=last, file_ids=file_ids,
                expectations_changed=gx_code != state.expectations, unit_tests=unit_tests,
                project=code, expectations=gx_code, dbt_settings=dbt_vars)


def reuse_parse(dest: Path, settings: _settings.Settings | None = None) -> None:
    """Start this run's target folder with the last good build's parse: dbt then reparses
    only the files changed since (it checks every file's hash), seconds instead of a
    full parse of the project."""
    saved = state_dir(settings) / PARSED
    if saved.exists() and not (dest / PARSED).exists():
        shutil.copy2(saved, dest / PARSED)


def _not_built(results_dir: Path, before: list[str]) -> list[str]:
    """Models this invocation did not build, and those of `before` it did not build either."""
    results = json.loads((results_dir / "run_results.json").read_text())["results"]
    status = {r["unique_id"].split(".")[-1]: r["status"] for r in results
              if r["unique_id"].split(".")[0] in ("model", "seed", "snapshot")}
    failed = {name for name, s in status.items() if s != "success"}
    return sorted(failed | {name for name in before if name not in status})


def save_state(run_id: str, results_dir: Path, plan_: Plan,
               settings: _settings.Settings | None = None) -> Path:
    """After a successful run: its manifest and what it saw become the next run's baseline.

    Written to a fresh folder then swapped in, so a crash leaves the old state or the new,
    never half of each."""
    folder = state_dir(settings)
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    shutil.copy2(results_dir / "manifest.json", fresh / "manifest.json")
    if (results_dir / PARSED).exists():
        shutil.copy2(results_dir / PARSED, fresh / PARSED)
    previous = None if plan_.full else _read_state(folder)
    saved = SavedState(run_id=run_id, built_on=today().isoformat(),
                       file_ids=list(plan_.file_ids),
                       # the code as planned: a file edited during the build is new next time
                       dbt_settings=plan_.dbt_settings or dbt_settings_hash(settings),
                       project=plan_.project or project_hash(),
                       expectations=plan_.expectations or expectations_hash(),
                       not_built=_not_built(results_dir, previous.not_built if previous else []))
    (fresh / "run.json").write_text(json.dumps(asdict(saved)))
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder

"""Publishing one signed-off pack, and writing the site's pages and index.json."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from onecouncil import settings as _settings
from onecouncil.calendar import parse_label
from onecouncil.packs import stamp
from onecouncil.packs.declarations import BY_NAME
from onecouncil.packs.headlines import headlines, moved

FORMATS = {".html": "HTML", ".pdf": "PDF", ".csv": "CSV"}  # what a publication holds
FILE_MODE, DIR_MODE = 0o644, 0o755
INDEX = "index.json"


class NotPublishable(Exception):
    """The pack may not be published: restricted, or not signed off."""


def published_root(settings: _settings.Settings | None = None) -> Path:
    return (settings or _settings.load()).home / "published"


def _mkdir(path: Path, root: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for p in [path, *path.parents]:
        if p == root.parent:
            break
        os.chmod(p, DIR_MODE)


def _write_new(path: Path, data: bytes) -> None:
    """Write a published file that must not exist yet: nothing published is overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, FILE_MODE)


def _replace(path: Path, data: bytes) -> None:
    """The site's pages and index are rewritten (atomically); publications never are."""
    from onecouncil.packs.output import atomic_write

    atomic_write(path, data)
    os.chmod(path, FILE_MODE)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One publisher at a time: two pack DAGs publishing at once never lose an entry."""
    _mkdir(root, root)
    with open(root / ".lock", "a") as lock:
        os.chmod(root / ".lock", FILE_MODE)
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_index(root: Path) -> dict[str, Any]:
    path = root / INDEX
    if not path.exists():
        return {"publications": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _london_day(at: dt.datetime) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo("Europe/London")).date().isoformat()


def publish(pack: str, folder: Path, *, root: Path | None = None,
            now: dt.datetime | None = None) -> dict[str, Any]:
    """Publish the signed-off pack in `folder`; its entry in index.json.

    The same data version published again is the same publication (nothing written); a
    new data version for a published period is the next version, and the one before is
    marked superseded with the headline figures that moved.
    """
    declaration = BY_NAME[pack]
    if not declaration.public:
        raise NotPublishable(f"{pack} is restricted: restricted packs are never published")
    document = stamp.read_document(folder, pack)
    if document["status"] != stamp.FINAL:
        raise NotPublishable(f"{pack} {document['fiscal_year']} {document['period']} is "
                             f"{document['status']}: only a signed-off pack is published")
    root = root or published_root()
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    period = parse_label(document["fiscal_year"], document["period"])
    with _locked(root):
        index = read_index(root)
        same = [p for p in index["publications"]
                if p["pack"] == pack and p["period"] == str(period)]
        for p in same:
            if p["data_version"] == document["data_version"]:
                return p
        version = len(same) + 1
        where = Path(str(period.year), period.label, pack, f"v{version}")
        target = root / where
        if target.exists() and any(target.iterdir()):
            raise NotPublishable(f"{target} already holds files: a publication is never "
                                 "overwritten; index.json does not list it, so look at it "
                                 "by hand")
        _mkdir(target, root)
        files = []
        for source in sorted(folder.glob(f"{pack}.*")):
            if source.suffix not in FORMATS:
                continue
            data = source.read_bytes()
            _write_new(target / source.name, data)
            files.append({"format": FORMATS[source.suffix], "path": str(where / source.name),
                          "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        entry = {
            "pack": pack, "title": declaration.title, "fiscal_year": str(period.year),
            "period": str(period), "period_label": period.label,
            "period_description": period.description, "version": version,
            "data_version": document["data_version"], "published_at": now.isoformat(),
            "published_on": _london_day(now), "approver": document["signoff"]["approver"],
            "signed_off_by": document["signoff"]["signed_off_by"],
            "signed_off_at": document["signoff"]["signed_off_at"],
            "headlines": headlines(document), "files": files, "superseded": None,
        }
        if same:
            latest = max(same, key=lambda p: p["version"])
            latest["superseded"] = {"on": entry["published_on"], "by_version": version,
                                    "changes": moved(latest["headlines"], entry["headlines"])}
        index["publications"].append(entry)
        write_site(root, index)
    return entry


def write_site(root: Path, index: dict[str, Any]) -> list[Path]:
    """index.json, index.html and a page per pack, from the index."""
    from onecouncil.publish.pages import index_page, pack_page

    publications = sorted(index["publications"],
                          key=lambda p: (p["fiscal_year"], p["period"], p["pack"], p["version"]))
    index = {"publications": publications}
    written = [root / INDEX, root / "index.html"]
    _replace(root / INDEX, (json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False)
                            + "\n").encode("utf-8"))
    _replace(root / "index.html", index_page(publications).encode("utf-8"))
    _mkdir(root / "packs", root)
    for pack in sorted({p["pack"] for p in publications}):
        path = root / "packs" / f"{pack}.html"
        _replace(path, pack_page(pack, [p for p in publications if p["pack"] == pack])
                 .encode("utf-8"))
        written.append(path)
    return written

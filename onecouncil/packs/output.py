"""A pack's files on disk: canonical JSON, the data version, atomic writes, the folder.

Everything written is reproducible: the same data gives the same bytes, so no output
carries a generation time or the transform's run id; the `data_version` (a hash over
the source files' hashes) says which data a pack shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from onecouncil.calendar import FiscalTime


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


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """Write beside the target then rename: a reader never sees half a pack. Owner-only by
    default (restricted packs live here too); the published site passes its own mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def pack_dir(output_dir: Path | str, period: FiscalTime) -> Path:
    """<output>/<fiscal year>/<P01..P13 | Q1..Q4 | year>"""
    return Path(output_dir) / str(period.year) / period.label

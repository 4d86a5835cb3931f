"""The immutable archive: every arrived file kept byte for byte, by its SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_path(archive: Path, feed_folder: str, sha256: str, file_name: str) -> Path:
    suffix = Path(file_name).suffix.lower()
    return archive / feed_folder / sha256[:2] / f"{sha256}{suffix}"


def keep(archive: Path, feed_folder: str, sha256: str, file_name: str, data: bytes) -> Path:
    """Write the bytes once (atomic rename, read-only for its owner alone: the files may hold
    personal data); an existing copy is left as it is."""
    target = archive_path(archive, feed_folder, sha256, file_name)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.part")
    with open(partial, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(partial, 0o400)
    os.replace(partial, target)
    return target

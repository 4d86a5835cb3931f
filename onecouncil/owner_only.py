"""State under $ONECOUNCIL_HOME is readable by its owner only.

The archive holds the council's raw files (payments to people, HR extracts), the
output folder restricted packs, the logs file names and errors: no other local
user may read them. So every process of the project writes with umask 077, and
each folder directly under the home is 0700 (files 0600). The home itself is 0711:
others may pass through it but not list it, which the embedded PostgreSQL needs
when run as root (it runs as the user `pgserver`) and which lets the published
site, `$ONECOUNCIL_HOME/published`, be the one world-readable place (left as it is).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from onecouncil import settings as _settings

# The one folder meant for other readers (the publication step owns its modes), the
# embedded server's data folder (PostgreSQL keeps it 0700 for its own user) and the
# landing folder, where the council decides who may deliver files (created 0700 here).
LEFT_ALONE = ("published", "pgdata", "landing")
HOME_MODE = 0o711
PRIVATE = stat.S_IRWXG | stat.S_IRWXO


def _tighten(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and mode & PRIVATE:
            path.chmod(stat.S_IMODE(mode) & ~PRIVATE)
    except (FileNotFoundError, PermissionError):
        pass  # gone meanwhile, or another user's (left for its owner)


def _tighten_tree(top: Path) -> None:
    """Drop group and other bits under `top` (state written by an earlier version, or by a
    process that was not started through onecouncil)."""
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            _tighten(Path(folder) / name)


def restrict(settings: _settings.Settings | None = None) -> None:
    """Make this process write owner-only, and the home's state owner-only."""
    os.umask(0o077)
    settings = settings or _settings.load()
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(home.stat().st_mode) != HOME_MODE:
        home.chmod(HOME_MODE)
    for entry in home.iterdir():
        if entry.name in LEFT_ALONE or entry.is_symlink():
            continue
        _tighten(entry)
        if entry.is_dir():  # what a process without umask 077 wrote there, or an old version
            _tighten_tree(entry)

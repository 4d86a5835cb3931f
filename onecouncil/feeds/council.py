"""The council's own header words: synonyms from the feeds file, added to the built-in ones.

The file is YAML, named by ONECOUNCIL_FEEDS_FILE (default $ONECOUNCIL_HOME/feeds.yml);
a missing default file means no words of the council's own:

    finance/payments:
      synonyms:
        transaction_number: ["Internal Ref Number", "Document No."]
        supplier_name: ["Supplier (Beneficiary) Name"]

It is validated when a command or a DAG run starts: an unknown feed, an unknown column,
a word that is another column's own name, or a wrong shape is an error naming the file,
the feed and the column, so the fix is one line.
"""

from __future__ import annotations

from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.feeds.model import Feed, header_key
from onecouncil.feeds.registry import FEEDS


class FeedsFileError(ValueError):
    """The feeds file is not valid; the message names the file and the fix."""


Synonyms = dict[str, dict[str, tuple[str, ...]]]  # feed folder -> column -> words
_cache: dict[tuple[str, float, int], Synonyms] = {}


def _path(settings: _settings.Settings | None) -> tuple[Path, bool]:
    """(feeds file, whether it was named explicitly)."""
    settings = settings or _settings.load()
    explicit = settings.feeds_file is not None and \
        settings.feeds_file != settings.home / "feeds.yml"
    return settings.feeds_file or settings.home / "feeds.yml", explicit


def parse(text: str, source: str) -> Synonyms:
    """Validate the feeds file's text; `source` names it in errors."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise FeedsFileError(f"{source} is not valid YAML: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FeedsFileError(f"{source}: expected feed folders (such as finance/payments) as "
                             "the top-level keys")
    feeds = {f.folder: f for f in FEEDS}
    result: Synonyms = {}
    for folder, entry in data.items():
        feed = feeds.get(str(folder))
        if feed is None:
            raise FeedsFileError(f"{source}: unknown feed {folder!r}; the feeds are "
                                 f"{', '.join(sorted(feeds))}")
        if not isinstance(entry, dict) or set(entry) - {"synonyms"}:
            raise FeedsFileError(f"{source}: {folder}: expected only `synonyms:`, a mapping of "
                                 "column to a list of header words")
        words = entry.get("synonyms") or {}
        if not isinstance(words, dict):
            raise FeedsFileError(f"{source}: {folder}: synonyms must map a column to a list "
                                 "of header words")
        names = {c.name: c for c in feed.columns}
        own = {header_key(c.name): c.name for c in feed.columns}
        columns: dict[str, tuple[str, ...]] = {}
        for column, listed in words.items():
            if column not in names:
                raise FeedsFileError(f"{source}: {folder} has no column {column!r}; its columns "
                                     f"are {', '.join(names)}")
            if isinstance(listed, str):
                listed = [listed]
            if not isinstance(listed, list) or not all(isinstance(w, str | int) for w in listed):
                raise FeedsFileError(f"{source}: {folder}.{column}: expected a list of header "
                                     "words in quotes")
            for word in listed:
                other = own.get(header_key(word))
                if other and other != column:
                    raise FeedsFileError(f"{source}: {folder}.{column}: {word!r} is the name of "
                                         f"the column {other} itself")
            columns[column] = tuple(str(w) for w in listed)
        result[feed.folder] = columns
    return result


def load(settings: _settings.Settings | None = None) -> Synonyms:
    """The council's synonyms, validated (cached while the file is unchanged)."""
    path, explicit = _path(settings)
    try:
        st = path.stat()
    except FileNotFoundError:
        if explicit:
            raise FeedsFileError(f"the feeds file {path} (ONECOUNCIL_FEEDS_FILE) does not "
                                 "exist") from None
        return {}
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _cache:
        _cache.clear()
        _cache[key] = parse(path.read_text(encoding="utf-8"), f"the feeds file {path}")
    return _cache[key]


def synonyms_for(feed: Feed, settings: _settings.Settings | None = None
                 ) -> dict[str, tuple[str, ...]]:
    """Column -> the council's own words for it, for one feed."""
    return load(settings).get(feed.folder, {})

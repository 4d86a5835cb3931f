"""What a feed declaration says: folder, columns, types, synonyms, key and replace scope.

Adding a feed is one `Feed(...)` in registry.py plus its dbt staging model; the
reader, validator and loader work from these declarations alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Column types the parser knows, with the PostgreSQL type each lands as in `raw`.
PG_TYPES = {
    "text": "text",
    "enum": "text",
    "fiscal_year": "text",
    "date": "date",
    "timestamp": "timestamptz",
    "amount": "numeric",
    "number": "numeric",
    "integer": "integer",
    "boolean": "boolean",
}


# How often a feed's files are expected (Feed.cadence), as PostgreSQL intervals: a feed is
# late when its last loaded file arrived longer ago than its cadence plus its grace days.
CADENCES = {
    "daily": "1 day",
    "weekly": "7 days",
    "monthly": "1 month",
    "quarterly": "3 months",
    "annual": "1 year",
}


def normalise_header(name: object) -> str:
    """A header name lower-cased with runs of spaces and `_` as one space (what the wide
    columns' patterns read); matching a column uses header_key."""
    text = "" if name is None else str(name)
    return re.sub(r"[\s_]+", " ", text.replace("\ufeff", "")).strip().lower()


def header_key(name: object) -> str:
    """What a header name is matched by: case, spaces, `_` and punctuation ignored, so
    `TransactionNumber`, `Transaction Number`, `transaction_number` are one name, and so
    are `Transaction No.` and `Transaction No` (contracts/sources.md)."""
    text = "" if name is None else str(name)
    return re.sub(r"[\W_]+", "", text.replace("\ufeff", "").lower())


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()  # for enum: the exact words, matched ignoring case
    min: int | None = None  # for integer: inclusive bounds
    max: int | None = None

    def __post_init__(self) -> None:
        if self.type not in PG_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type}")
        if self.type == "enum" and not self.allowed:
            raise ValueError(f"column {self.name}: an enum needs its allowed words")

    @property
    def pg_type(self) -> str:
        return PG_TYPES[self.type]

    @property
    def header_names(self) -> tuple[str, ...]:
        """The keys (header_key) this column is found by: its name, then its synonyms."""
        return tuple(header_key(n) for n in (self.name, *self.synonyms))


@dataclass(frozen=True)
class Feed:
    """One landing feed.

    key: columns unique within one file (a second row with the same key is
    quarantined). `whole_row_unique` instead makes an exact repeat of a whole row
    the duplicate (payments, which have no key).
    replace_scope: columns whose values a file covers; loading a file replaces
    every earlier current row with the same scope values. Empty = whole feed.
    latest_by: when set, replacement is per scope row and the row with the
    latest value of this column wins, whichever file it came in.
    snapshot: a column that must hold one value per file.
    control_total: the column a TOTAL trailer row totals.
    wide: raw column -> pattern of header names gathered into one jsonb column
    (indicator targets as `target_2025_26` columns).
    defaults: value used when a column is absent from a file's header.
    derived: raw columns computed from parsed ones (see ingest.derive).
    set_rule: a rule of ingest.set_rules run in SQL over a file's rows once they
    are copied in: it fills the `computed` raw columns and moves the rows it
    cannot accept to quarantine with their reason (set-based, not row by row).
    cadence: how often a file is expected (a key of CADENCES); None for a feed sent
    only when something changes (reference data, definitions). late_after_days:
    grace beyond the cadence before the feed is late (quality.freshness).
    """

    folder: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    replace_scope: tuple[str, ...] = ()
    whole_row_unique: bool = False
    latest_by: str | None = None
    snapshot: str | None = None
    control_total: str | None = None
    wide: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)
    set_rule: str | None = None
    computed: dict[str, str] = field(default_factory=dict)
    description: str = ""
    cadence: str | None = None
    late_after_days: int = 0

    def __post_init__(self) -> None:
        if self.cadence is not None and self.cadence not in CADENCES:
            raise ValueError(f"feed {self.folder}: unknown cadence {self.cadence!r}; "
                             f"one of {', '.join(CADENCES)}")

    @property
    def table(self) -> str:
        """Raw table name: `finance/ledger` -> `finance__ledger` (schema `raw`)."""
        return self.folder.replace("/", "__")

    @property
    def sheet_name(self) -> str:
        return self.folder.rsplit("/", 1)[-1]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.folder} has no column {name}")

    @property
    def raw_columns(self) -> list[tuple[str, str]]:
        """(name, PostgreSQL type) of the data columns of the raw table, in order."""
        cols = [(c.name, c.pg_type) for c in self.columns]
        cols += [(name, pg_type) for name, pg_type in self.derived.items()]
        cols += [(name, "jsonb") for name in self.wide]
        cols += list(self.computed.items())
        return cols

    @property
    def copied_columns(self) -> list[str]:
        """The raw columns a file's rows are copied into (computed ones are filled after)."""
        return [name for name, _ in self.raw_columns if name not in self.computed]

"""Disclosure control for counts of people in public packs (rules.md, "Publication and disclosure").

A count from 1 to 4 is shown as `<5` (primary suppression). Then, so that it cannot be
worked out by subtraction from a total, every row and column of the table that has a
suppressed cell must have at least two: another cell of that row or column is
suppressed too (secondary suppression), repeated until no row or column has exactly one.

Tables are grids of counts, row by row; totals, when the table shows them, are ordinary
cells of the grid (last column, last row), so they are protected the same way. A count
is never treated as safe just because the totals are not in the table: totals are
usually published elsewhere in the pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

SUPPRESSED = "<5"


def primary(value: int | None, threshold: int = 5) -> bool:
    return value is not None and 0 < value < threshold


def suppress_mask(table: Sequence[Sequence[int | None]], *, threshold: int = 5,
                  totals: bool = False, people_columns: Iterable[int] | None = None
                  ) -> list[list[bool]]:
    """Which cells to suppress.

    `totals=True`: the last row and column are totals, chosen for secondary suppression
    only when no inner cell of the line can be. `people_columns`: the columns that count
    people (primary suppression applies only there); None means every column does.
    Any column may take secondary suppression.
    """
    grid = [list(row) for row in table]
    if any(len(row) != len(grid[0]) for row in grid):
        raise ValueError("every row of the table must have the same number of cells")
    for row in grid:
        for v in row:
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
                raise ValueError(f"counts must be whole numbers of at least 0, not {v!r}")
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    people = set(range(n_cols)) if people_columns is None else set(people_columns)
    mask = [[c in people and primary(v, threshold) for c, v in enumerate(row)] for row in grid]

    def lines():
        for r in range(n_rows):
            yield [(r, c) for c in range(n_cols)]
        for c in range(n_cols):
            yield [(r, c) for r in range(n_rows)]

    def is_total(r: int, c: int) -> bool:
        return totals and (r == n_rows - 1 or c == n_cols - 1)

    def rank(cell: tuple[int, int]):
        r, c = cell
        v = grid[r][c]
        # Prefer an inner cell over a total, a non-zero over a zero (suppressing a 0
        # hides little), then the smallest count, then the first in reading order.
        return (is_total(r, c), v == 0, v, r, c)

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden = [cell for cell in line if mask[cell[0]][cell[1]]]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in line
                          if not mask[cell[0]][cell[1]] and grid[cell[0]][cell[1]] is not None]
            if not candidates:
                continue  # a line of one cell: nothing else can hide it
            r, c = min(candidates, key=rank)
            mask[r][c] = True
            changed = True
    return mask


def suppress(table: Sequence[Sequence[int | None]], *, threshold: int = 5,
             totals: bool = False, people_columns: Iterable[int] | None = None
             ) -> list[list[str]]:
    """The table as text for a public pack: `<5` where suppressed, '' for None, else 1,234."""
    mask = suppress_mask(table, threshold=threshold, totals=totals,
                         people_columns=people_columns)
    return [[SUPPRESSED if hidden else ("" if v is None else f"{v:,}")
             for v, hidden in zip(row, row_mask, strict=True)]
            for row, row_mask in zip(table, mask, strict=True)]


def as_count(value: Any) -> int | None:
    """A value as suppress_mask's whole-number grid needs it.

    Anything above 0 and below 5 (a monthly mean of 0.5 or 4.5 people) stays within 1-4,
    so it is suppressed like a whole count; a negative number cannot be a count of people
    and is left out (None).
    """
    if value is None:
        return None
    d = Decimal(str(value))
    if d < 0:
        return None
    if 0 < d < 5:
        return max(1, min(4, int(d)))
    return int(d)


def suppress_by_year(rows: Sequence[dict[str, Any]], field: str) -> list[bool]:
    """Which of `rows`' `field` to hide, with secondary suppression within each fiscal year.

    A year-to-date or annual figure published elsewhere would give a lone hidden quarter
    away by subtraction, so each fiscal year's values are one line of the grid.
    """
    hidden = [False] * len(rows)
    years: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        years.setdefault(r["fiscal_year"], []).append(i)
    for idx in years.values():
        mask = suppress_mask([[as_count(rows[i][field]) for i in idx]])[0]
        for i, m in zip(idx, mask, strict=True):
            hidden[i] = m
    return hidden


def counts_people(indicator: dict[str, Any]) -> bool:
    """The definitions carry no "counts people" flag, so the rule errs towards hiding:
    the value of every indicator whose unit is `number` is treated as a count of people."""
    return indicator["unit"] == "number"

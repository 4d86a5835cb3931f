"""Disclosure control: small counts of people hidden, and never recoverable by subtraction."""

from __future__ import annotations

import itertools

import pytest

from onecouncil.packs.disclosure import SUPPRESSED, suppress, suppress_mask


def _lines(mask):
    rows = [list(r) for r in mask]
    cols = [list(c) for c in zip(*mask, strict=True)] if mask else []
    return rows + cols


def _no_single(mask) -> bool:
    return all(sum(line) != 1 for line in _lines(mask) if len(line) > 1)


def test_counts_of_5_or_more_and_zero_are_shown():
    assert suppress([[0, 5, 12, 1234]]) == [["0", "5", "12", "1,234"]]


@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_counts_1_to_4_shown_as_under_5_with_a_second_cell_hidden(small):
    out = suppress([[small, 10, 20]])
    assert out[0][0] == SUPPRESSED
    # One other cell of the row hides it: the smallest (10), not the larger one.
    assert out[0] == [SUPPRESSED, SUPPRESSED, "20"]


def test_totals_cannot_give_the_small_count_away():
    # rows: two areas and a total row; columns: two groups and a total column
    table = [[3, 40, 43],
             [10, 50, 60],
             [13, 90, 103]]
    mask = suppress_mask(table, totals=True)
    assert mask[0][0]  # primary
    assert _no_single(mask)
    # the secondary cells are inner cells, not totals, while an inner cell can serve
    assert mask[0][1] and mask[1][0]
    assert not mask[2][2]


def test_secondary_suppression_cascades_until_no_line_has_one():
    table = [[2, 7, 9, 18],
             [8, 6, 30, 44],
             [20, 40, 1, 61],
             [30, 53, 40, 123]]
    mask = suppress_mask(table, totals=True)
    assert mask[0][0] and mask[2][2]
    assert _no_single(mask)


def test_exhaustive_small_tables_never_leave_a_line_with_one_hidden_cell():
    for values in itertools.product([0, 1, 4, 5, 9], repeat=4):
        a, b, c, d = values
        table = [[a, b, a + b], [c, d, c + d], [a + c, b + d, a + b + c + d]]
        mask = suppress_mask(table, totals=True)
        assert _no_single(mask), table
        for r, row in enumerate(table):
            for col, v in enumerate(row):
                if 1 <= v <= 4:
                    assert mask[r][col], (table, r, col)


def test_only_people_columns_get_primary_suppression():
    # column 0: payments to organisations (not people), column 1: to individuals
    out = suppress([[2, 7, 9], [3, 1, 4], [5, 8, 13]], totals=True, people_columns=[1])
    assert out[0][0] != SUPPRESSED or out[0][1] == SUPPRESSED  # 2 organisations is not a person
    assert out[1][1] == SUPPRESSED  # 1 individual
    mask = [[cell == SUPPRESSED for cell in row] for row in out]
    assert _no_single(mask)


def test_zero_is_hidden_only_when_nothing_else_can_protect_the_line():
    out = suppress([[0, 3], [6, 7]])
    assert out[0][1] == SUPPRESSED
    assert out[0][0] == SUPPRESSED  # the row's only other inner cell, though it is 0
    mask = [[cell == SUPPRESSED for cell in row] for row in out]
    assert _no_single(mask)


def test_none_cells_are_blank_and_never_chosen():
    assert suppress([[None, 2, 10]]) == [["", SUPPRESSED, SUPPRESSED]]


def test_one_cell_table_is_suppressed_without_a_partner():
    assert suppress([[3]]) == [[SUPPRESSED]]


def test_deterministic_and_input_untouched():
    table = [[1, 8, 8, 17], [8, 8, 8, 24]]
    copy = [row[:] for row in table]
    assert suppress(table) == suppress(table)
    assert table == copy


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[-1]], [[1.5]], [[True]]])
def test_rejects_ragged_or_non_count_tables(bad):
    with pytest.raises(ValueError):
        suppress(bad)

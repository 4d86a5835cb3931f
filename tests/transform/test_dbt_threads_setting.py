"""ONECOUNCIL_DBT_THREADS: how many nodes dbt builds at once (dbt_env passes it to the
profile: tests/transform/test_dbt_project.py)."""

from __future__ import annotations

import pytest

from onecouncil import settings as _settings


def test_unset_is_four_and_a_number_is_taken(monkeypatch):
    monkeypatch.delenv("ONECOUNCIL_DBT_THREADS", raising=False)
    assert _settings.load().dbt_threads == 4
    monkeypatch.setenv("ONECOUNCIL_DBT_THREADS", "6")
    assert _settings.load().dbt_threads == 6


@pytest.mark.parametrize("text", ["0", "-2", "four", "2.5"])
def test_anything_but_a_whole_number_from_one_is_refused_naming_the_variable(monkeypatch, text):
    monkeypatch.setenv("ONECOUNCIL_DBT_THREADS", text)
    with pytest.raises(ValueError, match="ONECOUNCIL_DBT_THREADS") as refused:
        _settings.load()
    assert "whole number" in str(refused.value) and repr(text) in str(refused.value)


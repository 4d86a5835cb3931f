"""Airflow Assets the DAGs publish and schedule on: one per raw feed table, one per ingest
run that loaded anything (`raw.loaded`), one per subject of marts."""

from __future__ import annotations

from airflow.sdk import Asset

from onecouncil.feeds.model import Feed


def raw_asset(feed: Feed) -> Asset:
    """Updated whenever a file of `feed` loads; later DAGs are scheduled on these."""
    return Asset(name=f"raw.{feed.table}", uri=f"x-onecouncil://raw/{feed.table}", group="raw")


def loaded_asset() -> Asset:
    """Updated once per ingest run that loaded a file, whatever the feeds (their names in
    the event's extra, `feeds`): the transform DAG is scheduled on it, so one ingest run
    makes one transform run."""
    return Asset(name="raw.loaded", uri="x-onecouncil://raw/loaded", group="raw")


def marts_asset(subject: str) -> Asset:
    """Updated when the transform has rebuilt and checked the marts of `subject` (e.g. finance)."""
    return Asset(name=f"marts.{subject}", uri=f"x-onecouncil://marts/{subject}", group="marts")



# The subjects whose marts the transform DAG rebuilds and checks.
MART_SUBJECTS = ("finance", "performance", "risk", "audit")

"""A quarter whose warehouse holds only the indicator files (performance):
`onecouncil run --quarter` succeeds and renders every quarterly pack, the sections whose
feeds have not arrived saying so."""

from __future__ import annotations

from packs_e2e import check_a_quarter_with_some_feeds


def test_every_quarterly_pack_renders_saying_what_it_waits_for(simulated, tmp_path):
    check_a_quarter_with_some_feeds(simulated, tmp_path, folders=("performance",),
                                    incomplete=("cabinet-quarterly", "scrutiny-quarterly",
                                                "audit-committee"))

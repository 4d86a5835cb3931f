"""A section whose data has not arrived: what it says instead of failing.

Every pack marks such a section the same way: `"available": false` and the feeds it
waits for (`"waiting_for": ["risk/register"]`), beside the section's empty values; the
template then says, in plain words, "Not yet available: waiting for the ... feed".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def not_available(feeds: Iterable[str], **empty: Any) -> dict[str, Any]:
    return {"available": False, **empty, "waiting_for": list(feeds)}

"""Raw columns computed from parsed ones, named in a feed's `derived`.

They exist so a replace scope can be stated in the feed's own terms: payments
replace by transaction month, contacts by the day (Europe/London) they arrived.
"""

from __future__ import annotations

from onecouncil.ingest.values import LONDON


def transaction_month(values: list, names: dict[str, int]):
    return values[names["transaction_date"]].replace(day=1)


def contact_date(values: list, names: dict[str, int]):
    return values[names["received_at"]].astimezone(LONDON).date()


DERIVATIONS = {
    "transaction_month": transaction_month,
    "contact_date": contact_date,
}

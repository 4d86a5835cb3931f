-- The corporate risk register each quarter's Cabinet pack reads: the register's latest
-- snapshot on or before the quarter's end (a later register never reaches an earlier
-- quarter). One row per quarter that has one; a quarter before the first register has
-- none, and its pack says the risk data is not yet available.

with snapshots as (
    {{ snapshot_per_quarter(ref('risk_register'), 'snapshot_date') }}
)

select
    fiscal_year,
    quarter,
    quarter_end,
    snapshot_date
from snapshots

-- The rows set aside from each pack's source files (contracts/packs.md, data-quality
-- section): per pack, period, file and reason, how many rows.

select
    s.pack,
    s.fiscal_year,
    s.period,
    s.feed,
    s.file_name,
    s.sha256,
    q.reason,
    count(*)::int as rows
from {{ ref('pack_sources') }} as s
join {{ source('ops', 'quarantine') }} as q on q.file_id = s.file_id
group by s.pack, s.fiscal_year, s.period, s.feed, s.file_name, s.sha256, q.reason

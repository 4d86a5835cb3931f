-- Directorate names by code, for the scrutiny pack's project and training tables: the
-- services marts carry only the code. The names come from the two marts that carry
-- them, the finance outturn first, then the indicator results (for a directorate with
-- no budget line); within one mart the alphabetically first name of a code is taken,
-- so a renamed directorate reads the same in every quarter's pack.

with finance as (

    select directorate_code, min(directorate_name) as directorate_name
    from {{ ref('finance_outturn_directorate') }}
    where directorate_code is not null and directorate_name is not null
    group by directorate_code

),

indicators as (

    select directorate_code, min(directorate_name) as directorate_name
    from {{ ref('indicator_results') }}
    where directorate_code is not null and directorate_name is not null
    group by directorate_code

),

-- the finance name wins where both marts name a directorate
named as (

    select directorate_code, directorate_name, 1 as source_rank from finance
    union all
    select directorate_code, directorate_name, 2 as source_rank from indicators

)

select distinct on (directorate_code)
    directorate_code::text as directorate_code,
    directorate_name::text as directorate_name
from named
order by directorate_code, source_rank

-- Every published figure loaded, in long format, with where its area stands: in the
-- comparator set, the council itself, England, or outside the set (kept for context).

select
    indicator::text as indicator,
    measure::text as measure,
    unit::text as unit,
    breakdown::text as breakdown,
    period_type::text as period_type,
    period_start::date as period_start,
    period_end::date as period_end,
    period_label::text as period_label,
    period_as_published::text as period_as_published,
    area_code::text as area_code,
    area_name::text as area_name,
    area_type::text as area_type,
    value::numeric as value,
    compared_to_england::text as compared_to_england,
    in_comparator_set::boolean as in_comparator_set,
    is_council::boolean as is_council,
    is_england::boolean as is_england,
    sha256::text as sha256,
    line_number::integer as line_number
from {{ ref('int_benchmark__figures') }}

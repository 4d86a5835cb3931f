{#- Report-layer helpers (dbt/models/reports). -#}

{#- The latest `date_column` of `relation` on or before each fiscal quarter's end:
    one row per quarter that has one (fiscal_year, quarter, quarter_end, snapshot_date).
    The risk register and the audit, project and training exports are snapshots taken
    on their own days; a quarter's pack reads each at its latest snapshot by the
    quarter's end. `where` narrows the rows considered (e.g. "register = 'corporate'"). -#}
{% macro snapshot_per_quarter(relation, date_column, where='true') -%}
    select
        q.fiscal_year,
        q.quarter,
        q.quarter_end,
        max(s.{{ date_column }}) as snapshot_date
    from {{ ref('int_calendar__fiscal_quarters') }} as q
    join {{ relation }} as s
        on s.{{ date_column }} <= q.quarter_end
    where {{ where }}
    group by q.fiscal_year, q.quarter, q.quarter_end
{%- endmacro %}

{#- The 5 x 5 heat map (rules.md "Risk"): for each key of `risks` (a relation or CTE of
    open risks with `key_columns`, current_likelihood, current_impact, risk_id), one row
    per cell, likelihood 5 down to 1 and impact 1 to 5, with the cell's score, its rating
    by the configured bands, the number of risks in it and their ids in order. -#}
{% macro risk_heat_map_cells(risks, keys, key_columns) -%}
    select
        {% for c in key_columns %}k.{{ c }},{% endfor %}
        l.likelihood,
        i.impact,
        l.likelihood * i.impact as score,
        {{ risk_rating('l.likelihood * i.impact') }} as rating,
        count(r.risk_id)::int as risk_count,
        coalesce(array_agg(r.risk_id order by r.risk_id)
            filter (where r.risk_id is not null), '{}') as risk_ids
    from {{ keys }} as k
    cross join generate_series(1, 5) as l (likelihood)
    cross join generate_series(1, 5) as i (impact)
    left join {{ risks }} as r
        on {% for c in key_columns %}r.{{ c }} = k.{{ c }} and {% endfor %}
           r.current_likelihood = l.likelihood and r.current_impact = i.impact
    group by {% for c in key_columns %}k.{{ c }}, {% endfor %}l.likelihood, i.impact
{%- endmacro %}

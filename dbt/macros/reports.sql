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

{#- A monthly pack's folder label for fiscal `period` (an integer expression): P01..P13.
    The finance and transparency packs' lineage is keyed by it, and the Cabinet and
    year-end packs find the finance files of a period by it. -#}
{% macro period_label(period) -%}
    ('P' || lpad(({{ period }})::text, 2, '0'))
{%- endmacro %}

{#- The indicator RAGs (rules.md "Indicators") in the order the packs list them. -#}
{% macro indicator_rags() -%}
    {{ return(['Red', 'Amber', 'Green', 'Data only', 'Not returned']) }}
{%- endmacro %}

{#- A pack's table of counts per line, then its total line: one row per fiscal_year,
    quarter and group (`group_by`) of `rows`, counting its rows for each value of
    `counted` in `categories` (a column each, named as the value in lower case with `_`
    for spaces) and in all (`total`); `sort_order` within the quarter by `order_by`;
    then the quarter's total line named `total_name`, the lines added up, last.
    `name` is the line's name (column `name_column`). `line_columns` are more columns
    worked out per line (over the grouped column, or aggregates of `rows`) that
    `order_by` may use; those listed in `flags` are shown too, false on the total line.
    Columns: fiscal_year, quarter, name_column, flags, is_total, the categories, total,
    sort_order. -#}
{% macro counts_per_line_with_total(rows, group_by, name, name_column, counted, categories,
                                    order_by, total_name, line_columns={}, flags=[]) -%}
{%- set columns = [] %}
{%- for value in categories %}{% do columns.append(value | lower | replace(' ', '_')) %}{% endfor %}
with lines as (

    select
        fiscal_year,
        quarter,
        {{ name }} as {{ name_column }},
        {%- for column, expression in line_columns.items() %}
        {{ expression }} as {{ column }},
        {%- endfor %}
        {%- for value in categories %}
        count(*) filter (where {{ counted }} = '{{ value }}')::integer as {{ columns[loop.index0] }},
        {%- endfor %}
        count(*)::integer as total
    from {{ rows }}
    group by fiscal_year, quarter, {{ group_by }}

),

ordered as (

    select
        *,
        row_number() over (
            partition by fiscal_year, quarter
            order by {{ order_by }}
        )::integer as sort_order
    from lines

),

total as (

    -- the lines added up; it comes after every line
    select
        fiscal_year,
        quarter,
        '{{ total_name }}'::text as {{ name_column }},
        {%- for column in columns + ['total'] %}
        sum({{ column }})::integer as {{ column }},
        {%- endfor %}
        (count(*) + 1)::integer as sort_order
    from lines
    group by fiscal_year, quarter

)

select
    fiscal_year, quarter, {{ name_column }},
    {%- for flag in flags %} {{ flag }},{% endfor %} false as is_total,
    {{ (columns + ['total', 'sort_order']) | join(', ') }}
from ordered

union all

select
    fiscal_year, quarter, {{ name_column }},
    {%- for flag in flags %} false as {{ flag }},{% endfor %} true as is_total,
    {{ (columns + ['total', 'sort_order']) | join(', ') }}
from total
{%- endmacro %}

{#- Counts per category with zeros kept: for each key of `keys` (a relation or CTE with
    `key_columns`) one row per value of `categories`, in their order (sort_order 1..n),
    with the number of rows of `rows` (counting non-empty `counted`) that have that key
    and that value in `category_column`; 0 when none, so a table always lists every
    category. Columns: key_columns, category_column, count_as, sort_order. -#}
{% macro counts_per_category(keys, key_columns, rows, category_column, categories, counted,
                             count_as) -%}
    select
        {%- for column in key_columns %}
        k.{{ column }},
        {%- endfor %}
        c.{{ category_column }}::text as {{ category_column }},
        count(r.{{ counted }})::int as {{ count_as }},
        c.sort_order::int as sort_order
    from {{ keys }} as k
    cross join (values
        {%- for value in categories %}
        ('{{ value }}', {{ loop.index }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as c ({{ category_column }}, sort_order)
    left join {{ rows }} as r
        on {% for column in key_columns %}r.{{ column }} = k.{{ column }}
       and {% endfor %}r.{{ category_column }} = c.{{ category_column }}
    group by {% for column in key_columns %}k.{{ column }}, {% endfor -%}
             c.{{ category_column }}, c.sort_order
{%- endmacro %}

{#- `part` as a percentage of `whole` to one decimal place, rounded half to even, worked
    in integer arithmetic so no float rounding creeps in (as the scrutiny pack has always
    rounded training completion: 1 of 16 is 6.2%); empty when `whole` is not above 0 or
    `part` is empty. -#}
{% macro percent_half_even(part, whole) -%}
    case when {{ whole }} > 0 and {{ part }} is not null then
        round((({{ part }}::bigint * 1000 / {{ whole }})
               + case
                     when 2 * (({{ part }}::bigint * 1000) % {{ whole }}) > {{ whole }} then 1
                     when 2 * (({{ part }}::bigint * 1000) % {{ whole }}) = {{ whole }}
                         then ({{ part }}::bigint * 1000 / {{ whole }}) % 2
                     else 0
                 end)::numeric / 10, 1)
    end
{%- endmacro %}

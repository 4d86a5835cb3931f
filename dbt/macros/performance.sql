{#- Last day of fiscal period 1-12 of a fiscal year written `2025-26` (1 = April). -#}
{% macro fiscal_period_end(fiscal_year, period) -%}
    (make_date(left({{ fiscal_year }}, 4)::int + (({{ period }}) > 9)::int,
               (({{ period }}) + 2) % 12 + 1, 1) + interval '1 month' - interval '1 day')::date
{%- endmacro %}

{#- First day of a fiscal year written `2025-26`. -#}
{% macro fiscal_year_start(fiscal_year) -%}
    make_date(left({{ fiscal_year }}, 4)::int, 4, 1)
{%- endmacro %}

{#- The fiscal year before one written `2025-26` (`2024-25`). -#}
{% macro previous_fiscal_year(fiscal_year) -%}
    ((left({{ fiscal_year }}, 4)::int - 1)::text || '-' || right(left({{ fiscal_year }}, 4), 2))
{%- endmacro %}

{#- The first instant after a day, London time: a file that arrived before it was in
    force at that day's end. -#}
{% macro end_of_day_london(d) -%}
    (({{ d }} + 1)::timestamp at time zone 'Europe/London')
{%- endmacro %}

{#- The indicator RAG rule (rules.md "Indicators"), on a value already rounded to the
    indicator's decimals. No value: `Not returned`; no target or polarity `none`:
    `Data only`. A value exactly on target - tolerance (higher) or target + tolerance
    (lower) is Amber. -#}
{% macro indicator_rag(value, target, tolerance, polarity) -%}
    case
        when ({{ value }}) is null then 'Not returned'
        when ({{ target }}) is null or ({{ polarity }}) not in ('higher', 'lower') then 'Data only'
        when ({{ polarity }}) = 'higher' then
            case
                when ({{ value }}) >= ({{ target }}) then 'Green'
                when ({{ value }}) >= ({{ target }}) - ({{ tolerance }}) then 'Amber'
                else 'Red'
            end
        else
            case
                when ({{ value }}) <= ({{ target }}) then 'Green'
                when ({{ value }}) <= ({{ target }}) + ({{ tolerance }}) then 'Amber'
                else 'Red'
            end
    end
{%- endmacro %}

{#- Direction of travel (rules.md "Indicators") of a value against its comparator, both
    rounded: judged by polarity; polarity `none` is `changed` or `no change`; empty
    when either value is missing. -#}
{% macro direction_of_travel(value, comparator, polarity) -%}
    case
        when ({{ value }}) is null or ({{ comparator }}) is null then null
        when ({{ value }}) = ({{ comparator }}) then 'no change'
        when ({{ polarity }}) = 'higher' then
            case when ({{ value }}) > ({{ comparator }}) then 'improving' else 'worsening' end
        when ({{ polarity }}) = 'lower' then
            case when ({{ value }}) < ({{ comparator }}) then 'improving' else 'worsening' end
        else 'changed'
    end
{%- endmacro %}

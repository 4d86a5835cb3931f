{#- Arguments may be expressions, hence the parentheses.
    The council's RAG rule (rules.md "Finance"), written once and used at cost centre,
    service, directorate and council level. Thresholds are dbt vars.
    Compared as variance x 100 against pct x |budget| so no rounding of a percentage
    can move a line across a boundary: exactly 0.5% is Green, exactly 2% is Amber. -#}
{% macro finance_rag(variance, budget) -%}
    case
        when ({{ variance }}) <= 0 then 'Green'
        when ({{ budget }}) = 0 then
            case when ({{ variance }}) > {{ var('zero_budget_red_above') }} then 'Red' else 'Amber' end
        when ({{ variance }}) * 100 > {{ var('rag_red_above_pct') }} * abs({{ budget }}) then 'Red'
        when ({{ variance }}) * 100 > {{ var('rag_amber_above_pct') }} * abs({{ budget }}) then 'Amber'
        else 'Green'
    end
{%- endmacro %}

{#- Variance % = variance / |current budget| as a percent; empty when the budget is 0.
    Six decimals: enough that a rounded figure never contradicts its RAG (a £0.01 overspend
    of a £100,000 budget reads 0.500010 and is Amber), and a fixed scale for Power BI. -#}
{% macro finance_variance_pct(variance, budget) -%}
    case when ({{ budget }}) <> 0 then round(({{ variance }}) * 100 / abs({{ budget }}), 6) end
{%- endmacro %}

{#- Movement = this period's variance - last period's variance for the same line; empty
    when the line had no row in the period before (or this is period 1). -#}
{% macro finance_movement(partition_by) -%}
    case
        when lag(period) over (partition by fiscal_year, {{ partition_by }} order by period) = period - 1
        then variance - lag(variance) over (partition by fiscal_year, {{ partition_by }} order by period)
    end
{%- endmacro %}

{#- Fiscal year (`2025-26`) and period (1 = April .. 12 = March) of a date. -#}
{% macro fiscal_year_of(d) -%}
    (extract(year from {{ d }} - interval '3 months')::int)::text || '-'
        || lpad(((extract(year from {{ d }} - interval '3 months')::int + 1) % 100)::text, 2, '0')
{%- endmacro %}

{% macro fiscal_period_of(d) -%}
    extract(month from {{ d }} - interval '3 months')::int
{%- endmacro %}

{#- The rows of one reference snapshot per reporting period: the latest snapshot that had
    arrived by the end of the period's last day (Europe/London), or the earliest snapshot
    when none had arrived by then. Reference feeds are full snapshots, so one file's rows
    are exactly the version in force until the next file arrived. -#}
{% macro reference_at_period_end(history, periods) -%}
    select p.fiscal_year, p.period, h.*
    from {{ periods }} as p
    cross join lateral (
        select coalesce(
            (select s.file_id from {{ history }} as s
             where s.valid_from < p.period_end_at
             order by s.valid_from desc, s.file_id desc limit 1),
            (select s.file_id from {{ history }} as s
             order by s.valid_from, s.file_id limit 1)
        ) as file_id
    ) as chosen
    join {{ history }} as h on h.file_id = chosen.file_id
{%- endmacro %}

{# The totals every roll-up of finance_outturn sums (service, directorate, council). #}
{% macro finance_rollup_totals() -%}
        sum(current_budget) as current_budget,
        sum(actual_ytd) as actual_ytd,
        sum(forecast_outturn) as forecast_outturn,
        sum(forecast_outturn) - sum(current_budget) as variance
{%- endmacro %}

{# The figure columns of every roll-up mart, in the contract's order, with the same
   variance %, RAG and movement rules at every level; `line` is the roll-up's key. #}
{% macro finance_rollup_figures(line) -%}
    current_budget::numeric as current_budget,
    actual_ytd::numeric as actual_ytd,
    forecast_outturn::numeric as forecast_outturn,
    variance::numeric as variance,
    ({{ finance_variance_pct('variance', 'current_budget') }})::numeric as variance_pct,
    ({{ finance_rag('variance', 'current_budget') }})::text as rag,
    ({{ finance_movement(line) }})::numeric as movement
{%- endmacro %}

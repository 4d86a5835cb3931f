{#- Overall project RAG (rules.md "Corporate projects and capital") from the four
    dimension RAGs (`G`, `A`, `R`). The overrun test is written as a multiplication so a
    zero budget with any forecast spend counts as overrun rather than dividing by zero,
    and so no rounded percentage can move a project across the boundary: exactly 10% over
    is not Red. -#}
{% macro project_overall_rag(rag_time, rag_cost, rag_scope, rag_benefits, budget, forecast) -%}
    case
        when (({{ rag_time }}) <> 'G')::int + (({{ rag_cost }}) <> 'G')::int
             + (({{ rag_scope }}) <> 'G')::int + (({{ rag_benefits }}) <> 'G')::int = 0
            then 'Green'
        when (({{ rag_time }}) <> 'G')::int + (({{ rag_cost }}) <> 'G')::int
             + (({{ rag_scope }}) <> 'G')::int + (({{ rag_benefits }}) <> 'G')::int = 4
            then 'Red'
        when 'R' in (({{ rag_time }}), ({{ rag_cost }}), ({{ rag_scope }}), ({{ rag_benefits }}))
             and (({{ forecast }}) - ({{ budget }})) * 100
                 > {{ var('project_overrun_red_above_pct') }} * ({{ budget }})
            then 'Red'
        when (({{ rag_time }}) <> 'G')::int + (({{ rag_cost }}) <> 'G')::int
             + (({{ rag_scope }}) <> 'G')::int + (({{ rag_benefits }}) <> 'G')::int = 1
            then 'Amber/Green'
        else 'Amber/Red'
    end
{%- endmacro %}

{#- A share as a percentage with 2 decimals (as the audit implementation rate); empty
    when there is nothing to divide by, never 0. -#}
{% macro pct_or_null(numerator, denominator) -%}
    case when ({{ denominator }}) <> 0
         then round(({{ numerator }}) * 100.0 / ({{ denominator }}), 2) end
{%- endmacro %}

{#- The Europe/London calendar date of a timestamptz (rules.md Calendar): 23:30 UTC on a
    summer evening is 00:30 BST, the next day. -#}
{% macro london_date(ts) -%}
    (({{ ts }}) at time zone 'Europe/London')::date
{%- endmacro %}

{#- Is a date inside the Christmas shutdown (24 December to 1 January inclusive), which
    does not count towards a consultation's length (rules.md "Consultations")? -#}
{% macro is_christmas_shutdown(d) -%}
    ((extract(month from {{ d }}) = 12 and extract(day from {{ d }}) >= 24)
     or (extract(month from {{ d }}) = 1 and extract(day from {{ d }}) = 1))
{%- endmacro %}

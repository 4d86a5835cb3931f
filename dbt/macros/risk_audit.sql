{#- The risk rating of a score (rules.md "Risk"): 1-4 Low, 5-9 Medium, 10-15 High,
    16-25 Very high. Written once and used for the inherent, current and target scores;
    the band edges are dbt vars (the lowest score of each band). -#}
{% macro risk_rating(score) -%}
    case
        when ({{ score }}) is null then null
        when ({{ score }}) >= {{ var('risk_very_high_from') }} then 'Very high'
        when ({{ score }}) >= {{ var('risk_high_from') }} then 'High'
        when ({{ score }}) >= {{ var('risk_medium_from') }} then 'Medium'
        else 'Low'
    end
{%- endmacro %}

{#- A share of a count as a percent to 2 decimals; empty when there is nothing to share. -#}
{% macro audit_share_pct(part, whole) -%}
    case when ({{ whole }}) > 0 then round(({{ part }}) * 100.0 / ({{ whole }}), 2) end
{%- endmacro %}

{#- A recommendation's due date (rules.md "Internal audit"): the revised due date when
    given, else the original one. -#}
{% macro audit_due_date(revised, original) -%}
    coalesce({{ revised }}, {{ original }})
{%- endmacro %}

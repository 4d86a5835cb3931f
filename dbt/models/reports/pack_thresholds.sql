-- The thresholds the marts were built with (rules.md: "the packs state the thresholds
-- they used"): one row per dbt var a pack or check states, rendered by dbt in the same
-- run as the marts, so a pack never reads a second copy that could disagree.
-- kind says how to read value: decimal, integer or text.

{%- set thresholds = [
    ('rag_amber_above_pct', 'decimal'),
    ('rag_red_above_pct', 'decimal'),
    ('zero_budget_red_above', 'decimal'),
    ('forecast_deadline_days', 'integer'),
    ('transparency_threshold', 'decimal'),
    ('indicator_default_tolerance_pct', 'decimal'),
    ('risk_medium_from', 'integer'),
    ('risk_high_from', 'integer'),
    ('risk_very_high_from', 'integer'),
    ('project_overrun_red_above_pct', 'decimal'),
    ('consultation_required_days', 'integer'),
    ('consultation_august_extra_days', 'integer'),
    ('council_name', 'text'),
] %}

{%- for name, kind in thresholds %}
select
    '{{ name }}'::text as name,
    {{ dbt.string_literal(var(name) | string) }}::text as value,
    '{{ kind }}'::text as kind
{% if not loop.last %}union all{% endif %}
{%- endfor %}

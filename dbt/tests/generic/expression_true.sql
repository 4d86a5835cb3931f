{#- Rows where a rule that must hold on every row does not (dbt_utils is not available). -#}
{% test expression_true(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}

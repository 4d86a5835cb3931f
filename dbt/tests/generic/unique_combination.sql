{#- No dbt packages are allowed (no network), so this is the one combination-uniqueness
    test the project needs: rows of the model that share the same values of `columns`. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Models land in exactly the schema their folder names (staging, intermediate, marts),
    not dbt's default <target schema>_<custom>: the published relations are marts.*. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

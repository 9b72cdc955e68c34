{#
    A deterministic surrogate key: md5 of the given columns cast to text, nulls replaced by a
    sentinel and joined by '-'. Same contract as dbt_utils.generate_surrogate_key, which is not
    available here (no package hub).
#}
{% macro surrogate_key(column_names) -%}
    md5(
        {%- for column_name in column_names %}
        coalesce(cast({{ column_name }} as varchar), '_ecap_null_')
        {%- if not loop.last %} || '-' ||{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

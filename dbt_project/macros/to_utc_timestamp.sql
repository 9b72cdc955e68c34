{#
    Bronze timestamps are `timestamp with time zone` in UTC. The warehouse stores them as plain
    `timestamp` holding the UTC wall clock, so dates and hours never depend on the session time
    zone of whoever queries the file.
#}
{% macro to_utc_timestamp(column_name) -%}
    timezone('UTC', {{ column_name }})
{%- endmacro %}

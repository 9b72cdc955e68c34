{#
    Settings of the attribution models (models/intermediate/marketing, models/marts/marketing),
    the one place that reads the `attribution_*` vars of dbt_project.yml and rejects a bad value
    at compile time, naming the var.
#}

{# The attribution models, in the order their columns appear in the marts. #}
{% macro attribution_models() %}
    {{ return(['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based']) }}
{% endmacro %}

{# Lookback window in whole days: a touch counts when it lies in (ordered_at - days, ordered_at]. #}
{% macro attribution_lookback_days() %}
    {%- set value = var('attribution_lookback_days') -%}
    {%- if value is not number or value != value | int or value < 1 -%}
        {{ exceptions.raise_compiler_error("var attribution_lookback_days=" ~ value ~ " is invalid: must be a whole number of days >= 1") }}
    {%- endif -%}
    {{ return(value | int) }}
{% endmacro %}

{# Half-life of time-decay attribution in days: weight = 2 ^ (-days before the order / half-life). #}
{% macro attribution_half_life_days() %}
    {%- set value = var('attribution_half_life_days') -%}
    {%- if value is not number or value <= 0 -%}
        {{ exceptions.raise_compiler_error("var attribution_half_life_days=" ~ value ~ " is invalid: must be a number of days > 0") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{# Position-based attribution: share of the first and of the last of 3+ touches each. #}
{% macro attribution_position_end_share() %}
    {%- set value = var('attribution_position_end_share') -%}
    {%- if value is not number or value < 0 or value > 0.5 -%}
        {{ exceptions.raise_compiler_error("var attribution_position_end_share=" ~ value ~ " is invalid: must be between 0 and 0.5") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

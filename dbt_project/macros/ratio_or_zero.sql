{#
    numerator / denominator as a double, and 0.0 when the denominator is 0 or null: a rate over
    nothing (no sessions, no orders, no revenue) is reported as 0, never as a division error or a
    null. Used by the journey, geography and seasons marts; their YAML says where 0 means "none".
#}
{% macro ratio_or_zero(numerator, denominator) -%}
    case
        when coalesce({{ denominator }}, 0) = 0 then 0.0
        else cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}

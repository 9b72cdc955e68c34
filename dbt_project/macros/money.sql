{#
    Money in the warehouse is decimal(18, 2): bronze stores float64, staging casts once and every
    derived amount is cast back to the same type so sums and comparisons are exact.
#}
{% macro money(expression) -%}
    cast({{ expression }} as decimal(18, 2))
{%- endmacro %}

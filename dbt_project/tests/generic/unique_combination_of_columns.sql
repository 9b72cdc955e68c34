{#
    Fails with one row per duplicated combination of `combination_of_columns` (nulls compare equal).
    Stands in for dbt_utils.unique_combination_of_columns, which cannot be installed here.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as n_records

from {{ model }}
group by all
having count(*) > 1

{% endtest %}

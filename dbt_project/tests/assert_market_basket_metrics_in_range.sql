{# Reported in Dagster as a check on market_basket_pairs. #}
{{ config(meta={'dagster': {'ref': {'name': 'market_basket_pairs'}}}) }}

-- Every kept pair is frequent (at least the minimum pair baskets and support), its counts nest
-- (pair <= antecedent, consequent <= total), support, confidence and consequent support are
-- fractions in (0, 1] equal to their count ratios, and lift is positive and equal to
-- confidence / consequent_support. Returns the rows that break it.

with

pairs as (

    select * from {{ ref('market_basket_pairs') }}

),

final as (

    select
        market_basket_pair_id,
        total_baskets,
        antecedent_baskets,
        consequent_baskets,
        pair_baskets,
        support,
        confidence,
        consequent_support,
        lift

    from pairs
    where
        pair_baskets < {{ var('market_basket_min_pair_baskets') }}
        or pair_baskets < cast({{ var('market_basket_min_support') }} as decimal(18, 9)) * total_baskets
        or pair_baskets > least(antecedent_baskets, consequent_baskets)
        or greatest(antecedent_baskets, consequent_baskets) > total_baskets
        or not (support > 0 and support <= 1)
        or not (confidence > 0 and confidence <= 1)
        or not (consequent_support > 0 and consequent_support <= 1)
        or not lift > 0
        or abs(support - pair_baskets / total_baskets) > 1e-12
        or abs(confidence - pair_baskets / antecedent_baskets) > 1e-12
        or abs(consequent_support - consequent_baskets / total_baskets) > 1e-12
        or abs(lift - confidence / consequent_support) > 1e-9 * lift

)

select * from final

{# Reported in Dagster as a check on market_basket_pairs. #}
{{ config(meta={'dagster': {'ref': {'name': 'market_basket_pairs'}}}) }}

-- A pair is kept in both directions or not at all, and both directions agree: the same pair
-- baskets, support and lift, the antecedent of one being the consequent of the other. Returns
-- the rows without a matching reverse.

with

pairs as (

    select * from {{ ref('market_basket_pairs') }}

),

final as (

    select
        pairs.market_basket_pair_id,
        reversed.market_basket_pair_id as reversed_pair_id,
        pairs.pair_baskets,
        reversed.pair_baskets as reversed_pair_baskets,
        pairs.support,
        reversed.support as reversed_support,
        pairs.lift,
        reversed.lift as reversed_lift

    from pairs
    left join pairs as reversed
        on
            pairs.basket_type = reversed.basket_type
            and pairs.antecedent_product_id = reversed.consequent_product_id
            and pairs.consequent_product_id = reversed.antecedent_product_id
    where
        reversed.market_basket_pair_id is null
        or pairs.pair_baskets != reversed.pair_baskets
        or pairs.total_baskets != reversed.total_baskets
        or pairs.antecedent_baskets != reversed.consequent_baskets
        or pairs.support != reversed.support
        or pairs.lift != reversed.lift

)

select * from final

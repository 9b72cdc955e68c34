-- Association rules antecedent -> consequent between products bought together, both directions,
-- for order baskets and customer baskets, keeping the frequent pairs only (vars
-- market_basket_min_support and market_basket_min_pair_baskets).

with

product_pairs as (

    select * from {{ ref('int_product_pairs_aggregated') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

final as (

    select
        product_pairs.product_pair_id as market_basket_pair_id,
        product_pairs.basket_type,
        product_pairs.antecedent_product_id,
        antecedents.product_name as antecedent_product_name,
        antecedents.category as antecedent_category,
        product_pairs.consequent_product_id,
        consequents.product_name as consequent_product_name,
        consequents.category as consequent_category,
        product_pairs.total_baskets,
        product_pairs.antecedent_baskets,
        product_pairs.consequent_baskets,
        product_pairs.pair_baskets,
        product_pairs.support,
        product_pairs.confidence,
        product_pairs.consequent_support,
        product_pairs.lift

    from product_pairs
    left join products as antecedents
        on product_pairs.antecedent_product_id = antecedents.product_id
    left join products as consequents
        on product_pairs.consequent_product_id = consequents.product_id
    where product_pairs.is_frequent

)

select * from final

-- "Customers who bought X also bought Y": for every product, the top N other products
-- (var product_recommendations_top_n) from the frequent customer-basket pairs of
-- int_product_pairs_aggregated, ranked by lift, then confidence, then support, then product_id.

with

product_pairs as (

    select * from {{ ref('int_product_pairs_aggregated') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

ranked as (

    select
        antecedent_product_id as product_id,
        consequent_product_id as recommended_product_id,
        pair_baskets,
        support,
        confidence,
        lift,
        row_number() over (
            partition by antecedent_product_id
            order by lift desc, confidence desc, support desc, consequent_product_id asc
        ) as recommendation_rank

    from product_pairs
    where
        basket_type = 'customer'
        and is_frequent

),

final as (

    select
        ranked.product_id || '-' || cast(ranked.recommendation_rank as varchar) as product_recommendation_id,
        ranked.product_id,
        products.product_name,
        cast(ranked.recommendation_rank as integer) as recommendation_rank,
        ranked.recommended_product_id,
        recommended.product_name as recommended_product_name,
        recommended.category as recommended_category,
        ranked.pair_baskets as customers_who_bought_both,
        ranked.support,
        ranked.confidence,
        ranked.lift

    from ranked
    left join products
        on ranked.product_id = products.product_id
    left join products as recommended
        on ranked.recommended_product_id = recommended.product_id
    where ranked.recommendation_rank <= {{ var('product_recommendations_top_n') }}

)

select * from final

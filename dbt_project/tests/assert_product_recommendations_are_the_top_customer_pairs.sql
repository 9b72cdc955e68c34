{# Reported in Dagster as a check on product_recommendations. #}
{{ config(meta={'dagster': {'ref': {'name': 'product_recommendations'}}}) }}

-- product_recommendations holds, for every product, exactly the first N (var
-- product_recommendations_top_n) customer-basket rows of market_basket_pairs in the order lift,
-- confidence, support, consequent id, ranked 1, 2, 3... with their metrics. Returns the
-- recommendations missing, extra or different.

with

recommendations as (

    select * from {{ ref('product_recommendations') }}

),

pairs as (

    select * from {{ ref('market_basket_pairs') }}

),

expected as (

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

    from pairs
    where basket_type = 'customer'
    qualify recommendation_rank <= {{ var('product_recommendations_top_n') }}

),

final as (

    select
        coalesce(expected.product_id, recommendations.product_id) as product_id,
        coalesce(expected.recommendation_rank, recommendations.recommendation_rank) as recommendation_rank,
        expected.recommended_product_id as expected_recommended_product_id,
        recommendations.recommended_product_id

    from expected
    full outer join recommendations
        on
            expected.product_id = recommendations.product_id
            and expected.recommendation_rank = recommendations.recommendation_rank
    where
        expected.product_id is null
        or recommendations.product_id is null
        or expected.recommended_product_id != recommendations.recommended_product_id
        or expected.pair_baskets != recommendations.customers_who_bought_both
        or expected.support != recommendations.support
        or expected.confidence != recommendations.confidence
        or expected.lift != recommendations.lift

)

select * from final

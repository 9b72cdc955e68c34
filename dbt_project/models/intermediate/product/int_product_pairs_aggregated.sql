{#-
    Product co-occurrence, the one source of market_basket_pairs and product_recommendations.
    Two kinds of basket: an order (the products of one order) and a customer (every product the
    customer has ever ordered). One row per basket type and ordered pair of distinct products
    bought in at least one common basket, both directions (A -> B and B -> A), with:
      support    = pair baskets / all baskets of the type
      confidence = pair baskets / baskets with the antecedent
      lift       = confidence / support of the consequent
                 = pair baskets x all baskets / (antecedent baskets x consequent baskets)
    Lift is computed from the integer counts in that last form, so A -> B and B -> A get the very
    same double. is_frequent applies the two thresholds (vars market_basket_min_support and
    market_basket_min_pair_baskets) in exact arithmetic.
-#}

with

order_items as (

    select * from {{ ref('int_order_items_enriched') }}

),

basket_products as (

    select distinct
        'order' as basket_type,
        order_id as basket_id,
        product_id

    from order_items

    union all

    select distinct
        'customer' as basket_type,
        customer_id as basket_id,
        product_id

    from order_items
    where customer_id is not null

),

basket_totals as (

    select
        basket_type,
        count(distinct basket_id) as total_baskets

    from basket_products
    group by basket_type

),

product_baskets as (

    select
        basket_type,
        product_id,
        count(*) as product_baskets

    from basket_products
    group by basket_type, product_id

),

pairs as (

    select
        antecedents.basket_type,
        antecedents.product_id as antecedent_product_id,
        consequents.product_id as consequent_product_id,
        count(*) as pair_baskets

    from basket_products as antecedents
    inner join basket_products as consequents
        on
            antecedents.basket_type = consequents.basket_type
            and antecedents.basket_id = consequents.basket_id
            and antecedents.product_id != consequents.product_id
    group by antecedents.basket_type, antecedents.product_id, consequents.product_id

),

counted as (

    select
        pairs.basket_type,
        pairs.antecedent_product_id,
        pairs.consequent_product_id,
        basket_totals.total_baskets,
        antecedents.product_baskets as antecedent_baskets,
        consequents.product_baskets as consequent_baskets,
        pairs.pair_baskets

    from pairs
    inner join basket_totals
        on pairs.basket_type = basket_totals.basket_type
    inner join product_baskets as antecedents
        on
            pairs.basket_type = antecedents.basket_type
            and pairs.antecedent_product_id = antecedents.product_id
    inner join product_baskets as consequents
        on
            pairs.basket_type = consequents.basket_type
            and pairs.consequent_product_id = consequents.product_id

),

final as (

    select
        basket_type || '-' || antecedent_product_id || '-' || consequent_product_id as product_pair_id,
        basket_type,
        antecedent_product_id,
        consequent_product_id,
        total_baskets,
        antecedent_baskets,
        consequent_baskets,
        pair_baskets,
        -- every denominator is at least pair_baskets >= 1
        cast(pair_baskets as double) / total_baskets as support,
        cast(pair_baskets as double) / antecedent_baskets as confidence,
        cast(consequent_baskets as double) / total_baskets as consequent_support,
        cast(pair_baskets as double) * total_baskets
        / (cast(antecedent_baskets as double) * consequent_baskets) as lift,
        pair_baskets >= {{ var('market_basket_min_pair_baskets') }}
        and pair_baskets >= cast({{ var('market_basket_min_support') }} as decimal(18, 9)) * total_baskets
        as is_frequent

    from counted

)

select * from final

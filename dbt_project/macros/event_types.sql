{#
    The 14 clickstream event types, in funnel order first. One list for every model that pivots
    events by type (column `<event_type>_count`); the accepted_values tests in YAML repeat it.
#}
{% macro event_types() %}
    {{ return([
        'page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart', 'view_cart',
        'begin_checkout', 'add_shipping_info', 'add_payment_info', 'purchase', 'add_to_wishlist',
        'write_review', 'login', 'signup',
    ]) }}
{% endmacro %}

{#- The order rules of raw_sources.md "orders", written once: the attribution models and the
    reconciliation tests use them on staged orders (`alias` is the table alias). -#}

{#- Cancelled and pending orders are not conversions. -#}
{% macro order_is_conversion(alias) -%}
    ({{ alias }}.status not in ('cancelled', 'pending'))
{%- endmacro %}

{#- Marketing revenue: merchandise after discounts and refunds (shipping and tax excluded). -#}
{% macro order_revenue(alias) -%}
    ({{ alias }}.subtotal - {{ alias }}.discount - {{ alias }}.refunded_amount)
{%- endmacro %}

{#- Profit: revenue less the cost of goods (unknown COGS counts as 0). -#}
{% macro order_profit(alias) -%}
    ({{ alias }}.subtotal - {{ alias }}.discount - {{ alias }}.refunded_amount - coalesce({{ alias }}.cogs, 0))
{%- endmacro %}

{#- The person a session or an order belongs to (marts.md "Attribution"): its customer, else
    the customer its browser was linked to (customer_identities), else the browser alone, else
    `fallback` (the session or order by itself: no journey to share). -#}
{% macro person_key(customer_id, linked_customer_id, visitor_id, fallback) -%}
    coalesce({{ customer_id }}, {{ linked_customer_id }}, 'visitor:' || {{ visitor_id }}, {{ fallback }})
{%- endmacro %}

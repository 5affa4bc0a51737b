-- Nothing is lost between staging and the attribution mart: same converting orders, both ways.
(
    select order_id, 'missing from fct_order_attribution' as problem
    from {{ ref('stg_shop__orders') }} where is_conversion
    except
    select order_id, 'missing from fct_order_attribution' from {{ ref('fct_order_attribution') }}
)
union all
(
    select order_id, 'not a converting order' from {{ ref('fct_order_attribution') }}
    except
    select order_id, 'not a converting order' from {{ ref('stg_shop__orders') }} where is_conversion
)

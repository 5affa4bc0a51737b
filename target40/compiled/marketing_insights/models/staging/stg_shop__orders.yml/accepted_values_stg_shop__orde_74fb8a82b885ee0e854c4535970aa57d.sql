
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_shop__orders"
    group by status

)

select *
from all_values
where value_field not in (
    'paid','fulfilled','refunded','partially_refunded','cancelled','pending'
)



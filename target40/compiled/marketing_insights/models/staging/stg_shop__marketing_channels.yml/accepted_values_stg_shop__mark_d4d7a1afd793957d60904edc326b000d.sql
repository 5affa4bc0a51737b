
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_shop__marketing_channels"
    group by status

)

select *
from all_values
where value_field not in (
    'active','paused','archived'
)



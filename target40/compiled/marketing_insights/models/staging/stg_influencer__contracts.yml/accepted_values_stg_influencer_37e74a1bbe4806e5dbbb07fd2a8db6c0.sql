
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_influencer__contracts"
    group by status

)

select *
from all_values
where value_field not in (
    'pending','signed','completed','cancelled'
)



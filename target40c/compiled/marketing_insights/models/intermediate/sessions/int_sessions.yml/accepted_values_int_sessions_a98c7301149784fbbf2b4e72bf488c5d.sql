
    
    

with all_values as (

    select
        channel as value_field,
        count(*) as n_records

    from "gen40"."intermediate"."int_sessions"
    group by channel

)

select *
from all_values
where value_field not in (
    'seo','influencer','social','ads','email','referral','direct'
)



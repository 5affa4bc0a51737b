
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

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



  
  
      
    ) dbt_internal_test
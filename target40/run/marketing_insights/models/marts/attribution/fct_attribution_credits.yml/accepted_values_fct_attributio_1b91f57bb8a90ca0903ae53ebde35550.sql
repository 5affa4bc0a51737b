
    
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
        model as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_attribution_credits"
    group by model

)

select *
from all_values
where value_field not in (
    'first_touch','last_touch','linear','position_based','time_decay'
)



  
  
      
    ) dbt_internal_test
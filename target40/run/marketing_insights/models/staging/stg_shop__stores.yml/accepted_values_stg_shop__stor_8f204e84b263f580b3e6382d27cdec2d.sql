
    
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
        status as value_field,
        count(*) as n_records

    from "gen40"."staging"."stg_shop__stores"
    group by status

)

select *
from all_values
where value_field not in (
    'active','paused','archived'
)



  
  
      
    ) dbt_internal_test

    
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
        direction as value_field,
        count(*) as n_records

    from "gen40"."seeds"."benchmark_metrics"
    group by direction

)

select *
from all_values
where value_field not in (
    'higher_is_better','lower_is_better'
)



  
  
      
    ) dbt_internal_test
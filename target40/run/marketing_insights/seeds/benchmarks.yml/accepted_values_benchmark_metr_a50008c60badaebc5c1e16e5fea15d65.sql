
    
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
        unit as value_field,
        count(*) as n_records

    from "gen40"."seeds"."benchmark_metrics"
    group by unit

)

select *
from all_values
where value_field not in (
    'percent','ratio','currency'
)



  
  
      
    ) dbt_internal_test

    
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
        period as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_insight_signals"
    group by period

)

select *
from all_values
where value_field not in (
    'last_7_days','last_28_days','current_month'
)



  
  
      
    ) dbt_internal_test
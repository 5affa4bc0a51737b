
    
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
        signal_type as value_field,
        count(*) as n_records

    from "gen40"."marts"."fct_insight_signals"
    group by signal_type

)

select *
from all_values
where value_field not in (
    'revenue_decline','revenue_growth','roas_below_benchmark','cpa_above_benchmark','budget_underutilized','budget_overpacing','marginal_efficiency_decline','outsized_source_revenue','sessions_drop'
)



  
  
      
    ) dbt_internal_test
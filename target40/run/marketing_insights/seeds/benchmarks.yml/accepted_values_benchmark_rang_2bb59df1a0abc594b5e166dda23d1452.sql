
    
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
        metric as value_field,
        count(*) as n_records

    from "gen40"."seeds"."benchmark_ranges"
    group by metric

)

select *
from all_values
where value_field not in (
    'conversion_rate','bounce_rate','engagement_rate','cpc','cpa','roas','roi'
)



  
  
      
    ) dbt_internal_test

    
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
        reason as value_field,
        count(*) as n_records

    from "gen40"."marts"."data_quality_issues"
    group by reason

)

select *
from all_values
where value_field not in (
    'null_key','duplicate','unknown_enum','negative_value','out_of_range','future_timestamp','missing_value','unknown_reference'
)



  
  
      
    ) dbt_internal_test
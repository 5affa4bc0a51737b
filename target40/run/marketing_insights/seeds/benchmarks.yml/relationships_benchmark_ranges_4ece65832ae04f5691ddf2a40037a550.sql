
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select source_id as from_field
    from "gen40"."seeds"."benchmark_ranges"
    where source_id is not null
),

parent as (
    select source_id as to_field
    from "gen40"."seeds"."benchmark_sources"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test
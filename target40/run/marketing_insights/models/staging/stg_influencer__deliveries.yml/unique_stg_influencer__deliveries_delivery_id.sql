
    
    set work_mem = '256MB';
    set maintenance_work_mem = '512MB';
    set jit = off;
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    delivery_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_influencer__deliveries"
where delivery_id is not null
group by delivery_id
having count(*) > 1



  
  
      
    ) dbt_internal_test
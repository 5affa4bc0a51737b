
    
    

select
    delivery_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_influencer__deliveries"
where delivery_id is not null
group by delivery_id
having count(*) > 1




    
    

select
    spend_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_finance__marketing_spend"
where spend_id is not null
group by spend_id
having count(*) > 1



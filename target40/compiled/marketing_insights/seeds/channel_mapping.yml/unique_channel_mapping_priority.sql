
    
    

select
    priority as unique_field,
    count(*) as n_records

from "gen40"."seeds"."channel_mapping"
where priority is not null
group by priority
having count(*) > 1




    
    

select
    channel_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_shop__marketing_channels"
where channel_id is not null
group by channel_id
having count(*) > 1



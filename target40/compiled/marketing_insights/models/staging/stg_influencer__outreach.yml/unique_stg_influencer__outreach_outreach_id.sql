
    
    

select
    outreach_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_influencer__outreach"
where outreach_id is not null
group by outreach_id
having count(*) > 1



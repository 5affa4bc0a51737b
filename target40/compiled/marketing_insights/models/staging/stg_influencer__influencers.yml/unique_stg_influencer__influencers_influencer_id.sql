
    
    

select
    influencer_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_influencer__influencers"
where influencer_id is not null
group by influencer_id
having count(*) > 1




    
    



select influencer_id
from "gen40"."staging"."stg_influencer__influencers"
where influencer_id is null



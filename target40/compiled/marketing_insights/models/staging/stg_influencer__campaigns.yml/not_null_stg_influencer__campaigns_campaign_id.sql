
    
    



select campaign_id
from "gen40"."staging"."stg_influencer__campaigns"
where campaign_id is null



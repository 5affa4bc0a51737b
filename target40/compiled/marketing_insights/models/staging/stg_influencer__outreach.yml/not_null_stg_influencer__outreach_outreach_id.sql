
    
    



select outreach_id
from "gen40"."staging"."stg_influencer__outreach"
where outreach_id is null



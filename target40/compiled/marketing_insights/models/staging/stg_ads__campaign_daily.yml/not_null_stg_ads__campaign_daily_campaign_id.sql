
    
    



select campaign_id
from "gen40"."staging"."stg_ads__campaign_daily"
where campaign_id is null



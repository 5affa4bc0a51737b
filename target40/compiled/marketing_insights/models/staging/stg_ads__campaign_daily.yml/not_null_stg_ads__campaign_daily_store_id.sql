
    
    



select store_id
from "gen40"."staging"."stg_ads__campaign_daily"
where store_id is null



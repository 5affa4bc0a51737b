
    
    



select platform
from "gen40"."staging"."stg_ads__campaign_daily"
where platform is null




    
    



select stat_date
from "gen40"."staging"."stg_ads__campaign_daily"
where stat_date is null




    
    



select reason
from "gen40"."staging"."quarantine_ads__campaign_daily"
where reason is null



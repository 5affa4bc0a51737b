
    
    



select reason
from "gen40"."staging"."quarantine_seo__article_daily_stats"
where reason is null



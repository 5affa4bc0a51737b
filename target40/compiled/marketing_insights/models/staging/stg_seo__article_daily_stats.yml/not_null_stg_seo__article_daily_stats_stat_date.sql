
    
    



select stat_date
from "gen40"."staging"."stg_seo__article_daily_stats"
where stat_date is null




    
    



select article_id
from "gen40"."staging"."stg_seo__article_daily_stats"
where article_id is null



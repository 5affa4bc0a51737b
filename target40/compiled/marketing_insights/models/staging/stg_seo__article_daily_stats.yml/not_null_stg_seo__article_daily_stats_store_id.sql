
    
    



select store_id
from "gen40"."staging"."stg_seo__article_daily_stats"
where store_id is null



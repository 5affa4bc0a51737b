
    
    



select stat_date
from "gen40"."staging"."stg_social__posts_daily"
where stat_date is null



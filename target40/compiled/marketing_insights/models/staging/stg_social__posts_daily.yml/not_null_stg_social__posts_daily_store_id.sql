
    
    



select store_id
from "gen40"."staging"."stg_social__posts_daily"
where store_id is null



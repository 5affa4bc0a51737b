
    
    



select post_id
from "gen40"."staging"."stg_social__posts_daily"
where post_id is null



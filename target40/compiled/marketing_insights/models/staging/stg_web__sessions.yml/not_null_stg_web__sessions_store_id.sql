
    
    



select store_id
from "gen40"."staging"."stg_web__sessions"
where store_id is null



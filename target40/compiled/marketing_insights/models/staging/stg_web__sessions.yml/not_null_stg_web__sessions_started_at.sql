
    
    



select started_at
from "gen40"."staging"."stg_web__sessions"
where started_at is null



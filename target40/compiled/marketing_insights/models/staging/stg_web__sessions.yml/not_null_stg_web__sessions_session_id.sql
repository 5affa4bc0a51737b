
    
    



select session_id
from "gen40"."staging"."stg_web__sessions"
where session_id is null



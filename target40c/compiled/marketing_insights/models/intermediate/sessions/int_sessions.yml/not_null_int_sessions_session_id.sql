
    
    



select session_id
from "gen40"."intermediate"."int_sessions"
where session_id is null




    
    



select session_date
from "gen40"."intermediate"."int_sessions"
where session_date is null




    
    



select channel
from "gen40"."intermediate"."int_sessions"
where channel is null



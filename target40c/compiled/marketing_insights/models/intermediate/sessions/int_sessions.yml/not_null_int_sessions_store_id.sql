
    
    



select store_id
from "gen40"."intermediate"."int_sessions"
where store_id is null



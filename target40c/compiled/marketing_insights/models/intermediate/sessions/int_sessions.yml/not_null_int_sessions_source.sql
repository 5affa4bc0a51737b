
    
    



select source
from "gen40"."intermediate"."int_sessions"
where source is null



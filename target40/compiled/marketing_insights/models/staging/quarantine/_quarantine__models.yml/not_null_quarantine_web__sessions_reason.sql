
    
    



select reason
from "gen40"."staging"."quarantine_web__sessions"
where reason is null



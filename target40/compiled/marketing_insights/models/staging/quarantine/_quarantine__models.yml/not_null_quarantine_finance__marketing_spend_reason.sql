
    
    



select reason
from "gen40"."staging"."quarantine_finance__marketing_spend"
where reason is null



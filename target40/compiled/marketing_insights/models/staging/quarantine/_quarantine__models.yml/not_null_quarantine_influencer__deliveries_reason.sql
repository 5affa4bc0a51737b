
    
    



select reason
from "gen40"."staging"."quarantine_influencer__deliveries"
where reason is null



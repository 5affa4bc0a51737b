
    
    



select reason
from "gen40"."staging"."quarantine_influencer__contracts"
where reason is null



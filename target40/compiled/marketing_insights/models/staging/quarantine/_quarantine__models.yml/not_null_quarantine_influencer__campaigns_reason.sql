
    
    



select reason
from "gen40"."staging"."quarantine_influencer__campaigns"
where reason is null



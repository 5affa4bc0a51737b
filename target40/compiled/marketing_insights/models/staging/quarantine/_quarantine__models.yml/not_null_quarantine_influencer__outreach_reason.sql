
    
    



select reason
from "gen40"."staging"."quarantine_influencer__outreach"
where reason is null



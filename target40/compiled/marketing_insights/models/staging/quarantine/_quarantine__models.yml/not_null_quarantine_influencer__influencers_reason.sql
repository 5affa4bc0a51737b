
    
    



select reason
from "gen40"."staging"."quarantine_influencer__influencers"
where reason is null




    
    



select delivery_id
from "gen40"."intermediate"."int_influencer__deliveries"
where delivery_id is null



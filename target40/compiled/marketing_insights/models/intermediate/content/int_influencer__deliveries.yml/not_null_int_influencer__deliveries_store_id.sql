
    
    



select store_id
from "gen40"."intermediate"."int_influencer__deliveries"
where store_id is null



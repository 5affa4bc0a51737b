
    
    



select order_id
from "gen40"."intermediate"."int_attribution__touchpoints"
where order_id is null



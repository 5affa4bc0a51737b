
    
    



select order_id
from "gen40"."intermediate"."int_attribution__conversions"
where order_id is null




    
    



select store_id
from "gen40"."staging"."stg_shop__marketing_channels"
where store_id is null




    
    



select timezone
from "gen40"."staging"."stg_shop__stores"
where timezone is null




    
    



select industry
from "gen40"."staging"."stg_shop__stores"
where industry is null



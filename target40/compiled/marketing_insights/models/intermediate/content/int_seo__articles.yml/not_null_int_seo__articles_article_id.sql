
    
    



select article_id
from "gen40"."intermediate"."int_seo__articles"
where article_id is null




    
    



select store_id
from "gen40"."staging"."stg_seo__blog_articles"
where store_id is null



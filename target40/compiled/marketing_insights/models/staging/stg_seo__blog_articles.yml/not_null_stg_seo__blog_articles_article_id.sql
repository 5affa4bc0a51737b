
    
    



select article_id
from "gen40"."staging"."stg_seo__blog_articles"
where article_id is null




    
    



select title
from "gen40"."seeds"."benchmark_sources"
where title is null



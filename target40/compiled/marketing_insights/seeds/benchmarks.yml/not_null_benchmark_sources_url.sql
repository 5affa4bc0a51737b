
    
    



select url
from "gen40"."seeds"."benchmark_sources"
where url is null




    
    



select notes
from "gen40"."seeds"."benchmark_sources"
where notes is null



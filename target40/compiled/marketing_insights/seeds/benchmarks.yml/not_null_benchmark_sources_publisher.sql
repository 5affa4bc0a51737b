
    
    



select publisher
from "gen40"."seeds"."benchmark_sources"
where publisher is null




    
    



select year
from "gen40"."seeds"."benchmark_sources"
where year is null



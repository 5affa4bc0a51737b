
    
    



select average
from "gen40"."seeds"."benchmark_ranges"
where average is null



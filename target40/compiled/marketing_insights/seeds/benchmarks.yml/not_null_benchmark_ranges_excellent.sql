
    
    



select excellent
from "gen40"."seeds"."benchmark_ranges"
where excellent is null



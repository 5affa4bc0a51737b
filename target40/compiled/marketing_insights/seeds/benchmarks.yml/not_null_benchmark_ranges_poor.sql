
    
    



select poor
from "gen40"."seeds"."benchmark_ranges"
where poor is null



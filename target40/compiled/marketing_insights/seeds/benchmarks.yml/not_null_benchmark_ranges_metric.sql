
    
    



select metric
from "gen40"."seeds"."benchmark_ranges"
where metric is null



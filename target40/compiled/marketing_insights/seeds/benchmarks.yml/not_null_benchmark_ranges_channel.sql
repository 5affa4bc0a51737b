
    
    



select channel
from "gen40"."seeds"."benchmark_ranges"
where channel is null



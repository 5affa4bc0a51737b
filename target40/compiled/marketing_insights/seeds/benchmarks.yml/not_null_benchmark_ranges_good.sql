
    
    



select good
from "gen40"."seeds"."benchmark_ranges"
where good is null



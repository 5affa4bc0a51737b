
    
    



select industry
from "gen40"."seeds"."benchmark_ranges"
where industry is null




select * from "gen40"."marts"."fct_benchmark_comparison" where (value is null) <> (rating = 'insufficient_data')

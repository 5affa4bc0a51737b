
select * from "gen40"."marts"."data_quality_issues" where reason <> 'duplicate'

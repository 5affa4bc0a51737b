
    
    

select
    contract_id as unique_field,
    count(*) as n_records

from "gen40"."staging"."stg_influencer__contracts"
where contract_id is not null
group by contract_id
having count(*) > 1



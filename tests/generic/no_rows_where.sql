{#- Fails (or warns) with one failure per row matching `where`: the failure count is the
    number of offending rows, which is what a warn-level quarantine counter should show. -#}
{% test no_rows_where(model, condition) %}
select * from {{ model }} where {{ condition }}
{% endtest %}

-- Background jobs of the insight service (issue 17): POST /insights/generate answers 202 with a job id
-- and GET /jobs/<id> polls it. In the database, not in a worker's memory, so that a poll landing on
-- another gunicorn worker finds the job. Finished jobs are deleted a day after they finish.
create table if not exists app.jobs (
    job_id      uuid primary key,
    store_id    text not null check (store_id <> ''),
    kind        text not null,
    status      text not null check (status in ('queued', 'running', 'done', 'failed')),
    result      jsonb,
    error       jsonb,
    created_at  timestamptz not null default now(),
    started_at  timestamptz,
    finished_at timestamptz
);

create index if not exists jobs_finished_at on app.jobs (finished_at) where finished_at is not null;

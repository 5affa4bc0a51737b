-- API keys of the insight service: one store per key, only the sha256 of the key is kept.
create table if not exists app.api_keys (
    key_id      text primary key check (key_id ~ '^[0-9a-f]{12}$'),
    store_id    text not null check (store_id <> ''),
    key_hash    text not null check (key_hash ~ '^[0-9a-f]{64}$'),
    name        text,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create index if not exists api_keys_store_id_idx on app.api_keys (store_id);

comment on table app.api_keys is
    'API keys of the insight service (insights keys create/revoke/list). key_hash = sha256 hex of the full key mk_<key_id>_<secret>.';

-- Dashboard sessions ended by sign-out (issue 21). The session cookie is signed and stateless; signing out
-- records its nonce here so that a copy of the old cookie is refused too (checked with the key's row on every
-- cookie request). A row is useless once the session would have expired anyway: sign-outs delete those.
create table if not exists app.revoked_sessions (
    nonce      text primary key,
    key_id     text not null,
    expires_at timestamptz not null,
    revoked_at timestamptz not null default now()
);

create index if not exists revoked_sessions_expires_at on app.revoked_sessions (expires_at);

"""The cheap "is there anything new?" signature a refresh compares with the last success's.

* Raw landing tables: per table ``max(_loaded_at)`` (an index scan: the loader indexes
  ``_loaded_at`` on every raw table) and the cumulative ``n_tup_ins / n_tup_upd / n_tup_del``
  counters of ``pg_stat_user_tables``. The counters catch what the timestamp cannot: rows
  loaded with an older ``_loaded_at``, in-place updates and deletes.
* The dbt project: a hash of every file dbt reads to build (models, macros, seeds, tests,
  snapshots, dbt_project.yml, profiles) so a code change is never taken for "nothing new".
* The dbt arguments of the run (``--vars`` ...) and the target environment (``DBT_TARGET``,
  ``DBT_SCHEMA_PREFIX``).

The counters are never reset by normal work; a ``pg_stat_reset()``, a crash restart or a
rolled-back insert changes them, which costs one unneeded build, never a missed one. Counters
of a committed write reach the view when the writing session flushes its statistics
(at commit after 1 s, on disconnect, at most ~10 s later for a session left idle).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from insight_service.paths import project_dir

# dbt_project.yml keys of the folders dbt builds from (analyses do not change the data)
PROJECT_PATH_KEYS = ("model-paths", "seed-paths", "macro-paths", "test-paths", "snapshot-paths")
PROJECT_FILES = ("dbt_project.yml", "profiles/profiles.yml", "packages.yml", "dependencies.yml", "selectors.yml")
TARGET_ENV = ("DBT_TARGET", "DBT_SCHEMA_PREFIX")
# dbt args that change how, not what, is built: they never make a signature differ
NEUTRAL_ARGS = ("--full-refresh",)


@dataclasses.dataclass(frozen=True)
class Signature:
    raw: dict[str, dict[str, Any]]     # table -> {max_loaded_at, ins, upd, del}
    project: str                       # sha256 of the dbt project files
    args: tuple[str, ...]              # dbt args of the run (neutral ones removed)
    env: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "project": self.project, "args": list(self.args), "env": self.env}

    @property
    def digest(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Signature | None:
        if not data:
            return None
        return cls(raw=data.get("raw") or {}, project=data.get("project") or "",
                   args=tuple(data.get("args") or ()), env=data.get("env") or {})

    def differences(self, previous: Signature | None) -> dict[str, Any]:
        """What changed since ``previous`` (empty dict: nothing)."""
        if previous is None:
            return {"first_run": True}
        out: dict[str, Any] = {}
        tables = sorted(t for t in set(self.raw) | set(previous.raw) if self.raw.get(t) != previous.raw.get(t))
        if tables:
            out["raw_tables"] = tables
        if self.project != previous.project:
            out["project_changed"] = True
        if self.args != previous.args:
            out["args_changed"] = {"before": list(previous.args), "now": list(self.args)}
        if self.env != previous.env:
            out["env_changed"] = sorted(k for k in set(self.env) | set(previous.env)
                                        if self.env.get(k) != previous.env.get(k))
        return out


def raw_schema_name() -> str:
    """The raw schema: dbt var ``raw_schema`` of dbt_project.yml (default ``raw``)."""
    try:
        import yaml

        data = yaml.safe_load((project_dir() / "dbt_project.yml").read_text(encoding="utf-8")) or {}
        return str((data.get("vars") or {}).get("raw_schema") or "raw")
    except (OSError, ValueError, ImportError):
        return "raw"


def raw_signature(conn: psycopg.Connection, schema: str) -> dict[str, dict[str, Any]]:
    """Per raw table: max(_loaded_at) and the cumulative write counters (one round trip each)."""
    with conn.cursor() as cur:
        tables = cur.execute(
            "select t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_del, "
            "  exists (select 1 from information_schema.columns c where c.table_schema = t.schemaname "
            "          and c.table_name = t.relname and c.column_name = '_loaded_at') as has_loaded_at "
            "from pg_stat_user_tables t where t.schemaname = %s order by t.relname", (schema,)).fetchall()
        loaded = [name for name, *_rest, has in tables if has]
        maxima: dict[str, Any] = {}
        if loaded:
            query = sql.SQL(" union all ").join(
                sql.SQL("select {name}::text, max(_loaded_at) from {table}").format(
                    name=sql.Literal(name), table=sql.Identifier(schema, name))
                for name in loaded)
            maxima = {name: value for name, value in cur.execute(query).fetchall()}
    # UTC text: the same instant must compare equal whatever the session's TimeZone
    return {name: {"max_loaded_at": maxima[name].astimezone(dt.UTC).isoformat() if maxima.get(name) else None,
                   "ins": int(ins), "upd": int(upd), "del": int(dels)}
            for name, ins, upd, dels, _has in tables}


def _project_paths(root: Path) -> list[Path]:
    import yaml

    try:
        data = yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    except OSError:
        data = {}
    folders: list[str] = []
    for key in PROJECT_PATH_KEYS:
        value = data.get(key) or []
        folders.extend([value] if isinstance(value, str) else value)
    files = [root / name for name in PROJECT_FILES if (root / name).is_file()]
    for folder in folders:
        base = root / folder
        if base.is_dir():
            files.extend(p for p in base.rglob("*") if p.is_file() and not any(
                part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts))
    return sorted(set(files))


def project_fingerprint(root: Path | None = None) -> str:
    """sha256 over the relative path and bytes of every file dbt builds from."""
    root = root or project_dir()
    digest = hashlib.sha256()
    for path in _project_paths(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def current_signature(conn: psycopg.Connection, dbt_args: list[str], schema: str | None = None) -> Signature:
    return Signature(
        raw=raw_signature(conn, schema or raw_schema_name()),
        project=project_fingerprint(),
        args=tuple(a for a in dbt_args if a not in NEUTRAL_ARGS),
        env={k: os.environ[k] for k in TARGET_ENV if os.environ.get(k)},
    )

"""Whether a refresh can leave the seeds out of its build.

A seed changes only with the project's files. When nothing but raw data changed since the last
successful refresh, reloading the seven seeds and re-running the 51 tests that read seeds alone
costs 2–3 s of every refresh's critical path and checks nothing new. The seeds are left out
(``--exclude resource_type:seed --indirect-selection cautious``: cautious keeps every test that
also reads a model, such as ``accepted_seed_values``; only the seed-only tests go) when all of:

* the signature shows raw tables alone changed (not the project, the dbt arguments or the
  target environment; not a first run), and the run is not forced or a ``--full-refresh``;
* the caller selects no nodes (a selection is taken as written);
* the manifest of the previous refresh lists the seeds, every seed's table exists, and every
  seed's last load (the seeds' post-hook, ``record_seed_load``) was no later than the end of the
  last successful refresh that built: a seed loaded since by anyone (``dbt seed``, ``insights
  build``, a failed refresh) may hold other contents, so the refresh loads the seeds again.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from insight_service.pipeline.build import manifest_nodes

WATERMARK_TABLE = "incremental_watermarks"


@dataclasses.dataclass(frozen=True)
class SeedDecision:
    skip: bool
    reason: str

    def details(self) -> dict[str, Any]:
        return {"seeds": "skipped" if self.skip else "loaded", "seeds_reason": self.reason}


def _watermark_schema(nodes: list[dict[str, Any]]) -> str | None:
    """The schema of incremental_watermarks: that of the staging models (macros/staging.sql)."""
    for node in nodes:
        if node["resource_type"] == "model" and (node.get("config") or {}).get("schema") == "staging":
            return str(node["schema"])
    return None


def decide(conn: psycopg.Connection, target: Path, previous: dict[str, Any] | None,
           differences: dict[str, Any], *, forced: bool, selected: bool) -> SeedDecision:
    if previous is None or "first_run" in differences:
        return SeedDecision(False, "first refresh")
    if forced:
        return SeedDecision(False, "forced or --full-refresh")
    if selected:
        return SeedDecision(False, "the caller selects nodes")
    other = sorted(set(differences) - {"raw_tables"})
    if other:
        return SeedDecision(False, f"not only raw data changed: {', '.join(other)}")
    nodes = manifest_nodes(target, "seed", "model")
    seeds = [node for node in nodes if node["resource_type"] == "seed"]
    schema = _watermark_schema(nodes)
    if not seeds or schema is None:
        return SeedDecision(False, "no manifest of a previous refresh")
    names = [str(node["name"]) for node in seeds]
    relations = [sql.Identifier(node["schema"], node.get("alias") or node["name"]).as_string(conn) for node in seeds]
    watermarks = sql.Identifier(schema, WATERMARK_TABLE)
    with conn.transaction():
        if conn.execute("select to_regclass(%s) is null", (watermarks.as_string(conn),)).fetchone()[0]:
            return SeedDecision(False, "no seed load recorded")
        rows = conn.execute(
            sql.SQL("select seed.name, to_regclass(seed.relation) is not null, loads.last_run_at "
                    "from unnest(%s::text[], %s::text[]) as seed(name, relation) "
                    "left join {} as loads on loads.model = seed.name order by seed.name")
            .format(watermarks), (names, relations)).fetchall()
    missing = [name for name, exists, _ in rows if not exists]
    if missing:
        return SeedDecision(False, f"seed table missing: {', '.join(missing)}")
    unrecorded = [name for name, _, loaded in rows if loaded is None]
    if unrecorded:
        return SeedDecision(False, f"no load recorded for seed {', '.join(unrecorded)}")
    # the last run that built: a "no new data" success proves nothing about loads before it
    built = conn.execute("select run_id, finished_at from app.pipeline_runs where status = 'success' "
                         "and not no_new_data order by run_id desc limit 1").fetchone()
    if built is None:
        return SeedDecision(False, "no successful build recorded")
    since = [name for name, _, loaded in rows if loaded > built[1]]
    if since:
        return SeedDecision(False, f"seed loaded after run {built[0]}: {', '.join(since)}")
    return SeedDecision(True, f"project unchanged since run {built[0]}")

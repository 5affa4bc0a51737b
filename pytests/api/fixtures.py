"""Load the hand-written marts fixture (fixtures.sql) into a database.

Used by the API tests (conftest.py) and by ``bench/api_benchmark.py --fixture``. To run the
same tests on a dbt-built warehouse later, replace ``load_marts`` with a dbt build into the
TestDatabase: the tests only rely on the marts contract, not on this file's numbers.
"""
from __future__ import annotations

import re
from pathlib import Path

import psycopg

FIXTURE_SQL = Path(__file__).with_name("fixtures.sql")
# marts derived from the fixture's own marts with the real model SQL (one source of logic)
DERIVED_MODELS = {
    "fct_markov_transitions":
        Path(__file__).parents[2] / "models" / "marts" / "attribution" / "fct_markov_transitions.sql",
    "data_quality_summary": Path(__file__).parents[2] / "models" / "marts" / "quality" / "data_quality_summary.sql",
    "fct_store_data_dates": Path(__file__).parents[2] / "models" / "marts" / "core" / "fct_store_data_dates.sql",
}
MACROS = Path(__file__).parents[2] / "macros"


def render_model(path: Path) -> str:
    """The model's full-build SELECT: its Jinja rendered on PostgreSQL's macros with no config, refs
    pointing at schema marts and is_incremental() false (the models rendered here use nothing else)."""
    return _render_macros(tuple(sorted(f.name for f in MACROS.glob("*.sql") if f.name not in _DISPATCHED)),
                          _postgres_batch_test(path.read_text(encoding="utf-8")), "marts",
                          config=lambda **_: "", ref=lambda name: f"marts.{name}", is_incremental=lambda: False)


def _postgres_batch_test(text: str) -> str:
    """incremental_batch() is is_incremental() on PostgreSQL (macros/spark_incremental.sql). Called here,
    where a macro's value is its output text, its False would render as the true string 'False'."""
    return re.sub(r"(?<!macro )\bincremental_batch\(\)", "is_incremental()", text)

STORE_A = "store_a"  # the store the value checks are about
STORE_B = "store_b"  # the other tenant (marker values)
STORE_C = "store_c"  # a key without any rows
STORE_B_MARKERS = ("7777.77", "5555.55", "88888.88", "1111.11", "99999", "55555", "77777", "STORE B SECRET")


def load_marts(conninfo: str) -> None:
    with psycopg.connect(conninfo) as conn:
        conn.execute(FIXTURE_SQL.read_text(encoding="utf-8"))
        create_mart_functions(conn)
        rebuild_derived(conn)
        create_benchmark_functions(conn)
        conn.commit()


def load_migrated_marts(conninfo: str) -> None:
    """The hand-written marts and the service's app schema (forecasts, budget curves, keys...)."""
    from insight_service.warehouse.migrations import migrate

    load_marts(conninfo)
    with psycopg.connect(conninfo) as conn:
        migrate(conn)


# the dispatched macros (macros/cross_db*.sql) that the functions' macros call
_DISPATCHED = ("cross_db.sql", "cross_db_metrics.sql")


def _render_macros(files: tuple[str, ...], call: str, schema: str, **context) -> str:
    """`call` rendered with plain Jinja over the project's macro files, as dbt renders it on PostgreSQL:
    adapter.dispatch picks the postgres__ / default__ macro, return() is the macro's value."""
    import jinja2

    @jinja2.pass_context
    def dispatch(context, macro_name, macro_namespace=None):
        for prefix in ("postgres__", "default__"):
            macro = context.resolve(prefix + macro_name)
            if not isinstance(macro, jinja2.Undefined):
                return macro
        raise NameError(f"no postgres__ or default__ macro for {macro_name!r}")

    source = "".join(_postgres_batch_test((MACROS / name).read_text(encoding="utf-8"))
                     for name in (*_DISPATCHED, *files))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    env.globals["generate_schema_name"] = lambda custom_schema, node: schema
    env.globals["return"] = lambda value: value  # dbt's return(): a macro's value is its output here
    env.globals["adapter"] = type("Adapter", (), {"dispatch": staticmethod(dispatch)})
    env.globals["target"] = {"type": "postgres", "name": "warehouse"}
    return env.from_string(source + call).render(schema=schema, **context)


def benchmark_functions_sql(schema: str = "marts") -> str:
    """The DDL of the warehouse's benchmark functions (benchmark_rating, benchmark_window) exactly as
    dbt creates them: the post-hook macro of fct_benchmark_comparison rendered with plain Jinja."""
    return _render_macros(("benchmarks.sql",), "{{ benchmark_functions_ddl(schema) }}", schema)


def mart_functions_sql(schema: str = "marts") -> str:
    """The DDL of the marts' SQL functions (safe_ratio, freshness_status) exactly as dbt's on-run-start
    creates them: macros/mart_functions.sql rendered with plain Jinja, the macros it calls beside it."""
    return _render_macros(("metrics.sql", "mart_functions.sql"), "{{ create_mart_functions() }}", schema)


def create_mart_functions(conn: psycopg.Connection) -> None:
    conn.execute(mart_functions_sql())


def create_benchmark_functions(conn: psycopg.Connection) -> None:
    conn.execute(benchmark_functions_sql())


def rebuild_derived(conn: psycopg.Connection) -> None:
    """(Re)build the derived marts from the fixture marts, as a dbt build would."""
    for name, model in DERIVED_MODELS.items():
        conn.execute(f"drop table if exists marts.{name}")
        conn.execute(f"create table marts.{name} as {render_model(model)}")

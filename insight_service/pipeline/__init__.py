"""Operations of the warehouse (issue 14): `insights refresh` and `insights schedule`.

One module per job:

* ``lock``       the session advisory lock that makes runs exclusive
* ``cancel``     the stop token set by SIGTERM/SIGINT and forwarded to dbt
* ``runs``       records of every run in ``app.pipeline_runs`` (migration 003)
* ``signature``  the cheap "is anything new?" signature (raw tables + dbt project)
* ``build``      ``dbt build`` as a subprocess: progress, cancellation, run_results.json
* ``changes``    the stores whose marts changed since the last successful refresh
* ``checks``     validation of what a build changed (source freshness + scoped GX suites)
* ``store_insights``  insight generation per store (the only module that touches the web
                 layer's ``Warehouse``, imported lazily)
* ``budget_curves``  the budget optimizer's curves of the changed stores, fitted and stored
                 (``app.budget_curves``, migration 006) for ``GET /budget/optimize``
* ``cache``      explicit invalidation of the API response cache after a build
* ``refresh``    the steps in order, recorded
* ``daily``      which stores are due for their daily insights (pure, store-local clock)
* ``schedule``   the long-running loop
"""
from __future__ import annotations

# exit codes of `insights refresh` (documented in the README)
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BUSY = 75          # EX_TEMPFAIL: another refresh holds the lock; try again later
EXIT_INTERRUPTED = 130  # SIGINT / SIGTERM during a run (the run is recorded failed)

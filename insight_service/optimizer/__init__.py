"""Budget optimizer: response-curve fitting, exact constrained allocation, bootstrap uncertainty.

Pure numpy/scipy. Modules, one job each:

* response.py  - ResponseCurve: the Hill-on-adstock response function (also the generator's truth)
* history.py   - ChannelHistory (input)
* curves.py    - fit_channel() -> FittedCurve (Hill on adstock, or constant-ROAS fallback)
* allocate.py  - Bounds, InfeasibleBudgetError, allocate() (KKT bisection on lambda + S-curve handling)
* refit.py     - batched robust refit used by the bootstrap
* bootstrap.py - moving-block bootstrap of the plan's lift
* plan.py      - Plan / ChannelPlan / Scenario and their JSON form
* planner.py   - optimize() = fit_channels() (the fitting) + plan_fitted() (the allocation)
"""
from .allocate import FALLBACK_WINDOW, Allocation, Bounds, InfeasibleBudgetError, allocate
from .curves import FittedCurve, fit_channel
from .history import ChannelHistory
from .plan import ChannelPlan, Plan, Scenario
from .planner import TARGET_BUDGET_CAP, FittedChannels, TargetUnreachableError, fit_channels, optimize, plan_fitted

__all__ = [
    "Allocation",
    "Bounds",
    "ChannelHistory",
    "ChannelPlan",
    "FALLBACK_WINDOW",
    "FittedChannels",
    "FittedCurve",
    "InfeasibleBudgetError",
    "Plan",
    "Scenario",
    "TARGET_BUDGET_CAP",
    "TargetUnreachableError",
    "allocate",
    "fit_channel",
    "fit_channels",
    "optimize",
    "plan_fitted",
]

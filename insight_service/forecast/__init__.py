"""Forecasts of each store's daily revenue, cost, conversions and sessions per channel (and overall).

models.py fits one series (candidate models chosen on rolling calibration windows, conformal
intervals from those windows' errors); fit.py reads a store's series from the marts and fits them
all; store.py keeps the result in ``app.forecasts`` (migration 005). Fitting happens in the
refresh (pipeline/forecasts.py) or ``insights forecast``, never in a request: the API only reads.
"""

METRICS = ("revenue", "cost", "conversions", "sessions")
OVERALL = "overall"

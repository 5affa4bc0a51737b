"""Engines scored against the generator's truth: what the sample knows and the warehouse does not.

* budget.py       regret of a budget split on the true response curves (bench/optimizer_truth.py)
* attribution.py  the attribution models against what really drove each order
                  (bench/attribution_truth.py)

They live with the generator because they read its truth; the engines they score
(insight_service.optimizer, the attribution models) never import the generator.
"""

"""`modules` of dbt's context (the Python modules dbt exposes to Jinja) for sqlfluff's jinja templater."""

import datetime  # noqa: F401
import re  # noqa: F401

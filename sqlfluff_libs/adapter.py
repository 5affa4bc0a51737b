"""`adapter` of dbt's context for sqlfluff's jinja templater: `adapter.dispatch` as on PostgreSQL
(the `postgres__` macro if the project has one, else `default__`), the SQL the warehouse runs."""
from jinja2 import Undefined, pass_context


@pass_context
def dispatch(context, macro_name, macro_namespace=None):
    for prefix in ("postgres__", "default__"):
        macro = context.resolve(prefix + macro_name)
        if not isinstance(macro, Undefined):
            return macro
    raise NameError(f"adapter.dispatch: no postgres__ or default__ macro for {macro_name!r}")

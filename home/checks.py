"""System checks about the running configuration.

Tagged ``database``: Django runs them only when asked to look at a database, which ``migrate`` does
on every deployment, and ``check --database default`` on demand."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def check_site_address(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    from home.links import site_address_problem

    try:
        problem = site_address_problem()
    except DatabaseError:
        return []  # tables not created yet: the first migrate
    return [Warning(problem, id="home.W001")] if problem else []

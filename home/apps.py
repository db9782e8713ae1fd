from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site et quartiers")

    def ready(self):
        from django.core import checks

        from home.page_cache import connect_invalidation

        connect_invalidation()
        checks.register(check_second_factor, checks.Tags.security, deploy=True)


def check_second_factor(app_configs, **kwargs):
    """``check --deploy``: production must not run with the second factor switched off."""
    from django.conf import settings
    from django.core.checks import Warning

    if getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return []
    return [
        Warning(
            "TWO_FACTOR_REQUIRED is off: coordinators and administrators log in with a password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (or set it to true) in production.",
            id="home.W001",
        )
    ]

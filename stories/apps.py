from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Portraits et entreprises")
    # Given to the « Coordinateurs » group by ``home.roles`` (home never imports stories).
    coordinator_permissions = [
        f"stories.{action}_{model}"
        for model in ("dispositif", "sector", "startingpoint", "portraitconsent")
        for action in ("add", "change", "delete", "view")
    ]

    def ready(self):
        from stories import consent_guard, signals  # noqa: F401 — signals connects the consent receivers

        consent_guard.connect()

    def ensure_structure(self, home):
        """Called by ``home.site_structure`` (home never imports stories)."""
        from stories.site_structure import ensure_stories_structure

        ensure_stories_structure(home)

    def load_demo(self, stdout=None):
        """Called by ``home.demo.load_demo_content`` once the neighbourhoods exist; returns the count created."""
        from stories.demo import load_stories_demo

        return load_stories_demo(stdout=stdout)

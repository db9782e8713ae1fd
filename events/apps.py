from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Forums et événements")
    # Given to the « Coordinateurs » group by ``home.roles``; registrations follow page permissions.
    coordinator_permissions = [f"events.{action}_eventproposal" for action in ("change", "delete", "view")]

    def ready(self):
        # Connects the « your event is online » e-mail to Wagtail's page_published signal.
        from events import (
            proposal_outcome,  # noqa: F401
            signals,  # noqa: F401 — records when a proposal's draft is deleted
        )

    def ensure_structure(self, home):
        """Called by ``home.site_structure`` (home never imports events)."""
        from events.models import EventIndexPage
        from home.site_structure import ensure_child

        ensure_child(
            home,
            EventIndexPage,
            "evenements",
            title="Événements",
            show_in_menus=True,
            intro="Forums emploi, job datings, visites d'entreprise, ateliers CV : les prochains rendez-vous près de "
            "chez toi, pour rencontrer des employeurs et trouver ta voie.",
            search_description="Forums emploi, job datings et visites d'entreprise pour les jeunes des quartiers.",
        )

    def next_public_change(self, now):
        """Called by ``home.page_cache``: no cached page outlives an event's start, end or deadline."""
        from events.models import EventPage

        return EventPage.objects.live().next_change(now)

    def load_demo(self, stdout=None):
        """Called by ``home.demo.load_demo_content`` after stories' demo, whose companies the events list."""
        from events.demo import load_events_demo

        return load_events_demo(stdout=stdout)

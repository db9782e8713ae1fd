from django.utils import timezone
from wagtail.admin.panels import Panel

from stories.models.consent import get_consent, go_live_problems


class ConsentStatusPanel(Panel):
    """Tells editors, on the portrait itself, whether it may be published and what is missing —
    without showing the ledger's personal data (names, documents), which only coordinators see."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/admin/consent-status-panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            consent = get_consent(page)
            context.update(
                problems=go_live_problems(page) if page.age is not None else [],
                consent=consent,
                has_consent=consent is not None,
                today=timezone.localdate(),
            )
            return context

from django.utils import timezone
from wagtail.admin.panels import Panel

from stories.models.consent import get_consent, go_live_problems


class ConsentStatusPanel(Panel):
    """Tells editors, on the portrait itself, whether it may be published and what is missing —
    without showing the ledger's personal data (names, documents), which only coordinators see.

    It links to where the gap is filled: the portrait's ledger entry for coordinators, the hand-over of
    the signed form for the neighbourhood's editors (``stories.consent_handover``)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/admin/consent-status-panel.html"

        def get_context_data(self, parent_context=None):
            from stories.consent_handover import consent_link, missing_items

            context = super().get_context_data(parent_context)
            page = self.instance
            consent = get_consent(page)
            saved = page.pk is not None
            context.update(
                problems=go_live_problems(page) if page.age is not None else [],
                consent=consent,
                has_consent=consent is not None,
                today=timezone.localdate(),
                missing=missing_items(page) if saved and consent is None else [],
                # Dates only: the hand-over's document and note stay with the coordinators.
                pending_handovers=list(
                    page.consent_handovers.filter(filed_at__isnull=True).values("handed_over_at")[:1]
                )
                if saved
                else [],
                consent_link=consent_link(self.request.user, page) if saved and self.request else None,
            )
            return context


class HandoversPanel(Panel):
    """On a ledger record (coordinators only): the signed forms editors handed over for its portrait,
    with the document, who brought it and their note."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/admin/consent-handovers-panel.html"

        def is_shown(self):
            return bool(getattr(self.instance, "portrait_id", None)) and self.handovers

        @property
        def handovers(self):
            if not hasattr(self, "_handovers"):
                from stories.models import ConsentHandover

                self._handovers = list(
                    ConsentHandover.objects.filter(portrait_id=self.instance.portrait_id).select_related(
                        "document", "handed_over_by"
                    )[:10]
                )
            return self._handovers

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(handovers=self.handovers, document_id=self.instance.document_id)
            return context

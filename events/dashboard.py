"""Editors' dashboard panel (admin home): what concerns the user's neighbourhoods at a glance.

A partner editor sees the hubs of their editorial spaces; coordinators and superusers see every
hub and the territory-wide events. Anyone else (a company account) gets no panel. Every section
is one query whatever the number of pages, consents or events, so the home stays fast."""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from events.models import EventPage, RegistrationStatus
from home.models import EditorialSpace, NeighbourhoodPage
from home.roles import is_coordinator
from stories.models import PortraitConsent

CONSENT_WARNING_DAYS = 30
REVIEW_LIMIT = 20
CONSENT_LIMIT = 20
EVENT_LIMIT = 10


@dataclass(frozen=True)
class Scope:
    everything: bool
    hubs: tuple  # (path, title) of the hubs shown; for coordinators, every hub (to label rows)

    def path_filter(self, prefix=""):
        """Q restricting ``{prefix}path`` to the hubs' subtrees; None when nothing is restricted."""
        if self.everything:
            return None
        query = Q()
        for path, _title in self.hubs:
            query |= Q(**{f"{prefix}path__startswith": path})
        return query

    def hub_title(self, path, elsewhere="—"):
        for hub_path, title in self.hubs:
            if path.startswith(hub_path):
                return title
        return elsewhere

    @property
    def heading(self):
        if self.everything:
            return "Tous les quartiers"
        titles = [title for _path, title in self.hubs]
        label = "Votre quartier" if len(titles) == 1 else "Vos quartiers"
        return f"{label} : {', '.join(titles)}"


def editorial_scope(user):
    """The hubs ``user`` works on, or None when the dashboard has nothing for them."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_coordinator(user):
        hubs = NeighbourhoodPage.objects.order_by("title").values_list("path", "title")
        return Scope(everything=True, hubs=tuple(hubs))
    hubs = (
        EditorialSpace.objects.filter(group__user=user)
        .order_by("neighbourhood__title")
        .values_list("neighbourhood__path", "neighbourhood__title")
        .distinct()
    )
    hubs = tuple(hubs)
    return Scope(everything=False, hubs=hubs) if hubs else None


def restrict(queryset, condition):
    return queryset if condition is None else queryset.filter(condition)


def review_sections(scope):
    """Pages awaiting review and pages sent back, each capped, plus whether more exist."""
    states = WorkflowState.objects.filter(base_content_type=get_default_page_content_type()).select_related(
        "requested_by", "current_task_state", "current_task_state__finished_by"
    )
    if not scope.everything:
        # object_id is text; casting the page ids (not object_id) never fails whatever is stored.
        pages = Page.objects.filter(scope.path_filter()).annotate(text_id=Cast("pk", CharField()))
        states = states.filter(object_id__in=pages.values("text_id"))
    # Only one active state may exist per page, so a needs_changes state is the page's latest one.
    waiting = list(
        states.filter(status=WorkflowState.STATUS_IN_PROGRESS).order_by("current_task_state__started_at", "pk")[
            : REVIEW_LIMIT + 1
        ]
    )
    sent_back = list(
        states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).order_by("-current_task_state__finished_at", "-pk")[
            : REVIEW_LIMIT + 1
        ]
    )
    page_ids = {int(state.object_id) for state in waiting[:REVIEW_LIMIT] + sent_back[:REVIEW_LIMIT]}
    pages = Page.objects.only("pk", "draft_title", "path").in_bulk(page_ids)

    def rows(found):
        result = []
        for state in found[:REVIEW_LIMIT]:
            page = pages.get(int(state.object_id))
            if page is None:  # deleted since; Wagtail keeps the state row
                continue
            task_state = state.current_task_state
            result.append(
                {
                    "title": page.draft_title,
                    "hub": scope.hub_title(page.path),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    "requested_by": state.requested_by,
                    "submitted_at": task_state.started_at if task_state else state.created_at,
                    "reviewer": task_state.finished_by if task_state else None,
                    "reviewed_at": task_state.finished_at if task_state else None,
                    "comment": task_state.comment if task_state else "",
                }
            )
        return result

    return (
        {"rows": rows(waiting), "more": len(waiting) > REVIEW_LIMIT},
        {"rows": rows(sent_back), "more": len(sent_back) > REVIEW_LIMIT},
    )


def consent_section(scope, today):
    # Values only: the ledger's personal fields (names, parents, notes) never reach editors' pages.
    consents = (
        restrict(PortraitConsent.objects.all(), scope.path_filter("portrait__"))
        .filter(
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=CONSENT_WARNING_DAYS),
            withdrawn_on__isnull=True,
        )
        .order_by("expires_on", "pk")
        .values("pk", "expires_on", "portrait_id", "portrait__draft_title", "portrait__path")[: CONSENT_LIMIT + 1]
    )
    consents = list(consents)
    rows = [
        {
            "title": consent["portrait__draft_title"],
            "hub": scope.hub_title(consent["portrait__path"]),
            "expires_on": consent["expires_on"],
            "edit_url": reverse("wagtailadmin_pages:edit", args=[consent["portrait_id"]]),
            "ledger_url": reverse("consentements:edit", args=[consent["pk"]]) if scope.everything else None,
        }
        for consent in consents[:CONSENT_LIMIT]
    ]
    return {"rows": rows, "more": len(consents) > CONSENT_LIMIT}


def event_section(scope, now):
    events = (
        restrict(EventPage.objects.all(), scope.path_filter())
        .filter(start_at__gte=now)
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )
        .order_by("start_at", "pk")[: EVENT_LIMIT + 1]
    )
    events = list(events)
    registrations_url = reverse("inscriptions:index")
    rows = [
        {
            "title": event.draft_title,
            "live": event.live,
            "hub": scope.hub_title(event.path, elsewhere="Tout le territoire"),
            "start_at": event.start_at,
            "registration_enabled": event.registration_enabled,
            "confirmed": event.confirmed_count,
            "seats_left": event.seats_left,
            "waiting": event.waiting_count,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
            "registrations_url": f"{registrations_url}?{urlencode({'event': event.pk})}",
        }
        for event in events[:EVENT_LIMIT]
    ]
    return {"rows": rows, "more": len(events) > EVENT_LIMIT}


class EditorialDashboardPanel(Component):
    name = "impact_editorial_dashboard"
    template_name = "events/admin/dashboard-panel.html"
    order = 50  # before Wagtail's own panels (210 and up)

    def __init__(self, scope):
        self.scope = scope

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        waiting, sent_back = review_sections(self.scope)
        return {
            "heading": self.scope.heading,
            "show_hub": self.scope.everything or len(self.scope.hubs) > 1,
            "is_coordinator": self.scope.everything,
            "waiting": waiting,
            "sent_back": sent_back,
            "consents": consent_section(self.scope, timezone.localdate(now)),
            "consent_days": CONSENT_WARNING_DAYS,
            "review_limit": REVIEW_LIMIT,
            "consent_limit": CONSENT_LIMIT,
            "event_limit": EVENT_LIMIT,
            "events": event_section(self.scope, now),
        }


@hooks.register("construct_homepage_panels")
def add_editorial_dashboard(request, panels):
    scope = editorial_scope(request.user)
    if scope is not None:
        panels.append(EditorialDashboardPanel(scope))

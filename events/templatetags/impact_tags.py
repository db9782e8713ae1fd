"""The impact panel on the home page and on each hub: the coordinators' yearly figures against the
common goal, beside what the site counts itself (portraits, events held, registrations).

It lives in events because it counts pages of every app (imports run events -> stories -> home).
Two queries whatever the amount of content: one aggregate for the figures, one for the site's own
counts."""

from django import template
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Length, Substr
from django.utils import formats, timezone
from wagtail.models import Page, PageViewRestriction, Site

from events.models import RegistrationStatus
from home.models import ImpactFigure, SiteSettings
from stories.models import may_be_public_filter

register = template.Library()

FIGURES = {
    "accompanied": "young_people_accompanied",
    "parents": "parents_reached",
    "in_job": "young_people_in_job_or_training",
}


@register.filter
def grouped(value):
    """1234 -> "1 234" (no-break space, as the French locale writes it); years stay ungrouped."""
    return formats.number_format(value or 0, force_grouping=True)


def beneficiaries_goal(request):
    if request is not None:
        return SiteSettings.for_request(request).beneficiaries_goal
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).beneficiaries_goal if site else 0


def impact_figures(neighbourhood=None):
    """Totals over every year, and the latest year's own figures, in one query. None before any
    figure is entered, so the panel says so instead of showing zeros."""
    figures = ImpactFigure.objects.all()
    if neighbourhood is not None:
        figures = figures.filter(neighbourhood=neighbourhood)
    latest_year = Q(year=Subquery(figures.order_by("-year").values("year")[:1]))
    totals = figures.aggregate(
        first_year=Min("year"),
        latest_year=Max("year"),
        updated_at=Max("updated_at"),
        latest_neighbourhoods=Count("neighbourhood", filter=latest_year, distinct=True),
        **{key: Sum(field) for key, field in FIGURES.items()},
        **{f"latest_{key}": Sum(field, filter=latest_year) for key, field in FIGURES.items()},
    )
    if totals["first_year"] is None:
        return None
    totals["latest"] = {key: totals.pop(f"latest_{key}") for key in FIGURES}
    return totals


def outside_private_sections():
    """``PageQuerySet.public()`` as a subquery: no view restriction on the page or an ancestor (its
    path starts with theirs). public() would first run a query listing the private sections."""
    restricted_ancestors = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(restricted_ancestors)


def site_counts(neighbourhood=None):
    """Portraits the public can see, events already held and registrations kept, in one aggregate over
    the page tree. Pages are counted ``distinct`` because the join on registrations repeats each
    event once per registration; registrations are counted whatever the event's status (they were made)."""
    pages = Page.objects.all() if neighbourhood is None else Page.objects.descendant_of(neighbourhood)
    visible = Q(live=True) & outside_private_sections()
    kept = ~Q(eventpage__registrations__status=RegistrationStatus.CANCELLED)
    return pages.aggregate(
        portraits=Count(
            "pk",
            filter=visible & Q(portraitpage__isnull=False) & may_be_public_filter("portraitpage__"),
            distinct=True,
        ),
        events_held=Count("pk", filter=Q(live=True, eventpage__end_at__lt=timezone.now()), distinct=True),
        registrations=Count("eventpage__registrations", filter=kept),
    )


FIGURE_LABELS = {
    "accompanied": "jeunes accompagnés",
    "parents": "parents touchés",
    "in_job": "jeunes en emploi ou en formation",
}
SITE_COUNT_LABELS = {
    "portraits": "Portraits publiés",
    "events_held": "Forums et rendez-vous organisés",
    "registrations": "Inscriptions aux rendez-vous",
}


def shown(values, labels):
    """(label, value) pairs for the counters worth showing: a 0 tells a first visitor that nothing
    happens here, so it is left out (and a list of only zeros disappears with its heading)."""
    return [(label, values[key]) for key, label in labels.items() if values[key]]


@register.inclusion_tag("components/impact-panel.html", takes_context=True)
def impact_panel(context, neighbourhood=None):
    goal = beneficiaries_goal(context.get("request"))
    figures = impact_figures(neighbourhood)
    accompanied = figures["accompanied"] if figures else 0
    return {
        "neighbourhood": neighbourhood,
        "figures": figures,
        "figure_items": shown(figures, FIGURE_LABELS) if figures else [],
        "latest_items": shown(figures["latest"], FIGURE_LABELS) if figures else [],
        "goal": goal,
        # The bar stops at the goal; the text still gives the real percentage once it is passed.
        "bar_value": min(accompanied, goal),
        "percent": accompanied * 100 // goal if goal else None,
        "site_items": shown(site_counts(neighbourhood), SITE_COUNT_LABELS),
    }

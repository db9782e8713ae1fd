"""Upcoming events on hubs, company pages, portraits and the home page, without home or stories
importing events."""

from django import template
from django.db.models import Q

from events.models import EventPage
from home.models.pages import attach_neighbourhoods

register = template.Library()


@register.inclusion_tag("components/event-list.html")
def upcoming_events(
    neighbourhood=None, company=None, near=None, sector=None, count=3, heading="Les prochains rendez-vous"
):
    """``near`` + ``sector``: events in that neighbourhood or with a company of that sector (a
    portrait's way forward)."""
    events = EventPage.listing_queryset().upcoming().order_by("start_at", "pk")
    more_url = "/evenements/"
    if near is not None:
        condition = Q(path__startswith=near.path)
        if sector is not None:
            condition |= Q(participants__company__sector=sector)
        events = events.filter(condition).distinct()
    if neighbourhood is not None:
        events = events.descendant_of(neighbourhood)
        more_url = f"/evenements/?quartier={neighbourhood.slug}"
    if company is not None:
        events = events.filter(participants__company=company).distinct()
    events = attach_neighbourhoods(events[:count])
    if neighbourhood is not None:
        for event in events:
            event.neighbourhood = None  # the hub already says where
    return {
        "events": events,
        "heading": heading,
        "section_id": "upcoming-events-title",
        "more_url": more_url,
        "more_label": "Voir tous les événements",
    }


@register.inclusion_tag("components/next-event-action.html", takes_context=True)
def next_event_action(context):
    """The home page's call to the next event (one still running counts, as in the listings). The
    page cache keeps it true: events announce their start and end to ``home.page_cache``."""
    event = EventPage.listing_queryset().upcoming().order_by("start_at", "pk").first()
    return {"request": context.get("request"), "event": event}


@register.simple_tag(takes_context=True)
def proposal_form_url(context):
    """Where companies propose an event (/evenements/proposer/), for pages outside events (/entreprises/)."""
    from events.models import EventIndexPage

    index = EventIndexPage.objects.live().first()
    return f"{index.get_url(context.get('request'))}{index.reverse_subpage('propose')}" if index else ""

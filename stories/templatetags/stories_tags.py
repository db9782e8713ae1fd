"""Portrait listings that home templates include without home importing stories."""

from django import template
from django.db.models import F, Value, Window
from django.db.models.functions import Length, RowNumber, Substr
from wagtail.models import Page

from home.models.pages import attach_neighbourhoods
from stories.models import DispositifIndexPage, PortraitPage

register = template.Library()


def featured_portraits_queryset():
    """Visible portraits (``listing_queryset``, hence the consent rule) taken in turns from each
    neighbourhood: every hub's newest, then every hub's second newest, and so on. A hub that publishes a
    lot cannot fill the home page alone. One query: the turn is a window function over the portraits'
    parent path (portraits live directly under their hub)."""
    hub_path = Substr("path", 1, Length("path") - Value(Page.steplen))
    turn = Window(RowNumber(), partition_by=[hub_path], order_by=[F("first_published_at").desc(), F("pk").desc()])
    return PortraitPage.listing_queryset().annotate(turn=turn).order_by("turn", "-first_published_at", "-pk")


@register.inclusion_tag("components/portrait-list.html")
def featured_portraits(count=3, heading="Ils et elles ont réussi", more_url="/portraits/"):
    portraits = attach_neighbourhoods(featured_portraits_queryset()[:count])
    return {
        "portraits": portraits,
        "heading": heading,
        "section_id": "featured-portraits-title",
        "more_url": more_url,
        "more_label": "Voir tous les portraits",
    }


@register.inclusion_tag("components/portrait-list.html")
def neighbourhood_portraits(neighbourhood, count=6):
    portraits = list(PortraitPage.listing_queryset().descendant_of(neighbourhood)[:count])
    for portrait in portraits:
        portrait.neighbourhood = None  # the hub already says where they are from
    return {
        "portraits": portraits,
        "heading": f"Ils et elles ont grandi {neighbourhood.in_name}",
        "section_id": "neighbourhood-portraits-title",
        "more_url": f"/portraits/?quartier={neighbourhood.slug}",
        "more_label": f"Tous les portraits {neighbourhood.of_name}",
    }


@register.simple_tag(takes_context=True)
def dispositif_url(context, dispositif):
    """URL of a scheme's page in /dispositifs/; the directory page is looked up once per request."""
    request = context.get("request")
    cache = getattr(request, "_dispositif_index_url", None) if request else None
    if cache is None:
        index = DispositifIndexPage.objects.live().first()
        cache = index.get_url(request) if index else ""
        if request is not None:
            request._dispositif_index_url = cache
    return f"{cache}{dispositif.slug}/" if cache else ""

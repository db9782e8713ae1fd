"""Open Graph, social cards and schema.org data for the page being rendered (``components/social-meta.html``).

Portraits follow the consent ledger: their photo is only offered to social networks when the consent
covers them, and a portrait not covered for social networks is shared under its first name only, even
when the page shows the family name. Everything here reuses objects the page has already loaded, so it
costs at most a rendition lookup on a portrait page."""

import json

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from home.links import absolute_url, site_url

register = template.Library()

SITE_NAME = "Impact Jeunes"
DEFAULT_DESCRIPTION = "De l'envie à la réussite : des jeunes des quartiers racontent leur parcours vers l'emploi."
DEFAULT_IMAGE = "img/og-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
DEFAULT_IMAGE_ALT = "Impact Jeunes, de l'envie à la réussite"
# Large enough for every network's big card; JPEG because not every network reads AVIF or WebP.
SHARE_RENDITION = "fill-1200x630|format-jpeg"


def canonical_url(request):
    """This address without tracking or filter parameters. Routes of a page (``/dispositifs/<slug>/``,
    ``/evenements/archives/``) keep their own path; only the page number of an unfiltered listing is
    kept, because page 2 is a real page with its own content."""
    if request is None:
        return ""
    # The configured public address (as in the sitemap), not whatever Host the request came with.
    url = absolute_url(request.path)
    if list(request.GET) == ["page"]:
        number = request.GET["page"]
        if number.isdigit() and int(number) > 1:
            url = f"{url}?page={int(number)}"
    return url


def portrait_sharing(page, request):
    """(may be public on social networks, name to share under) for a portrait page: the consent rule
    with the social-networks scope, guardians included. The consent was loaded by
    ``PortraitPage.serve`` on this same object: no second query."""
    covered = page.may_be_public(scope="social")
    return covered, page.display_name if covered else page.first_name


def describe(context, page, request):
    """(og:type, title, description, image rendition or None, image alt) for the current page."""
    from events.models import EventPage
    from stories.models import CompanyPage, PortraitPage

    if isinstance(page, PortraitPage):
        covered, name = portrait_sharing(page, request)
        title = f"{name}, {page.age} ans — {page.job_title}"
        # The search description is free text an editor may have written with the family name in it.
        description = (covered and page.search_description) or f"« {page.quote} »"
        image = alt = None
        if covered and page.photo_id is not None:
            image = page.photo.get_rendition(SHARE_RENDITION)
            alt = "" if page.photo_is_decorative else page.photo_alt
        return "article", title, description, image, alt

    from home.models import HomePage

    # The home page's title is "Accueil" in the admin; shared, it is the site's name.
    title = page.seo_title or (SITE_NAME if isinstance(page, HomePage) else page.title)
    description = page.search_description
    dispositif = context.get("dispositif")
    if dispositif is not None:  # a scheme's route under /dispositifs/
        title, description = dispositif.name, f"{dispositif.name} : {dispositif.audience}"
    elif context.get("archive"):  # /evenements/archives/
        title, description = "Événements passés", description or "Les forums et rencontres qui ont déjà eu lieu."
    elif isinstance(page, (CompanyPage, EventPage)):
        description = description or page.summary
    elif not description:
        description = getattr(page, "intro", "") or ""
    return "website", title, description, None, None


@register.simple_tag(takes_context=True)
def social_meta(context):
    """What ``components/social-meta.html`` prints, as a dict (``{% social_meta as meta %}``)."""
    request = context.get("request")
    page = context.get("page")
    url = canonical_url(request)
    image = image_alt = None
    if page is not None and getattr(page, "pk", None):
        og_type, title, description, image, image_alt = describe(context, page, request)
    else:
        og_type, title, description = "website", context.get("social_title") or SITE_NAME, ""
    if image is not None:
        image_url, (width, height) = image.url, (image.width, image.height)
    else:
        image_url, (width, height) = static(DEFAULT_IMAGE), DEFAULT_IMAGE_SIZE
        image_alt = DEFAULT_IMAGE_ALT
    # Media on object storage already have an absolute URL; local files are on the public address.
    if image_url.startswith("/"):
        image_url = absolute_url(image_url)
    return {
        "og_type": og_type,
        "title": title or SITE_NAME,
        "description": " ".join((description or DEFAULT_DESCRIPTION).split())[:300],
        "url": url,
        "image_url": image_url,
        "image_width": width,
        "image_height": height,
        "image_alt": image_alt,
        "site_name": SITE_NAME,
        "feed_url": reverse("stories:portraits_feed"),
        "json_ld": json_ld(page, request, url, description),
    }


def json_ld(page, request, url, description):
    """schema.org data where it says something search engines use: the site itself on the home page,
    a company on its page. Events have their own (events_json); portraits have none, on purpose: they
    are about people, often minors."""
    from home.models import HomePage
    from stories.models import CompanyPage

    if isinstance(page, HomePage):
        root = f"{site_url()}/"
        data = [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": SITE_NAME,
                "url": root,
                "inLanguage": "fr-FR",
                "description": description or DEFAULT_DESCRIPTION,
            },
            {
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": SITE_NAME,
                "url": root,
                "logo": absolute_url(static("img/logo.svg")),
            },
        ]
    elif isinstance(page, CompanyPage):
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": page.title,
            "description": page.summary,
            "address": {"@type": "PostalAddress", "addressLocality": page.commune, "addressCountry": "FR"},
            "mainEntityOfPage": url,
        }
        if page.website:
            data["url"] = page.website
    else:
        return ""
    # Escaped like Django's json_script: nothing in a title can close the script element early.
    payload = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))

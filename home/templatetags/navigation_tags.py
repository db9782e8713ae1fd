from django import template
from wagtail.models import Page, Site

register = template.Library()


def _site_sections(context):
    """Live, public children of the site root, fetched once per request for header and footer."""
    request = context.get("request")
    if request is None:
        return None, []
    cached = getattr(request, "_impact_site_sections", None)
    if cached is None:
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        children = list(root.get_children().live().public().order_by("path")) if root else []
        cached = (root, children)
        request._impact_site_sections = cached
    return cached


@register.inclusion_tag("components/main-nav.html", takes_context=True)
def main_nav(context):
    root, children = _site_sections(context)
    current = context.get("page")
    return {
        "request": context.get("request"),
        "root": root,
        "items": [page for page in children if page.show_in_menus],
        "current": current,
    }


@register.inclusion_tag("components/footer-nav.html", takes_context=True)
def footer_nav(context):
    _root, children = _site_sections(context)
    return {
        "request": context.get("request"),
        "items": [page for page in children if not page.show_in_menus],
    }


@register.simple_tag(takes_context=True)
def section_url(context, model):
    """URL of the site's top-level section of page type ``model`` ("stories.portraitindexpage"), or
    "". A label, not an import: home never imports stories or events. It reads the sections the menu
    already fetched for this request, so it costs no query."""
    _root, children = _site_sections(context)
    for page in children:
        if page.specific_class is not None and page.specific_class._meta.label_lower == model:
            return page.get_url(context.get("request"))
    return ""


@register.filter
def is_in_section(current, section):
    """True when ``current`` is ``section`` or below it, for aria-current on the menu."""
    if not isinstance(current, Page) or not isinstance(section, Page):
        return False
    return current.path.startswith(section.path)

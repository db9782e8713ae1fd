"""Printable A4 posters for building halls, social centres and schools: the page's essentials and a QR
code to its public URL, drawn as inline SVG so printing needs no extra request and stays sharp.

``home`` never imports ``events``: the event poster only reads the page object it is given."""

import segno
from django.utils.safestring import mark_safe

# Level Q survives a poster that is creased, scribbled on or half covered by another flyer, and for
# page URLs the code stays small. boost_error=False keeps exactly this level, whatever the URL length.
QR_ERROR_LEVEL = "q"


def make_qr(url):
    return segno.make(url, error=QR_ERROR_LEVEL, boost_error=False, micro=False)


def qr_svg(url, title="QR code vers la page"):
    """Inline SVG markup of a QR code for ``url``. Safe to mark: segno writes only numbers in the
    path and escapes the title; the URL itself is not written into the markup."""
    svg = make_qr(url).svg_inline(omitsize=True, svgclass="poster-qr", lineclass=None, title=title)
    return mark_safe(svg)


def render_poster(page, request, template, **context):
    """Render ``template`` for ``page`` with the QR code of its full public URL. No query string:
    a poster carries no tracking."""
    url = page.get_full_url(request)
    response = page.render(
        request,
        template=template,
        context_overrides={"poster_url": url, "poster_qr": qr_svg(url), **context},
    )
    # Posters are for paper: search engines index the page itself, not its printable copy.
    response["X-Robots-Tag"] = "noindex"
    return response


def neighbourhood_poster(page, request):
    return render_poster(page, request, "posters/neighbourhood-poster.html", partners=page.partners.all())


def event_poster(page, request):
    return render_poster(
        page,
        request,
        "posters/event-poster.html",
        # Company names: one query however many companies come.
        participants=list(page.participants.select_related("company")),
        registration_open=page.registration_is_open(),
    )

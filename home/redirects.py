"""Redirects that always lead somewhere: no loop, no dead end.

Wagtail creates a redirect from a page's old address each time it moves or its slug changes
(``wagtail.contrib.redirects``). Move a portrait from hub A to hub B and back, and the redirect made
by the first move (/A/portrait → the portrait) now starts from the portrait's own address. While the
page answers, Wagtail never looks at it (redirects are only tried on a 404); the day the page answers
404 — unpublished, or a portrait whose consent lapsed — the visitor is sent to the same address,
forever.

Two fixes, one at the source and one at the door:

- after a move or a slug change, redirects that start from an address the moved pages now answer at
  are deleted (``drop_redirects_shadowed_by``): Wagtail's own, and any that point into the moved
  pages;
- ``SafeRedirectMiddleware`` replaces Wagtail's middleware and follows a redirect only when its target
  can be served: a live page that is not the address asked for, and, for page types that may refuse
  to serve while live (portraits, whose consent decides), whose ``may_be_public()`` says yes.
  Otherwise the visitor gets the 404 the page gave.
"""

from urllib.parse import urlparse

from django import http
from django.db.models import Q
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page
from wagtail.signals import page_slug_changed, post_page_move


def drop_redirects_shadowed_by(page):
    """Delete the redirects that start where ``page`` or one of its descendants now lives."""
    subtree = Page.objects.descendant_of(page, inclusive=True)
    shadowed = Q()
    for node in subtree.only("id", "path", "url_path", "depth"):
        parts = node.get_url_parts()
        if parts is None:
            continue
        site_id, _root, page_path = parts
        shadowed |= Q(old_path=Redirect.normalise_path(page_path)) & (Q(site_id=site_id) | Q(site__isnull=True))
    if not shadowed:
        return 0
    ours = Q(automatically_created=True) | Q(redirect_page__path__startswith=page.path)
    deleted, _ = Redirect.objects.filter(shadowed).filter(ours).delete()
    return deleted


def _after_move(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if url_path_before != url_path_after:
        drop_redirects_shadowed_by(instance)


def _after_slug_change(sender, instance, **kwargs):
    drop_redirects_shadowed_by(instance)


def connect():
    post_page_move.connect(_after_move, dispatch_uid="home-redirects-after-move")
    page_slug_changed.connect(_after_slug_change, dispatch_uid="home-redirects-after-slug-change")


def leads_somewhere(redirect, request):
    """Whether following ``redirect`` from this request can end on a page that answers."""
    link = redirect.link
    if not link:
        return False
    if redirect.redirect_page_id is not None:
        page = redirect.redirect_page
        if not page.live:
            return False
        may_be_public = getattr(page.specific, "may_be_public", None)
        if may_be_public is not None and not may_be_public():
            return False
    target = urlparse(link)
    same_host = not target.netloc or target.netloc == request.get_host()
    return not (same_host and target.path.rstrip("/") == request.path.rstrip("/"))


class SafeRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirect middleware, minus redirects that loop or end on a page that cannot answer."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None:
            path_without_query = urlparse(path).path
            if path == path_without_query:
                return response
            redirect = get_redirect(request, path_without_query)
        if redirect is None or not leads_somewhere(redirect, request):
            return response
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(redirect.link)
        return http.HttpResponseRedirect(redirect.link)

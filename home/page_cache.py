"""Whole-page cache for anonymous visitors, shared by every worker through the Django cache.

What is cached: the 200 answer to an anonymous GET of a page served by Wagtail (``wagtail_serve``,
which includes the routes of routable pages such as the filtered listings), for
``PAGE_CACHE_SECONDS``. The key is the scheme, host, path and the query string with its parameters
sorted, so ``?b=2&a=1`` and ``?a=1&b=2`` share one entry. A hit answers with no SQL at all and
carries ``X-Cache: HIT`` and ``Age``; a stored miss says ``X-Cache: MISS``.

What never is, because it would show one visitor something meant for another (or for an editor):
requests carrying any cookie except the CSRF cookie (a session means a logged-in editor, a
password-restricted page already unlocked, or pending messages), requests with ``Authorization``,
answers that set a cookie, that used the CSRF token (the event page's registration form: each
visitor must get their own token), that stored or showed messages, that are not 200, not HTML
from Wagtail (the admin, previews, calendars, the sitemap) or that say ``Cache-Control:
private/no-store/no-cache``. Restricted pages never answer an anonymous visitor with a 200 (login
redirect or password form, which uses the CSRF token), so they are never stored either.

Invalidation is a site-wide *generation* number kept in the cache and part of every key. Any change
that can alter what a visitor sees bumps it, which retires every cached page at once in every worker
and on every host: publishing, unpublishing, moving or deleting a page, a view restriction, a site,
and any save or delete of the content apps' models (page drafts included, taxonomies, site settings,
images — a withdrawn consent deletes the photo —, the consent ledger, registrations, since listings
show the seats left). Working out which pages a change touches (a portrait appears on its hub, the
home page, /portraits/ with every filter combination, the schemes directory…) would be fragile; the
site changes a few times a day and is read far more often, so starting again from cold after each
change costs little. The bump happens at once and again after the transaction commits, so a worker
that rendered the old content between the two cannot keep it. Old generations are never deleted:
they expire after ``PAGE_CACHE_SECONDS``.

The generation only reaches other processes through a shared cache: with the per-process memory cache
(no ``REDIS_URL``) a publish made in one worker, or by ``publish_scheduled``/``enforce_consents`` from
cron, would not reach the others, so ``PAGE_CACHE_SECONDS`` defaults to 0 (off) without Redis.

Time: some pages change by themselves, without any save. A consent expiring, a withdrawal or
signature taking effect, "today" and "tomorrow" — the consent ledger's dates change meaning at local
midnight (Europe/Paris). Events change at their start, end and registration deadline. So the key also
holds the local date (a page stored yesterday is never served today), and every entry is valid only
until the next *time boundary*: the next local midnight, or an earlier instant that a content app
announces through a ``next_public_change(now)`` method on its AppConfig (events: the next start, end
or registration deadline of a live event). That instant is worked out once per generation and kept in
the cache until it passes, so a miss costs one small aggregate query at most. An entry stores the
instant it stops being valid, and a hit checks it, so no cached page outlives the next expiry of
anything it shows, even before Redis evicts it. Every such decision reads the time from ``clock``.

Redis down: the page cache steps aside. While ``home.shared_cache`` reports the shared cache
unreachable, pages are rendered and served without it (never an error), and the outage is logged by
the cache backend, once per interval.

``wagtail-cache`` does the same job but does not support Wagtail 8, and Django's own cache middleware
keys on the ``Vary: Cookie`` header (one entry per visitor once the CSRF cookie is set) and has no
invalidation, hence this small module.

Where it sits in ``MIDDLEWARE``: right after whitenoise, before the session, CSRF, auth and messages
middleware. A hit therefore skips all of them (no session or user lookup), while a miss sees the final
answer, with the cookies those middleware set and the headers they add (CSP, X-Frame-Options), so it
can refuse to store anything that sets a cookie, and a hit replays the same headers. Security and
whitenoise stay in front: HTTPS redirects and static files are handled before the cache is asked.
"""

import datetime
import hashlib
import math
import time
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from home.shared_cache import cache_available

GENERATION_KEY = "page-cache:generation"
# The time every validity decision uses: tests move it across midnight or past an event's start.
clock = timezone.now
CACHEABLE_VIEW = "wagtail_serve"
# Models of the content apps whose changes never show on a public page (or happen while serving one:
# renditions are created on the fly and must not empty the cache).
IGNORED_MODELS = {
    "home.customrendition",
    "home.user",
    "home.editorialspace",
    "stories.companyaccount",
    "events.eventproposal",
}
CONTENT_APPS = ("home", "stories", "events")
# Headers the page answer keeps on a hit; cookies are never stored (such answers are not cached).
SKIPPED_HEADERS = {"set-cookie", "x-cache", "age", "date"}
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A time-based start never reuses the number of an evicted generation whose pages may still
        # be in the cache.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)


def invalidate_pages(**kwargs):
    """Signal receiver: retire every cached page now and once more when the transaction commits."""
    bump_generation()
    transaction.on_commit(bump_generation)


def cache_key(request, generation, now):
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    location = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    day = timezone.localdate(now).isoformat()
    return f"page-cache:{generation}:{day}:{hashlib.sha256(location.encode()).hexdigest()}"


def next_local_midnight(now):
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def announced_changes(now):
    """The earliest instant after ``now`` that a content app announces, or None."""
    instants = []
    for label in CONTENT_APPS:
        announce = getattr(apps.get_app_config(label), "next_public_change", None)
        if announce is not None:
            instant = announce(now)
            if instant is not None and instant > now:
                instants.append(instant)
    return min(instants, default=None)


def next_boundary(generation, now):
    """When pages rendered at ``now`` may stop being true by the mere passing of time."""
    key = f"page-cache:{generation}:next-change"
    known = cache.get(key)
    moment = now.timestamp()
    if known is not None and known["from"] <= moment and (known["at"] is None or moment < known["at"]):
        announced = known["at"]
    else:
        instant = announced_changes(now)
        announced = instant.timestamp() if instant is not None else None
        cache.set(key, {"from": now.timestamp(), "at": announced}, timeout=cache_seconds())
    midnight = next_local_midnight(now).timestamp()
    return midnight if announced is None else min(announced, midnight)


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    try:
        return resolve(request.path_info).url_name == CACHEABLE_VIEW
    except Resolver404:
        return False


def response_is_cacheable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        # The CSRF token was put in the page (a form): it belongs to this visitor only.
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or storage.added_new):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    directives = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    # Cookie: requests with cookies other than CSRF's never reach the cache. Accept-Language: the
    # site has a single language.
    return vary <= {"cookie", "accept-language", "accept-encoding"}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        if not seconds or not request_is_cacheable(request) or not cache_available():
            return self.get_response(request)
        now = clock()
        generation = current_generation()
        key = cache_key(request, generation, now)
        entry = cache.get(key)
        if entry is not None and now.timestamp() < entry.get("valid_until", 0):
            response = HttpResponse(entry["content"], status=entry["status"], headers=entry["headers"])
            response["Age"] = str(max(int(now.timestamp() - entry["stored_at"]), 0))
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if response_is_cacheable(request, response) and cache_available():
            valid_until = min(now.timestamp() + seconds, next_boundary(generation, now))
            remaining = valid_until - now.timestamp()
            if remaining >= 1:
                headers = {name: value for name, value in response.items() if name.lower() not in SKIPPED_HEADERS}
                entry = {
                    "content": response.content,
                    "status": 200,
                    "headers": headers,
                    "stored_at": now.timestamp(),
                    "valid_until": valid_until,
                }
                cache.set(key, entry, timeout=math.ceil(remaining))
                response["X-Cache"] = "MISS"
        return response


def connect_invalidation():
    """Called from ``HomeConfig.ready``, once every app is loaded: models are looked up through the
    app registry, so home imports neither stories nor events."""
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(invalidate_pages, dispatch_uid="page_cache_published")
    page_unpublished.connect(invalidate_pages, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(invalidate_pages, dispatch_uid="page_cache_moved")
    models = [Page, PageViewRestriction, Site]
    for label in CONTENT_APPS:
        models += [
            model for model in apps.get_app_config(label).get_models() if model._meta.label_lower not in IGNORED_MODELS
        ]
    for model in models:
        uid = f"page_cache_{model._meta.label_lower}"
        post_save.connect(invalidate_pages, sender=model, dispatch_uid=uid + "_saved")
        post_delete.connect(invalidate_pages, sender=model, dispatch_uid=uid + "_deleted")

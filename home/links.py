"""The site's public address, for every link that leaves the page it is shown on.

E-mails, feeds, calendars, the sitemap and printed posters are read away from the request that made
them, so their links cannot come from the request's Host header (which anyone can set, and which is
``127.0.0.1`` behind a proxy): they come from one configured address, ``settings.SITE_URL``.

- Pages build theirs with ``page.get_full_url()``, from Wagtail's default ``Site`` record.
  ``sync_default_site`` writes ``SITE_URL`` into that record; ``setup_site`` and ``load_demo`` call it
  (so ``make run``, ``make serve`` and every deployment), and ``site_address_problem`` says when the
  two disagree (a system check run by ``migrate``).
- Anything else (a route that is not a page, a static file, an admin link) uses ``absolute_url``.
- Wagtail's own e-mails (moderation, password reset) use ``WAGTAILADMIN_BASE_URL``, set to ``SITE_URL``.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url():
    """``scheme://host[:port]`` with no trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path):
    """``path`` (starting with ``/``) on the site's public address."""
    return site_url() + path


def site_address():
    """``(hostname, port)`` as Wagtail's ``Site`` record stores the public address."""
    parts = urlsplit(site_url())
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def sync_default_site(site=None):
    """Give the default ``Site`` (or ``site``) the public address; returns True when it changed.

    Saving the Site clears Wagtail's cache of site root URLs and empties the page cache
    (``home.page_cache`` listens to Site saves), so no worker keeps serving the old address."""
    from wagtail.models import Site

    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


def site_address_problem():
    """A sentence when the default Site record disagrees with ``SITE_URL``, else None."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == site_address():
        return None
    return (
        f"Attention : le site Wagtail par défaut pointe vers {site.root_url} alors que SITE_URL vaut "
        f"{site_url()} : les liens des e-mails, flux et affiches ne mèneraient pas au même endroit. Donnez "
        "à SITE_URL (ou PORT) l'adresse du site servi, puis lancez « manage.py setup_site »."
    )

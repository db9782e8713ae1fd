"""The site's public address, for every link that leaves the page it is shown on.

E-mails, feeds, calendars, the sitemap and printed posters are read away from the request that made
them, so their links cannot come from the request's Host header: they come from one configured
address. Pages build theirs with ``page.get_full_url()`` (Wagtail's ``Site`` record); anything else
(a route that is not a page, an admin link in an e-mail) with ``absolute_url``.
"""

from django.conf import settings


def absolute_url(path):
    """``path`` (starting with ``/``) on the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from home.links import absolute_url

logger = logging.getLogger(__name__)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(no_store=True)
def health(request):
    """Liveness: the process answers (touches nothing else). Also the trivial Django view ``manage.py
    bench`` compares pages to. Load balancers choosing where to route use ``readiness``."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(no_store=True)
def readiness(request):
    """For load balancers: may this host take traffic? 200 when the database answers and the shared
    cache (Redis, when configured) too, 503 otherwise. The body says which one is down and how far
    behind the mail queue is — never why (no error message, no host name)."""
    from home.mail import backlog

    lines = []
    ready = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        lines.append("base de données : ok")
        database = True
    except Exception:
        logger.exception("Readiness: the database does not answer")
        lines.append("base de données : indisponible")
        ready = database = False
    ping = getattr(cache, "ping", None)
    if ping is None:
        lines.append("cache partagé : non configuré")
    elif ping():
        lines.append("cache partagé : ok")
    else:
        lines.append("cache partagé : indisponible")
        ready = False
    if database:
        try:
            queue = backlog()
        except Exception:
            logger.exception("Readiness: the mail queue could not be read")
            queue = None
        if queue is not None:
            lines.append(
                f"file d'e-mails : {queue['pending']} en attente, la plus ancienne depuis {queue['oldest_seconds']} s, "
                f"{queue['failed']} en échec"
            )
    body = ("prêt" if ready else "indisponible") + "\n" + "\n".join(lines) + "\n"
    return HttpResponse(body, status=200 if ready else 503, content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without context processors or database access: whatever broke may be behind them.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)

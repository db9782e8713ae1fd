"""The site's URLs plus one view that fails, to see what a visitor gets from a server error."""

from django.urls import path

from site_project.urls import handler404, handler500
from site_project.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("secret internal detail: /srv/impact/settings.py line 42")


urlpatterns = [path("boom/", boom), *site_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap

from home import document_urls
from home import views as home_views
from home.admin_guards import (
    CoordinatorsAgingPagesView,
    CoordinatorsPageTypesUsageReportView,
    VisibleChosenPagesView,
)
from home.invitations import PasswordSetView, SetPasswordView
from site_project.search import search as site_search
from site_project.sitemaps import SiteSitemap

urlpatterns = [
    # Ahead of Wagtail's own routes at the same addresses: see home/admin_guards.py.
    path("admin/reports/page-types-usage/", require_admin_access(CoordinatorsPageTypesUsageReportView.as_view())),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(CoordinatorsPageTypesUsageReportView.as_view(results_only=True)),
    ),
    path("admin/reports/aging-pages/", require_admin_access(CoordinatorsAgingPagesView.as_view())),
    path(
        "admin/reports/aging-pages/results/",
        require_admin_access(CoordinatorsAgingPagesView.as_view(results_only=True)),
    ),
    path("admin/choose-page/chosen-multiple/", require_admin_access(VisibleChosenPagesView.as_view())),
    # Before Wagtail's admin URLs, which all require a signed-in editor: a new account has no password yet.
    path("admin/bienvenue/<uidb64>/<token>/", SetPasswordView.as_view(), name="account_invitation"),
    path("admin/bienvenue/mot-de-passe-enregistre/", PasswordSetView.as_view(), name="account_password_set"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(document_urls)),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sante/", home_views.health, name="health"),
    path("sante/pret/", home_views.readiness, name="readiness"),
    path("", include("stories.urls")),
    path("", include("events.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": SiteSitemap}}, name="sitemap"),
]

if settings.SERVE_MEDIA:
    # Only renditions are public: originals (media/original_images/) keep full resolution and are
    # never linked from the site, so they are not served at all.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>images/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

urlpatterns += [path("recherche/", site_search, name="search")]
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"

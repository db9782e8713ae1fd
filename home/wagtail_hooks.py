"""Admin behaviour owned by home: onboarding a hub on creation, impact figures, keeping other
neighbourhoods' drafts out of the page chooser, one person's data (« Données personnelles »), document
privacy and the second factor's screens."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.wagtail_hooks import require_wagtail_login

from home import admin_guards, document_privacy, personal_data_admin
from home.impact_admin import ImpactFigureViewSet
from home.models import NeighbourhoodPage
from home.onboarding import onboard_neighbourhood
from home.two_factor_views import SetupView, StatusView, VerifyView


@hooks.register("after_create_page")
def onboard_new_neighbourhood(request, page):
    """Creating a hub in the admin is the whole onboarding: group, collection and permissions."""
    if not isinstance(page.specific, NeighbourhoodPage):
        return None
    space, created = onboard_neighbourhood(page.specific)
    if created:
        messages.success(
            request,
            f"Espace de rédaction créé : groupe « {space.group.name} » et collection d'images "
            f"« {space.collection.name} ». Ajoutez-y les rédacteurs de l'association partenaire.",
        )
    return None


@hooks.register("construct_page_chooser_queryset")
def hide_other_drafts_from_chooser(pages, request):
    """The link chooser browses the whole tree; unpublished pages show only to those who may edit them,
    so an editor never reads the title of another neighbourhood's draft portrait."""
    return admin_guards.visible_pages(request.user, pages)


@hooks.register("register_admin_viewset")
def register_impact_figures():
    return ImpactFigureViewSet("chiffres-impact")


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [path("donnees-personnelles/", include((personal_data_admin.urlpatterns(), "personal_data")))]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return personal_data_admin.menu_item()


# Before Wagtail's own collection-privacy check (order 0), so this rule decides for every document.
@hooks.register("before_serve_document", order=-10)
def serve_documents_only_to_those_allowed(document, request):
    """See home/document_privacy.py: public documents to anyone, the others to their collection's
    people; a visitor who is not logged in is offered the login page."""
    if document_privacy.may_download(request.user, document):
        return None
    if getattr(request, "second_factor_step", None):
        # Logged in, second factor still owed (home/two_factor.py): the login page would loop.
        return redirect(request.second_factor_step)
    if not request.user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    raise PermissionDenied


@hooks.register("register_admin_urls")
def two_factor_urls():
    # Under /admin/, so Wagtail's admin-access check applies; home/two_factor.py lets a person
    # waiting for their second factor reach the first two.
    return [
        path("double-authentification/verifier/", VerifyView.as_view(), name="two_factor_verify"),
        path("double-authentification/activer/", SetupView.as_view(), name="two_factor_setup"),
        path("double-authentification/", StatusView.as_view(), name="two_factor_status"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_status"),
        "label": "Double authentification",
        "help_text": "Application d'authentification et codes de secours.",
    }

"""Admin behaviour owned by home: onboarding a hub on creation, impact figures, keeping other
neighbourhoods' drafts out of the page chooser, and one person's data (« Données personnelles »)."""

from django.contrib import messages
from django.urls import include, path
from wagtail import hooks

from home import admin_guards, personal_data_admin
from home.impact_admin import ImpactFigureViewSet
from home.models import NeighbourhoodPage
from home.onboarding import onboard_neighbourhood


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

"""Onboarding a neighbourhood: the command, the admin and ``setup_site`` give each hub its editors'
group, image collection and permissions, once — running anything again creates nothing new — and
the new editors can work straight away."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permissions import policy_registry

from home.models import EditorialSpace, NeighbourhoodPage
from home.onboarding import EDITOR_PAGE_PERMISSIONS, create_neighbourhood
from home.roles import COORDINATORS_GROUP, REVIEW_WORKFLOW
from home.site_structure import ensure_site_structure
from tests.editorial import draft_portrait, make_coordinator, make_editor, messages_text, neighbourhood_form, png_bytes
from tests.factories import NeighbourhoodPageFactory, PortraitPageFactory

User = get_user_model()


def counts():
    return {
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "spaces": EditorialSpace.objects.count(),
    }


def onboard(*args, **options):
    out = io.StringIO()
    call_command("onboard_neighbourhood", *args, stdout=out, **options)
    return out.getvalue()


def page_codenames(space):
    return set(GroupPagePermission.objects.filter(group=space.group).values_list("permission__codename", flat=True))


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_onboards_a_hub_its_editor_can_use_at_once(client, neighbourhood_index):
    output = onboard("Les Tilleuls", commune="Marseille 14e", department="13", editor=["x@example.org"])

    hub = NeighbourhoodPage.objects.get(slug="les-tilleuls")
    assert hub.get_parent().pk == neighbourhood_index.pk
    assert hub.url_path.endswith("/quartiers/les-tilleuls/")
    assert not hub.live  # a draft until a coordinator publishes it (or --publish)
    assert (hub.commune, hub.department) == ("Marseille 14e", "13")
    space = EditorialSpace.objects.get(neighbourhood=hub)
    assert space.group.name == "Rédaction — Les Tilleuls"
    assert space.collection.name == "Quartier — Les Tilleuls"
    assert space.collection.get_parent() == Collection.get_first_root_node()
    assert page_codenames(space) == set(EDITOR_PAGE_PERMISSIONS)
    assert set(GroupPagePermission.objects.filter(group=space.group).values_list("page_id", flat=True)) == {hub.pk}
    assert space.group.permissions.filter(codename="access_admin").exists()
    editor = User.objects.get(email="x@example.org")
    assert list(editor.groups.all()) == [space.group]
    assert not editor.has_usable_password()  # they choose it from the e-mailed link
    # Images and documents: add, change and choose in the hub's collection, nowhere else.
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        for action in ("add", "change", "choose"):
            assert list(policy.collections_user_has_permission_for(editor, action)) == [space.collection]
    assert "Les Tilleuls" in output
    assert "x@example.org" in output

    # Again, same arguments: nothing new anywhere.
    before = counts()
    second = onboard("Les Tilleuls", commune="Marseille 14e", department="13", editor=["x@example.org"])
    assert counts() == before
    assert "déjà en place, inchangé" in second
    assert "Compte créé" not in second

    # The editor works at once: the add-portrait screen under their hub, and an image upload that
    # lands in the hub's collection.
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", hub.pk]))
    assert response.status_code == 200

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Fresque des Tilleuls",
            "file": SimpleUploadedFile("fresque.png", png_bytes(), content_type="image/png"),
            "collection": space.collection.pk,
            "description": "La fresque peinte par les jeunes du quartier",
            "credit": "Association des Tilleuls",
            "tags": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    image = get_image_model().objects.get(title="Fresque des Tilleuls")
    assert image.collection == space.collection
    assert image.uploaded_by_user == editor

    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile("atelier.png", png_bytes(), content_type="image/png"),
            "collection": space.collection.pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["success"], response.json()
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    assert image.collection == space.collection

    # Another collection is not theirs: with one collection Wagtail drops the field, so whatever
    # is posted the upload lands in the hub's collection.
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ailleurs",
            "file": SimpleUploadedFile("ailleurs.png", png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert get_image_model().objects.get(title="Ailleurs").collection == space.collection


@pytest.mark.django_db
def test_command_without_publish_leaves_the_hub_a_draft(neighbourhood_index):
    onboard("Les Tilleuls", commune="Marseille 14e", department="13")

    hub = NeighbourhoodPage.objects.get(slug="les-tilleuls")
    assert not hub.live  # a draft until a coordinator publishes it, as the command's help says
    assert hub.live_revision is None


@pytest.mark.django_db
def test_command_publish_and_existing_account(neighbourhood_index):
    existing = User.objects.create_user("amel", email="Amel@Example.org", password="mot-de-passe-de-test")

    onboard("Le Castellas", commune="Arles", department="13", publish=True, editor=["amel@example.org"])

    hub = NeighbourhoodPage.objects.get(slug="le-castellas")
    assert hub.live
    existing.refresh_from_db()
    assert existing.groups.get() == hub.editorial_space.group
    assert existing.has_usable_password()
    assert User.objects.filter(email__iexact="amel@example.org").count() == 1


@pytest.mark.django_db
def test_command_all_completes_hubs_created_without_onboarding_and_is_idempotent(neighbourhood_index):
    bare = [
        NeighbourhoodPageFactory(parent=neighbourhood_index, title="Barbusse", slug="barbusse"),
        NeighbourhoodPageFactory(parent=neighbourhood_index, title="Les Aubagnens", slug="les-aubagnens"),
    ]
    assert not EditorialSpace.objects.filter(neighbourhood__in=bare).exists()
    # A space whose grants were removed by mistake is repaired too.
    _, done, _ = create_neighbourhood(
        neighbourhood_index, title="Kalliste", slug="kalliste", commune="Marseille 15e", department="13", intro="…"
    )
    GroupPagePermission.objects.filter(group=done.group).delete()

    output = onboard(all=True)

    assert "2 espace(s) de rédaction créé(s)" in output
    for hub in bare:
        space = EditorialSpace.objects.get(neighbourhood=hub)
        assert page_codenames(space) == set(EDITOR_PAGE_PERMISSIONS)
        assert space.collection.name == f"Quartier — {hub.title}"
    assert page_codenames(done) == set(EDITOR_PAGE_PERMISSIONS)

    before = counts()
    assert "0 espace(s) de rédaction créé(s)" in onboard(all=True)
    assert counts() == before


@pytest.mark.django_db
def test_command_refuses_missing_or_unknown_arguments(neighbourhood_index):
    from django.core.management.base import CommandError

    before = counts()
    with pytest.raises(CommandError, match="--commune"):
        onboard("Les Tilleuls", department="13")
    with pytest.raises(CommandError, match="Département inconnu"):
        onboard("Les Tilleuls", commune="Nulle part", department="99")
    assert counts() == before


# --- the admin ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_hub_in_the_admin_onboards_it_once(client, neighbourhood_index):
    coordinator = make_coordinator()
    client.force_login(coordinator)
    url = reverse("wagtailadmin_pages:add", args=["home", "neighbourhoodpage", neighbourhood_index.pk])

    response = client.post(url, neighbourhood_form())

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    hub = NeighbourhoodPage.objects.get(slug="les-micocouliers")
    assert hub.get_parent().pk == neighbourhood_index.pk
    assert (hub.title, hub.commune, hub.department) == ("Les Micocouliers", "Marseille 14e", "13")
    assert hub.intro == "Un quartier au nord de la ville."
    assert not hub.live
    space = EditorialSpace.objects.get(neighbourhood=hub)
    assert space.group.name == "Rédaction — Les Micocouliers"
    assert space.collection.name == "Quartier — Les Micocouliers"
    assert page_codenames(space) == set(EDITOR_PAGE_PERMISSIONS)
    assert "Espace de rédaction créé" in messages_text(response)

    before = counts()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[hub.pk]), neighbourhood_form(intro="Une présentation revue.")
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    after = counts()
    assert after["revisions"] == before["revisions"] + 1  # the edit itself, nothing else
    assert {key: value for key, value in after.items() if key != "revisions"} == {
        key: value for key, value in before.items() if key != "revisions"
    }
    assert EditorialSpace.objects.get(neighbourhood=hub) == space
    hub = NeighbourhoodPage.objects.get(pk=hub.pk)
    assert hub.get_latest_revision_as_object().intro == "Une présentation revue."


@pytest.mark.django_db
def test_page_chooser_hides_other_hubs_drafts_and_shows_their_live_pages(client, neighbourhood_index):
    def hub(title, slug):
        page, space, _ = create_neighbourhood(
            neighbourhood_index, title=title, slug=slug, commune=title, department="13", intro="…", publish=True
        )
        return page, space

    hub_a, space_a = hub("Saint-Barthélemy", "saint-barthelemy")
    hub_b, _ = hub("La Savine", "la-savine")
    draft_portrait(hub_a, title="Brouillon Albatros", slug="brouillon-albatros")
    draft_portrait(hub_b, title="Brouillon Bergeronnette", slug="brouillon-bergeronnette")
    live_b = PortraitPageFactory(parent=hub_b, title="Portrait publie Bergeronnette", slug="portrait-publie")
    client.force_login(make_editor(space_a, "redaction-saint-barth"))
    ajax = {"x-requested-with": "XMLHttpRequest"}

    browse_b = client.get(reverse("wagtailadmin_choose_page_child", args=[hub_b.pk]), headers=ajax)
    browse_a = client.get(reverse("wagtailadmin_choose_page_child", args=[hub_a.pk]), headers=ajax)
    search = client.get(reverse("wagtailadmin_choose_page_search") + "?q=Brouillon", headers=ajax)

    assert browse_b.status_code == browse_a.status_code == search.status_code == 200
    assert "Brouillon Bergeronnette" not in browse_b.content.decode()
    assert live_b.title in browse_b.content.decode()
    assert "Brouillon Albatros" in browse_a.content.decode()
    assert "Brouillon Bergeronnette" not in search.content.decode()
    assert "Brouillon Albatros" in search.content.decode()


# --- setup_site ---------------------------------------------------------------------------------------


def roles_state():
    coordinators = Group.objects.get(name=COORDINATORS_GROUP)
    return {
        "model_permissions": sorted(coordinators.permissions.values_list("content_type__app_label", "codename")),
        "page_permissions": sorted(
            GroupPagePermission.objects.filter(group=coordinators).values_list("page_id", "permission__codename")
        ),
        "collection_permissions": sorted(
            GroupCollectionPermission.objects.filter(group=coordinators).values_list(
                "collection_id", "permission__codename"
            )
        ),
        "workflows": list(Workflow.objects.values_list("pk", "name", "active")),
        "workflow_tasks": list(WorkflowTask.objects.values_list("workflow_id", "task_id", "sort_order")),
        "workflow_pages": list(WorkflowPage.objects.values_list("page_id", "workflow_id")),
        "counts": counts(),
    }


@pytest.mark.django_db
def test_site_structure_twice_leaves_roles_and_workflow_unchanged(site_tree):
    NeighbourhoodPageFactory(parent=site_tree["index"], title="Busserine", slug="busserine")
    ensure_site_structure()  # onboards the hub created without its space
    before = roles_state()

    ensure_site_structure()

    assert roles_state() == before
    assert Group.objects.filter(name=COORDINATORS_GROUP).count() == 1
    assert Workflow.objects.filter(name=REVIEW_WORKFLOW).count() == 1
    assert WorkflowPage.objects.get(page=site_tree["home"]).workflow.name == REVIEW_WORKFLOW
    assert before["page_permissions"] == sorted(
        (site_tree["home"].pk, codename)
        for codename in ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
    )

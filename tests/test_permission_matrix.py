"""The permission matrix of a neighbourhood editor, route by route, through the real admin.

Two hubs are onboarded the production way (``create_neighbourhood``). Editor A belongs to hub A's
group only. Every admin route is tried twice:

* on hub B's content: refused (403/404/400 or a redirect to the admin home or login), nothing of B's
  private data in the answer (draft titles, portrait subjects, registrants, image and document
  titles), and nothing changed in the database;
* on hub A's content: it works and the change really happened — except where the refusal is the
  rule (no publishing for editors, no deleting a live page, no deleting documents), each marked
  ``by_design`` with its reason.

Listings (indexes, choosers, search, reports, the admin API) are in their own table: they answer 200
to both, with A's items and without B's private ones.

The second limited role, a company account (it edits one company page, nothing in any hub), is
tried on every route and listing too: refused everywhere, nothing of either hub's private data shown.
Messages Wagtail queues for the next page (« The page '…' is not awaiting moderation », « The slug
'…' is already in use ») count as shown."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from events.models import Registration
from home.document_privacy import PUBLIC_DOCUMENTS_COLLECTION
from home.models import EditorialSpace
from home.roles import (
    COORDINATORS_GROUP,
    REVIEW_TASK,
    REVIEW_WORKFLOW,
    WAGTAIL_DEFAULT_GROUPS,
    WAGTAIL_DEFAULT_WORKFLOW,
    retire_wagtail_defaults,
)
from home.site_structure import ensure_site_structure
from stories.accounts import ensure_company_account
from stories.models import CONSENT_COLLECTION_NAME, CompanyIndexPage, ConsentHandover, PortraitPage
from stories.site_structure import ensure_consent_collection
from tests.editorial import (
    body_text,
    build_two_hubs,
    make_coordinator,
    messages_text,
    portrait_form,
    record_consent,
    site_counts,
    snapshot,
)
from tests.factories import CompanyPageFactory, UserFactory

ADMIN_HOME = "/admin/"
LOGIN = "/admin/login/"


# --- the world ------------------------------------------------------------------------------------


@dataclass
class World:
    a: object
    b: object
    coordinator: object
    company: object  # a company account's user: rights on one company page, none in any hub
    company_page: object


def make_company_account():
    index = CompanyIndexPage.objects.get()
    company = CompanyPageFactory(parent=index, title="Garage Matrice", slug="garage-matrice", live=False)
    company.save_revision().publish()
    account, _ = ensure_company_account(company)
    user = UserFactory(username="entreprise-matrice", email="contact@garage-matrice.example")
    user.groups.add(account.group)
    return company, user


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """Built once for the module (it takes seconds), inside a transaction rolled back at the end;
    each test runs in its own savepoint on top (the ``db`` fixture), so what a test changes is
    undone before the next one."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            _, index = ensure_site_structure()
            hub_a, hub_b = build_two_hubs(index)
            company_page, company_user = make_company_account()
            yield World(
                a=hub_a, b=hub_b, coordinator=make_coordinator(), company=company_user, company_page=company_page
            )
            transaction.set_rollback(True)
        # Wagtail caches the site's root paths: forget this module's site.
        cache.clear()


@pytest.fixture
def world(db, world_once):
    return world_once


@pytest.fixture
def editor_client(client, world):
    client.force_login(world.a.editor)
    return client


@dataclass
class Limited:
    """A limited role under test: its logged-in client and the hubs whose private data it must
    never see (the editor may see their own hub A; the company neither hub)."""

    name: str
    client: object
    unseen: list


@pytest.fixture(params=["editor", "company"])
def limited(request, client, world):
    if request.param == "editor":
        client.force_login(world.a.editor)
        return Limited("editor", client, [world.b])
    client.force_login(world.company)
    return Limited("company", client, [world.a, world.b])


# --- route helpers --------------------------------------------------------------------------------


def page_url(name, attr="draft", *extra):
    return lambda t, h: reverse(f"wagtailadmin_pages:{name}", args=[getattr(t, attr).pk, *extra])


def latest_revision_id(page):
    return Page.objects.get(pk=page.pk).get_latest_revision().pk


def task_state_id(page):
    return WorkflowState.objects.get(object_id=str(page.pk), status="in_progress").current_task_state_id


def workflow_state_id(page):
    return WorkflowState.objects.get(object_id=str(page.pk)).pk


def bulk(app, model, action, query):
    return lambda t, h: reverse("wagtail_bulk_action", args=[app, model, action]) + "?" + query(t, h)


def image_form(image, **overrides):
    return {
        "title": image.title,
        "collection": image.collection_id,
        "tags": "",
        "description": image.description,
        "credit": image.credit,
        **overrides,
    }


def document_form(document, **overrides):
    return {"title": document.title, "collection": document.collection_id, "tags": "", **overrides}


def registration_form(registration, **overrides):
    return {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "phone": registration.phone,
        "guardian_email": registration.guardian_email,
        "age_range": registration.age_range,
        "neighbourhood": registration.neighbourhood,
        "companion": registration.companion,
        **overrides,
    }


def page_from_db(page):
    return Page.objects.get(pk=page.pk)


def latest_draft_title(page):
    return page_from_db(page).get_latest_revision().content["title"]


# --- checks on A's own content --------------------------------------------------------------------


@dataclass
class Done:
    """What editor A sees and what the database holds after the route on A's own content."""

    response: object
    hub: object
    world: World


def ok(*present):
    """A plain 200 showing the object (``present`` are attribute paths on the hub, e.g. "draft.title")."""

    def check(done):
        assert done.response.status_code == 200, done.response.status_code
        text = body_text(done.response)
        for path in present:
            value = done.hub
            for part in path.split("."):
                value = getattr(value, part)
            assert str(value) in text, path

    return check


def redirected(check_db):
    def check(done):
        assert done.response.status_code == 302, getattr(done.response, "context", None) and _form_errors(done)
        assert not done.response["Location"].startswith(LOGIN)
        check_db(done)

    return check


def _form_errors(done):
    context = done.response.context
    form = context.get("form") if context else None
    return form.errors if form is not None else ""


@dataclass
class ByDesign:
    """The refusal is the rule for editors on their own content too: ``reason`` says why."""

    reason: str
    still: Callable | None = None  # extra check that nothing happened


# --- the route table ------------------------------------------------------------------------------


@dataclass
class Route:
    id: str
    method: str
    url: Callable  # (target hub, editor's hub) -> url
    data: Callable | None = None  # (target hub, editor's hub) -> POST data
    on_a: object = None  # check on A's own content: a callable(Done) or ByDesign
    setup: Callable | None = None  # (hub, world) -> None, run on both sides before the request
    ajax: bool = False
    # Where Wagtail may send a refused request besides the dashboard and login: (target, home) -> url
    refused_to: Callable | None = None


def _edit_saved(done):
    assert latest_draft_title(done.hub.draft) == "Titre change"
    assert not page_from_db(done.hub.draft).live


def _submitted(done):
    state = WorkflowState.objects.get(object_id=str(done.hub.draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page_from_db(done.hub.draft).live


def _copied(done):
    copy = PortraitPage.objects.get(slug="copie-du-brouillon")
    assert copy.get_parent().pk == done.hub.page.pk
    assert not copy.live
    assert copy.owner_id == done.world.a.editor.pk


def _moved_within_hub(done):
    # The only place an editor may move a portrait to is their own hub: the page stays there.
    assert page_from_db(done.hub.draft).get_parent().pk == done.hub.page.pk


def _deleted(done):
    assert not Page.objects.filter(pk=done.hub.draft.pk).exists()


def _locked(done):
    page = page_from_db(done.hub.draft)
    assert page.locked
    assert page.locked_by_id == done.world.a.editor.pk


def _unlocked(done):
    assert not page_from_db(done.hub.draft).locked


def _added(done):
    page = PortraitPage.objects.get(slug="ines-boulangere")
    assert page.get_parent().pk == done.hub.page.pk
    assert not page.live
    assert page.owner_id == done.world.a.editor.pk


def _image_renamed(done):
    assert get_image_model().objects.get(pk=done.hub.image.pk).title == "Titre change"


def _image_deleted(done):
    assert not get_image_model().objects.filter(pk=done.hub.image.pk).exists()


def _document_renamed(done):
    assert get_document_model().objects.get(pk=done.hub.document.pk).title == "Titre change"


def _registration_saved(done):
    assert Registration.objects.get(pk=done.hub.registration.pk).phone == "0600000000"


def _registration_deleted(done):
    # Deleting from the admin cancels first (the seat goes to the waiting list), then removes the row.
    assert not Registration.objects.filter(pk=done.hub.registration.pk).exists()


def _not_live(attr):
    def check(done):
        assert not page_from_db(getattr(done.hub, attr)).live

    return check


def _still_live(done):
    assert page_from_db(done.hub.live).live


def _workflow_untouched(done):
    state = WorkflowState.objects.get(object_id=str(done.hub.moderated.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == "in_progress"
    assert not page_from_db(done.hub.moderated).live


def _document_deleted(done):
    assert not get_document_model().objects.filter(pk=done.hub.document.pk).exists()


def _downloaded(done):
    assert body_text(done.response) == "Compte rendu de reunion"


def review_task_id():
    return Task.objects.get(name=REVIEW_TASK).pk


def _lock_draft(hub, world):
    Page.objects.filter(pk=hub.draft.pk).update(locked=True, locked_by=hub.editor)


def _json_ok(done):
    assert done.response.status_code == 200
    assert done.response.json()


NO_PUBLISH = "editors never publish: publishing is the coordinators' (review workflow)"
NO_REVIEW = "only coordinators act on a review task; editors submit"
# The site does not route Wagtail's dynamic image serve view, so the URL generator is off for all.
NO_URL_GENERATOR = "no wagtailimages_serve view on this site: the URL generator answers 404 to everyone"

ROUTES = [
    # pages: the editor and its side doors
    Route("page-edit-get", "get", page_url("edit"), on_a=ok("draft.title")),
    Route(
        "page-edit-post",
        "post",
        page_url("edit"),
        lambda t, h: portrait_form(t.draft, title="Titre change"),
        on_a=redirected(_edit_saved),
    ),
    Route(
        "page-edit-post-submit",
        "post",
        page_url("edit"),
        lambda t, h: portrait_form(t.draft, title="Titre change", **{"action-submit": "Soumettre"}),
        on_a=redirected(_submitted),
    ),
    Route(
        "page-edit-post-publish",
        "post",
        page_url("edit"),
        lambda t, h: portrait_form(t.draft, **{"action-publish": "action-publish"}),
        on_a=ByDesign(NO_PUBLISH, _not_live("draft")),
        setup=lambda hub, world: record_consent(hub.draft),
        refused_to=lambda t, h: reverse("wagtailadmin_pages:edit", args=[t.draft.pk]),
    ),
    Route(
        "page-preview-post",
        "post",
        page_url("preview_on_edit"),
        lambda t, h: portrait_form(t.draft, title="Titre change"),
        on_a=_json_ok,
    ),
    Route("page-preview-get", "get", page_url("preview_on_edit"), on_a=ok()),
    Route("page-view-draft", "get", page_url("view_draft"), on_a=ok("draft.first_name")),
    Route(
        "page-revision-view",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:revisions_view", args=[t.draft.pk, latest_revision_id(t.draft)]),
        on_a=ok("draft.first_name"),
    ),
    Route(
        "page-revisions-compare",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:revisions_compare", args=[t.draft.pk, "earliest", "latest"]),
        on_a=ok(),
    ),
    Route(
        "page-revision-revert-get",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:revisions_revert", args=[t.draft.pk, latest_revision_id(t.draft)]),
        on_a=ok("draft.title"),
    ),
    Route("page-history", "get", page_url("history"), on_a=ok("draft.title")),
    Route("page-history-results", "get", page_url("history_results"), on_a=ok()),
    Route("page-usage", "get", page_url("usage"), on_a=ok()),
    Route("page-workflow-history", "get", page_url("workflow_history", "moderated"), on_a=ok("moderated.title")),
    Route(
        "page-workflow-history-detail",
        "get",
        lambda t, h: reverse(
            "wagtailadmin_pages:workflow_history_detail", args=[t.moderated.pk, workflow_state_id(t.moderated)]
        ),
        on_a=ok("moderated.title"),
    ),
    Route("page-copy-get", "get", page_url("copy"), on_a=ok("draft.title")),
    Route(
        "page-copy-post-into-a",
        "post",
        page_url("copy"),
        lambda t, h: {
            "new_title": "Copie du brouillon",
            "new_slug": "copie-du-brouillon",
            "new_parent_page": h.page.pk,
        },
        on_a=redirected(_copied),
    ),
    Route("page-move-get", "get", page_url("move"), on_a=ok("draft.title")),
    Route(
        "page-move-confirm-post-into-a",
        "post",
        lambda t, h: reverse("wagtailadmin_pages:move_confirm", args=[t.draft.pk, h.page.pk]),
        lambda t, h: {},
        on_a=redirected(_moved_within_hub),
    ),
    Route(
        "page-set-position-post",
        "post",
        lambda t, h: reverse("wagtailadmin_pages:set_page_position", args=[t.draft.pk]) + "?position=0",
        lambda t, h: {},
        on_a=ByDesign("reordering a hub's pages changes the live site: publishers only"),
    ),
    Route("page-delete-get", "get", page_url("delete"), on_a=ok("draft.title")),
    Route("page-delete-post", "post", page_url("delete"), lambda t, h: {}, on_a=redirected(_deleted)),
    Route(
        "page-delete-live-post",
        "post",
        page_url("delete", "live"),
        lambda t, h: {},
        on_a=ByDesign("Wagtail lets a non-publisher delete only their own unpublished pages", _still_live),
    ),
    Route("page-unpublish-get", "get", page_url("unpublish", "live"), on_a=ByDesign(NO_PUBLISH)),
    Route(
        "page-unpublish-post",
        "post",
        page_url("unpublish", "live"),
        lambda t, h: {},
        on_a=ByDesign(NO_PUBLISH, _still_live),
    ),
    Route("page-privacy-get", "get", page_url("set_privacy"), on_a=ByDesign("view restrictions need publish")),
    Route("page-lock-post", "post", page_url("lock"), lambda t, h: {}, on_a=redirected(_locked)),
    Route(
        "page-unlock-post", "post", page_url("unlock"), lambda t, h: {}, on_a=redirected(_unlocked), setup=_lock_draft
    ),
    Route("page-add-subpage-get", "get", page_url("add_subpage", "page"), on_a=ok()),
    Route(
        "page-add-portrait-get",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", t.page.pk]),
        on_a=ok(),
    ),
    Route(
        "page-add-portrait-post",
        "post",
        lambda t, h: reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", t.page.pk]),
        lambda t, h: portrait_form(),
        on_a=redirected(_added),
    ),
    Route(
        "page-editing-session-ping",
        "post",
        lambda t, h: reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", t.draft.pk, 0]),
        lambda t, h: {},
        on_a=_json_ok,
    ),
    Route(
        "page-explore-hub",
        "get",
        lambda t, h: reverse("wagtailadmin_explore", args=[t.page.pk]),
        on_a=ok("draft.title"),
        # Wagtail sends the editor back to the root of what they may explore: their own hub.
        refused_to=lambda t, h: reverse("wagtailadmin_explore", args=[h.page.pk]),
    ),
    Route(
        "page-api-detail",
        "get",
        lambda t, h: reverse("wagtailadmin_api:pages:detail", args=[t.draft.pk]),
        on_a=ok("draft.title"),
    ),
    Route(
        "page-api-children",
        "get",
        lambda t, h: reverse("wagtailadmin_api:pages:listing") + f"?child_of={t.page.pk}&for_explorer=1",
        on_a=ok("draft.title"),
    ),
    # the review workflow (B's "Relecture" portrait is in progress, submitted by editor B)
    Route(
        "workflow-approve-post",
        "post",
        lambda t, h: reverse(
            "wagtailadmin_pages:workflow_action", args=[t.moderated.pk, "approve", task_state_id(t.moderated)]
        ),
        lambda t, h: {"comment": ""},
        on_a=ByDesign(NO_REVIEW, _workflow_untouched),
    ),
    Route(
        "workflow-reject-post",
        "post",
        lambda t, h: reverse(
            "wagtailadmin_pages:workflow_action", args=[t.moderated.pk, "reject", task_state_id(t.moderated)]
        ),
        lambda t, h: {"comment": "Non"},
        on_a=ByDesign(NO_REVIEW, _workflow_untouched),
    ),
    Route(
        "workflow-collect-action-data",
        "get",
        lambda t, h: reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[t.moderated.pk, "approve", task_state_id(t.moderated)],
        ),
        on_a=ByDesign(NO_REVIEW),
    ),
    Route(
        "workflow-preview",
        "get",
        lambda t, h: reverse(
            "wagtailadmin_pages:workflow_preview",
            args=[t.moderated.pk, WorkflowState.objects.get(object_id=str(t.moderated.pk)).current_task_state.task_id],
        ),
        on_a=ByDesign(NO_REVIEW),
    ),
    # Wagtail checked nothing before naming the page in « not awaiting moderation » messages
    # (shown on the next page): any page id, drafts included, with any task or task state id.
    Route(
        "workflow-preview-page-not-in-review",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:workflow_preview", args=[t.draft.pk, review_task_id()]),
        on_a=ByDesign("nothing to preview: the page is not in review"),
    ),
    Route(
        "workflow-action-page-not-in-review",
        "post",
        lambda t, h: reverse(
            "wagtailadmin_pages:workflow_action", args=[t.draft.pk, "approve", task_state_id(t.moderated)]
        ),
        lambda t, h: {"comment": ""},
        on_a=ByDesign(NO_REVIEW, _not_live("draft")),
        refused_to=lambda t, h: reverse("wagtailadmin_pages:edit", args=[t.draft.pk]),
    ),
    Route(
        "workflow-collect-action-data-page-not-in-review",
        "get",
        lambda t, h: reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[t.draft.pk, "approve", task_state_id(t.moderated)],
        ),
        on_a=ByDesign(NO_REVIEW),
        refused_to=lambda t, h: reverse("wagtailadmin_pages:edit", args=[t.draft.pk]),
    ),
    Route(
        "workflow-confirm-cancellation",
        "get",
        page_url("confirm_workflow_cancellation", "moderated"),
        on_a=_json_ok,
    ),
    # the move confirmation named the page and the destination before any check, and its « slug
    # already in use » message told whether a page with that slug exists under the destination
    Route(
        "page-move-confirm-get",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:move_confirm", args=[t.draft.pk, h.page.pk]),
        on_a=ok("draft.title"),
    ),
    Route(
        "page-move-confirm-get-own-page-into-hub",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:move_confirm", args=[h.draft.pk, t.page.pk]),
        on_a=ok("draft.title"),
        # The page being moved carries the slug of the target hub's draft: a « slug in use » answer
        # would confirm that draft exists.
        setup=lambda hub, world: Page.objects.filter(pk=world.a.draft.pk).update(slug=hub.draft.slug),
    ),
    Route(
        "page-revision-unschedule-get",
        "get",
        lambda t, h: reverse("wagtailadmin_pages:revisions_unschedule", args=[t.draft.pk, latest_revision_id(t.draft)]),
        on_a=ByDesign(NO_PUBLISH),
    ),
    Route(
        "page-chooser-chosen-multiple",
        "get",
        lambda t, h: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={t.draft.pk}&id={t.moderated.pk}",
        on_a=ok("draft.title", "moderated.title"),
        ajax=True,
    ),
    # bulk actions: the confirmation screens list the pages chosen
    Route(
        "bulk-page-delete-get",
        "get",
        bulk("wagtailcore", "page", "delete", lambda t, h: f"id={t.draft.pk}"),
        on_a=ok("draft.title"),
    ),
    Route(
        "bulk-page-delete-post",
        "post",
        bulk("wagtailcore", "page", "delete", lambda t, h: f"id={t.draft.pk}"),
        lambda t, h: {},
        on_a=redirected(_deleted),
        refused_to=lambda t, h: reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]),
    ),
    Route(
        "bulk-page-move-get",
        "get",
        bulk("wagtailcore", "page", "move", lambda t, h: f"id={t.draft.pk}"),
        on_a=ok("draft.title"),
    ),
    Route(
        "bulk-page-unpublish-post",
        "post",
        bulk("wagtailcore", "page", "unpublish", lambda t, h: f"id={t.live.pk}"),
        lambda t, h: {},
        on_a=ByDesign(NO_PUBLISH, _still_live),
        refused_to=lambda t, h: reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"]),
    ),
    Route(
        "bulk-page-publish-post",
        "post",
        bulk("wagtailcore", "page", "publish", lambda t, h: f"id={t.draft.pk}"),
        lambda t, h: {},
        on_a=ByDesign(NO_PUBLISH, _not_live("draft")),
        setup=lambda hub, world: record_consent(hub.draft),
        refused_to=lambda t, h: reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]),
    ),
    Route(
        "bulk-page-all-children-get",
        "get",
        bulk("wagtailcore", "page", "delete", lambda t, h: f"id=all&childOf={t.page.pk}"),
        on_a=ok("draft.title"),
    ),
    # images of the hub's collection
    Route(
        "image-edit-get", "get", lambda t, h: reverse("wagtailimages:edit", args=[t.image.pk]), on_a=ok("image.title")
    ),
    Route(
        "image-edit-post",
        "post",
        lambda t, h: reverse("wagtailimages:edit", args=[t.image.pk]),
        lambda t, h: image_form(t.image, title="Titre change"),
        on_a=redirected(_image_renamed),
    ),
    Route(
        "image-edit-post-into-a",
        "post",
        lambda t, h: reverse("wagtailimages:edit", args=[t.image.pk]),
        lambda t, h: image_form(t.image, title="Titre change", collection=h.collection.pk),
        on_a=redirected(_image_renamed),
    ),
    Route(
        "image-delete-get",
        "get",
        lambda t, h: reverse("wagtailimages:delete", args=[t.image.pk]),
        on_a=ok("image.title"),
    ),
    Route(
        "image-delete-post",
        "post",
        lambda t, h: reverse("wagtailimages:delete", args=[t.image.pk]),
        lambda t, h: {},
        on_a=redirected(_image_deleted),
    ),
    Route(
        "image-preview",
        "get",
        lambda t, h: reverse("wagtailimages:preview", args=[t.image.pk, "original"]),
        on_a=lambda done: _status(done, 200),
    ),
    Route(
        "image-generate-url",
        "get",
        lambda t, h: reverse("wagtailimages:url_generator", args=[t.image.pk]),
        on_a=ByDesign(NO_URL_GENERATOR),
    ),
    Route(
        "image-generate-url-output",
        "get",
        lambda t, h: reverse("wagtailimages:url_generator_output", args=[t.image.pk]) + "?filter_method=original",
        on_a=ByDesign(NO_URL_GENERATOR),
    ),
    Route("image-usage", "get", lambda t, h: reverse("wagtailimages:image_usage", args=[t.image.pk]), on_a=ok()),
    Route(
        "image-chooser-chosen",
        "get",
        lambda t, h: reverse("wagtailimages_chooser:chosen", args=[t.image.pk]),
        on_a=ok("image.title"),
        ajax=True,
    ),
    Route(
        "image-chooser-select-format",
        "get",
        lambda t, h: reverse("wagtailimages_chooser:select_format", args=[t.image.pk]),
        on_a=ok(),
        ajax=True,
    ),
    Route(
        "image-edit-multiple-post",
        "post",
        lambda t, h: reverse("wagtailimages:edit_multiple", args=[t.image.pk]),
        lambda t, h: {f"image-{t.image.pk}-{k}": v for k, v in image_form(t.image, title="Titre change").items()},
        on_a=lambda done: (_json_ok(done), _image_renamed(done)),
        ajax=True,
    ),
    Route(
        "image-delete-multiple-post",
        "post",
        lambda t, h: reverse("wagtailimages:delete_multiple", args=[t.image.pk]),
        lambda t, h: {},
        on_a=lambda done: (_json_ok(done), _image_deleted(done)),
        ajax=True,
    ),
    Route(
        "image-api-detail",
        "get",
        lambda t, h: reverse("wagtailadmin_api:images:detail", args=[t.image.pk]),
        on_a=ok("image.title"),
    ),
    Route(
        "bulk-image-delete-get",
        "get",
        lambda t, h: reverse("wagtail_bulk_action", args=["home", "customimage", "delete"]) + f"?id={t.image.pk}",
        on_a=ok("image.title"),
    ),
    Route(
        "bulk-image-add-to-collection-post",
        "post",
        lambda t, h: (
            reverse("wagtail_bulk_action", args=["home", "customimage", "add_to_collection"]) + f"?id={t.image.pk}"
        ),
        lambda t, h: {"collection": h.collection.pk},
        on_a=redirected(lambda done: None),
        refused_to=lambda t, h: reverse("wagtail_bulk_action", args=["home", "customimage", "add_to_collection"]),
    ),
    # documents of the hub's collection
    Route(
        "document-edit-get",
        "get",
        lambda t, h: reverse("wagtaildocs:edit", args=[t.document.pk]),
        on_a=ok("document.title"),
    ),
    Route(
        "document-edit-post",
        "post",
        lambda t, h: reverse("wagtaildocs:edit", args=[t.document.pk]),
        lambda t, h: document_form(t.document, title="Titre change"),
        on_a=redirected(_document_renamed),
    ),
    Route(
        "document-delete-post",
        "post",
        lambda t, h: reverse("wagtaildocs:delete", args=[t.document.pk]),
        lambda t, h: {},
        # Onboarding grants documents add/change/choose only, but Wagtail's collection ownership
        # policy treats "delete" as "change": editors do delete their hub's documents.
        on_a=redirected(_document_deleted),
    ),
    Route("document-usage", "get", lambda t, h: reverse("wagtaildocs:document_usage", args=[t.document.pk]), on_a=ok()),
    Route(
        "document-chooser-chosen",
        "get",
        lambda t, h: reverse("wagtaildocs_chooser:chosen", args=[t.document.pk]),
        on_a=ok("document.title"),
        ajax=True,
    ),
    Route(
        "document-edit-multiple-post",
        "post",
        lambda t, h: reverse("wagtaildocs:edit_multiple", args=[t.document.pk]),
        lambda t, h: {
            f"doc-{t.document.pk}-{k}": v for k, v in document_form(t.document, title="Titre change").items()
        },
        on_a=lambda done: (_json_ok(done), _document_renamed(done)),
        ajax=True,
    ),
    Route(
        "document-api-detail",
        "get",
        lambda t, h: reverse("wagtailadmin_api:documents:detail", args=[t.document.pk]),
        on_a=ok("document.title"),
    ),
    Route(
        "bulk-document-delete-get",
        "get",
        lambda t, h: (
            reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"]) + f"?id={t.document.pk}"
        ),
        on_a=ok("document.title"),
    ),
    Route(
        "document-download",
        "get",
        lambda t, h: t.document.url,
        on_a=lambda done: (_status(done, 200), _downloaded(done)),
    ),
    # registrations of the hub's events
    Route(
        "registration-edit-get",
        "get",
        lambda t, h: reverse("inscriptions:edit", args=[t.registration.pk]),
        on_a=ok("registration.first_name"),
    ),
    Route(
        "registration-edit-post",
        "post",
        lambda t, h: reverse("inscriptions:edit", args=[t.registration.pk]),
        lambda t, h: registration_form(t.registration, phone="0600000000"),
        on_a=redirected(_registration_saved),
    ),
    Route(
        "registration-delete-get",
        "get",
        lambda t, h: reverse("inscriptions:delete", args=[t.registration.pk]),
        on_a=ok(),
    ),
    Route(
        "registration-delete-post",
        "post",
        lambda t, h: reverse("inscriptions:delete", args=[t.registration.pk]),
        lambda t, h: {},
        on_a=redirected(_registration_deleted),
    ),
]


# --- the consent hand-over (stories/consent_handover.py) -------------------------------------------


def signed_form(t, h):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"signed_form": SimpleUploadedFile("formulaire.pdf", b"%PDF-1.4 signed", "application/pdf"), "note": ""}


def _handed_over(done):
    handover = ConsentHandover.objects.get(portrait_id=done.hub.draft.pk)
    assert handover.handed_over_by_id == done.world.a.editor.pk
    assert handover.document.collection.name == CONSENT_COLLECTION_NAME


NO_LEDGER = "the consent ledger is the coordinators': editors hand the signed form over instead"

ROUTES += [
    Route(
        "consent-handover-get",
        "get",
        lambda t, h: reverse("consent_handover", args=[t.draft.pk]),
        on_a=ok("draft.title"),
    ),
    Route(
        "consent-handover-post",
        "post",
        lambda t, h: reverse("consent_handover", args=[t.draft.pk]),
        signed_form,
        on_a=redirected(_handed_over),
    ),
    Route(
        "consent-ledger-add-for-portrait",
        "get",
        lambda t, h: f"{reverse('consentements:add')}?portrait={t.draft.pk}",
        on_a=ByDesign(NO_LEDGER),
    ),
]

# bulk-document-delete-get answers 200 with an empty confirmation on B (hidden) and lists the
# document as not allowed on A: both are "no access", neither leaks B's title.
LISTING_LIKE = {"bulk-page-delete-get", "bulk-page-move-get", "bulk-page-all-children-get", "bulk-image-delete-get"}
LISTING_LIKE |= {"bulk-document-delete-get"}
# A company holds no collection at all: the bulk form answers 200 with nothing in it.
LISTING_LIKE |= {"bulk-image-add-to-collection-post"}
# The chooser's "chosen" answer lists only the pages the user may see: 200 with none of B's.
LISTING_LIKE |= {"page-chooser-chosen-multiple"}


def _status(done, status):
    assert done.response.status_code == status


def request(client, route, target, home):
    url = route.url(target, home)
    headers = {"x-requested-with": "XMLHttpRequest"} if route.ajax else {}
    if route.method == "get":
        return client.get(url, headers=headers)
    return client.post(url, route.data(target, home), headers=headers)


def assert_refused(response, route_id, also=None):
    """Refused: an error status or Wagtail's redirect to the dashboard/login with its message
    (or to one of ``also``, the route's own known refusal redirects)."""
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        also = [also] if isinstance(also, str) else also or []
        allowed = location == ADMIN_HOME or location in also or location.startswith(LOGIN)
        assert allowed, f"{route_id}: redirected to {location}"
    elif route_id in LISTING_LIKE:
        assert status in (200, 400, 403, 404), status
    else:
        assert status in (400, 403, 404), f"{route_id}: answered {status}"


def assert_nothing_leaked(response, hub):
    # Messages are shown on the next page (often the dashboard a refusal redirects to).
    text = body_text(response) + messages_text(response)
    for secret in hub.secrets:
        assert secret not in text, f"« {secret} » shown"


# --- 1. every route on B's content is refused and changes nothing ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_limited_roles_are_refused_on_hub_b(limited, world, route):
    if route.setup:
        route.setup(world.b, world)
    before, before_a, counts = snapshot(world.b), snapshot(world.a), site_counts()

    response = request(limited.client, route, world.b, world.a)

    also = route.refused_to and route.refused_to(world.b, world.a)
    if limited.name == "company":
        # Wagtail sends a company back to the only part of the tree it may explore: its own page.
        also = [also, reverse("wagtailadmin_explore", args=[world.company_page.pk])]
    assert_refused(response, route.id, also)
    for hub in limited.unseen:
        assert_nothing_leaked(response, hub)
    assert snapshot(world.b) == before
    assert snapshot(world.a) == before_a  # nothing of B's was copied or moved into A either
    assert site_counts() == counts


# --- 2. the same routes on A's own content work ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_editor_a_works_on_hub_a(editor_client, world, route):
    if route.setup:
        route.setup(world.a, world)
    before_b = snapshot(world.b)

    response = request(editor_client, route, world.a, world.a)

    if isinstance(route.on_a, ByDesign):
        assert_refused(response, route.id, route.refused_to and route.refused_to(world.a, world.a))
        if route.on_a.still:
            route.on_a.still(Done(response, world.a, world))
    else:
        route.on_a(Done(response, world.a, world))
    assert_nothing_leaked(response, world.b)
    assert snapshot(world.b) == before_b


# --- 3. listings: 200 for both, A's items in, B's private ones out --------------------------------


@dataclass
class Listing:
    id: str
    url: Callable  # (world) -> url
    present: Callable = lambda world: []  # strings that must show
    ajax: bool = False


def _q(url, **params):
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}"


LISTINGS = [
    Listing("dashboard", lambda w: reverse("wagtailadmin_home"), lambda w: [w.a.moderated.title]),
    Listing("explorer-root", lambda w: reverse("wagtailadmin_explore_root")),
    Listing(
        "explorer-index",
        lambda w: reverse("wagtailadmin_explore", args=[w.b.page.get_parent().pk]),
        lambda w: [w.a.page.title],
    ),
    Listing(
        "page-search-common-word",
        lambda w: _q(reverse("wagtailadmin_pages:search"), q="Brouillon"),
        lambda w: [w.a.draft.title],
    ),
    Listing("page-search-b-hub-word", lambda w: _q(reverse("wagtailadmin_pages:search"), q="Zinnias")),
    Listing(
        "page-search-results",
        lambda w: _q(reverse("wagtailadmin_pages:search_results"), q="Relecture"),
        lambda w: [w.a.moderated.title],
    ),
    Listing(
        "page-type-use",
        lambda w: reverse("wagtailadmin_pages:type_use", args=["stories", "portraitpage"]),
        lambda w: [w.a.draft.title],
    ),
    Listing("page-chooser-root", lambda w: reverse("wagtailadmin_choose_page"), ajax=True),
    Listing(
        "page-chooser-browse-b-hub",
        lambda w: reverse("wagtailadmin_choose_page_child", args=[w.b.page.pk]),
        lambda w: [w.b.live.title],  # published pages are public: they may be linked to
        ajax=True,
    ),
    Listing(
        "page-chooser-browse-a-hub",
        lambda w: reverse("wagtailadmin_choose_page_child", args=[w.a.page.pk]),
        lambda w: [w.a.draft.title, w.a.live.title],
        ajax=True,
    ),
    Listing(
        "page-chooser-search",
        lambda w: _q(reverse("wagtailadmin_choose_page_search"), q="Brouillon"),
        lambda w: [w.a.draft.title],
        ajax=True,
    ),
    Listing(
        "page-chooser-search-b-hub-word",
        lambda w: _q(reverse("wagtailadmin_choose_page_search"), q="Zinnias"),
        ajax=True,
    ),
    Listing("images-index", lambda w: reverse("wagtailimages:index"), lambda w: [w.a.image.title]),
    Listing(
        "images-index-b-collection",
        lambda w: _q(reverse("wagtailimages:index_results"), collection_id=w.b.collection.pk),
    ),
    Listing(
        "images-index-search",
        lambda w: _q(reverse("wagtailimages:index_results"), q="Photo atelier"),
        lambda w: [w.a.image.title],
    ),
    Listing("image-chooser", lambda w: reverse("wagtailimages_chooser:choose"), lambda w: [w.a.image.title], ajax=True),
    Listing(
        "image-chooser-results-b-collection",
        lambda w: _q(reverse("wagtailimages_chooser:choose_results"), collection_id=w.b.collection.pk, q="Photo"),
        ajax=True,
    ),
    Listing("documents-index", lambda w: reverse("wagtaildocs:index"), lambda w: [w.a.document.title]),
    Listing(
        "document-chooser", lambda w: reverse("wagtaildocs_chooser:choose"), lambda w: [w.a.document.title], ajax=True
    ),
    Listing(
        "registrations",
        lambda w: reverse("inscriptions:index"),
        lambda w: [w.a.registration.first_name, w.a.event.title],
    ),
    Listing(
        "registrations-search-both",
        lambda w: _q(reverse("inscriptions:index_results"), q="example.org"),
        lambda w: [w.a.registration.first_name],
    ),
    Listing(
        "registrations-filter-b-event",
        lambda w: _q(reverse("inscriptions:index"), event=w.b.event.pk),
    ),
    Listing(
        "registrations-export-csv",
        lambda w: _q(reverse("inscriptions:index"), export="csv"),
        lambda w: [w.a.registration.email],
    ),
    Listing("report-locked-pages", lambda w: reverse("wagtailadmin_reports:locked_pages")),
    Listing("report-aging-pages", lambda w: reverse("wagtailadmin_reports:aging_pages")),
    Listing("report-page-types-usage", lambda w: reverse("wagtailadmin_reports:page_types_usage")),
    Listing("report-site-history", lambda w: reverse("wagtailadmin_reports:site_history"), lambda w: [w.a.draft.title]),
    Listing("report-workflow", lambda w: reverse("wagtailadmin_reports:workflow")),
    Listing("report-workflow-tasks", lambda w: reverse("wagtailadmin_reports:workflow_tasks")),
    Listing(
        "api-pages-search",
        lambda w: _q(reverse("wagtailadmin_api:pages:listing"), search="Brouillon"),
    ),
    Listing(
        "api-pages-listing",
        lambda w: reverse("wagtailadmin_api:pages:listing"),
        lambda w: [w.a.draft.title],
    ),
    Listing(
        "api-images-listing",
        lambda w: reverse("wagtailadmin_api:images:listing"),
        lambda w: [w.a.image.title],
    ),
    Listing(
        "api-documents-listing",
        lambda w: reverse("wagtailadmin_api:documents:listing"),
        lambda w: [w.a.document.title],
    ),
]


PENDING_TITLE = "Forum renomme en attente Zinnias"


def rename_b_event_in_a_draft(world):
    """B's published event gets a new title in a draft nobody published yet: the admin shows pages
    under their latest draft title, which is not public until it is published."""
    event = Page.objects.get(pk=world.b.event.pk).specific
    event.title = PENDING_TITLE
    event.save_revision(user=world.b.editor)


def prepare_listing_traps(world):
    # Make sure B's pages are the freshest edits and that B's draft is locked, so "last edited" and
    # "locked pages" columns would show them if they were not filtered.
    Page.objects.filter(pk=world.b.draft.pk).update(locked=True, locked_by=world.b.editor)
    rename_b_event_in_a_draft(world)


@pytest.mark.django_db
@pytest.mark.parametrize("listing", LISTINGS, ids=[listing.id for listing in LISTINGS])
def test_listings_show_a_and_hide_b(editor_client, world, listing):
    prepare_listing_traps(world)
    before = snapshot(world.b)
    headers = {"x-requested-with": "XMLHttpRequest"} if listing.ajax else {}

    # The explorer's root sends each user on to their own part of the tree: follow it.
    response = editor_client.get(listing.url(world), headers=headers, follow=True)

    assert response.status_code == 200
    text = body_text(response)
    for expected in listing.present(world):
        assert expected in text
    assert_nothing_leaked(response, world.b)
    assert PENDING_TITLE not in text
    assert snapshot(world.b) == before


@pytest.mark.django_db
@pytest.mark.parametrize("listing", LISTINGS, ids=[listing.id for listing in LISTINGS])
def test_listings_show_a_company_nothing_of_either_hub(client, world, listing):
    prepare_listing_traps(world)
    client.force_login(world.company)
    headers = {"x-requested-with": "XMLHttpRequest"} if listing.ajax else {}

    response = client.get(listing.url(world), headers=headers, follow=True)

    # Refused outright (Wagtail's redirect to the dashboard, followed) or an answer without them.
    assert response.status_code in (200, 403, 404)
    assert_nothing_leaked(response, world.a)
    assert_nothing_leaked(response, world.b)
    assert PENDING_TITLE not in body_text(response)


# --- 4. the exceptions, seen from the coordinator's side -------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_publishes_and_unpublishes_what_editors_cannot(client, world):
    coordinator = world.coordinator
    assert not coordinator.is_superuser
    client.force_login(coordinator)
    record_consent(world.a.draft)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.a.draft.pk]),
        portrait_form(world.a.draft, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    assert page_from_db(world.a.draft).live

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[world.a.live.pk]), {})
    assert response.status_code == 302
    assert not page_from_db(world.a.live).live

    # The coordinators' grant covers every hub, B's included.
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[world.b.live.pk]), {})
    assert response.status_code == 302
    assert not page_from_db(world.b.live).live


@pytest.mark.django_db
def test_editors_groups_hold_no_user_management_and_no_publish_permission(world):
    spaces = EditorialSpace.objects.select_related("group")
    assert {space.group_id for space in spaces} >= {world.a.group.pk, world.b.group.pk}
    for space in spaces:
        group = space.group
        assert not group.permissions.filter(content_type__app_label="auth").exists()
        assert not group.permissions.filter(codename__in=["add_user", "change_user", "delete_user"]).exists()
        page_codenames = set(
            GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True)
        )
        assert page_codenames == {"add_page", "change_page", "lock_page", "unlock_page"}
        assert "publish_page" not in page_codenames
        # Only their own hub.
        assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True)) == {
            space.neighbourhood_id
        }
    for user in (world.a.editor, world.b.editor):
        assert not user.is_superuser
        assert not user.is_staff
        assert user.has_usable_password()
        assert not any(perm.startswith("auth.") for perm in user.get_all_permissions())
    # Coordinators do not manage accounts either: that stays with administrators.
    assert not Permission.objects.filter(group__name=COORDINATORS_GROUP, content_type__app_label="auth").exists()


@pytest.mark.django_db
def test_editor_a_cannot_reach_user_or_group_management(editor_client, world):
    for name in ("wagtailusers_users:index", "wagtailusers_groups:index", "wagtailusers_users:add"):
        response = editor_client.get(reverse(name))
        assert_refused(response, name)
    response = editor_client.get(reverse("wagtailusers_groups:edit", args=[world.a.group.pk]))
    assert_refused(response, "group-edit")


# --- 5. site-wide reports are the coordinators' -----------------------------------------------------

SITE_WIDE_REPORTS = ["wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:aging_pages"]
SITE_WIDE_REPORTS += ["wagtailadmin_reports:page_types_usage_results", "wagtailadmin_reports:aging_pages_results"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SITE_WIDE_REPORTS)
def test_site_wide_reports_are_refused_to_limited_roles(limited, world, name):
    response = limited.client.get(reverse(name))
    assert_refused(response, name)
    for hub in limited.unseen:
        assert_nothing_leaked(response, hub)


@pytest.mark.django_db
def test_site_wide_reports_are_not_in_limited_roles_menu(limited, world):
    dashboard = body_text(limited.client.get(reverse("wagtailadmin_home")))
    assert reverse("wagtailadmin_reports:page_types_usage") not in dashboard
    assert reverse("wagtailadmin_reports:aging_pages") not in dashboard
    # The reports filtered by Wagtail itself stay in their menu.
    if limited.name == "editor":
        assert reverse("wagtailadmin_reports:site_history") in dashboard


@pytest.mark.django_db
def test_coordinators_keep_the_site_wide_reports(client, world):
    client.force_login(world.coordinator)
    dashboard = body_text(client.get(reverse("wagtailadmin_home")))
    assert reverse("wagtailadmin_reports:page_types_usage") in dashboard
    assert reverse("wagtailadmin_reports:aging_pages") in dashboard
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code == 200
    # B was built last: its portrait is the one of its type edited last, draft title included.
    assert world.b.moderated.title in body_text(response)
    assert client.get(reverse("wagtailadmin_reports:aging_pages")).status_code == 200


# --- 6. what limited roles are refused, coordinators still open ------------------------------------


@pytest.mark.django_db
def test_coordinators_still_open_the_guarded_screens_of_any_hub(client, world):
    client.force_login(world.coordinator)
    b = world.b
    task_id = WorkflowState.objects.get(object_id=str(b.moderated.pk)).current_task_state.task_id

    preview = client.get(reverse("wagtailadmin_pages:workflow_preview", args=[b.moderated.pk, task_id]))
    assert preview.status_code == 200
    assert b.moderated.first_name in body_text(preview)

    confirm = client.get(reverse("wagtailadmin_pages:move_confirm", args=[b.draft.pk, world.a.page.pk]))
    assert confirm.status_code == 200
    assert b.draft.title in body_text(confirm)

    chosen = client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={b.draft.pk}",
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert b.draft.title in body_text(chosen)

    history = client.get(reverse("wagtailadmin_pages:history", args=[b.draft.pk]))
    assert history.status_code == 200
    assert b.draft.title in body_text(history)

    download = client.get(b.document.url)
    assert download.status_code == 200
    assert body_text(download) == "Compte rendu de reunion"


@pytest.mark.django_db
def test_the_company_still_works_on_its_own_page(client, world):
    client.force_login(world.company)
    page = world.company_page
    for name in ("edit", "history", "usage"):
        response = client.get(reverse(f"wagtailadmin_pages:{name}", args=[page.pk]))
        assert response.status_code == 200, name
        assert page.title in body_text(response)


# --- 7. documents: public only once a coordinator has put them in « Documents publics » ------------


def _document(collection, title, content=b"Contenu"):
    return get_document_model().objects.create(
        title=title, collection=collection, file=ContentFile(content, name=f"{title.lower().replace(' ', '-')}.txt")
    )


def _public_collection():
    return Collection.objects.get(name=PUBLIC_DOCUMENTS_COLLECTION)


@pytest.mark.django_db
def test_anonymous_visitors_get_only_public_documents(client, world):
    consent = _document(ensure_consent_collection(), "Autorisation signee", b"Signature")
    root_document = _document(Collection.get_first_root_node(), "Note interne")
    public = _document(_public_collection(), "Programme du forum", b"Programme")

    for private in (world.a.document, world.b.document, consent, root_document):
        response = client.get(private.url)
        assert response.status_code == 302, private.title
        assert response["Location"].startswith("/_util/login/"), response["Location"]

    response = client.get(public.url)
    assert response.status_code == 200
    assert body_text(response) == "Programme"
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_private_document_is_never_kept_by_a_cache(client, world):
    """Downloaded by those allowed, a private document must not stay in the browser cache of a shared
    computer nor in a proxy."""
    consent = _document(ensure_consent_collection(), "Autorisation signee", b"Signature")
    for user, document in ((world.a.editor, world.a.document), (world.coordinator, consent)):
        client.force_login(user)
        response = client.get(document.url)
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, document.title


@pytest.mark.django_db
def test_the_consent_collection_stays_the_coordinators(client, world):
    consent = _document(ensure_consent_collection(), "Autorisation signee", b"Signature")
    for user in (world.a.editor, world.company):
        client.force_login(user)
        assert client.get(consent.url).status_code == 403
    client.force_login(world.coordinator)
    response = client.get(consent.url)
    assert response.status_code == 200
    assert body_text(response) == "Signature"


@pytest.mark.django_db
def test_hub_collections_are_private_in_wagtail_too(world):
    for hub in (world.a, world.b):
        restriction = hub.collection.view_restrictions.get()
        assert restriction.restriction_type == "groups"
        assert set(restriction.groups.values_list("name", flat=True)) == {hub.group.name, COORDINATORS_GROUP}


@pytest.mark.django_db
def test_a_coordinator_makes_a_document_public_and_an_editor_cannot(client, world):
    document = world.a.document
    url = reverse("wagtaildocs:edit", args=[document.pk])

    client.force_login(world.a.editor)
    response = client.post(url, document_form(document, collection=_public_collection().pk))
    # With a single collection of their own, Wagtail's form has no collection field: the choice is
    # ignored and the document saved where it was.
    assert response.status_code in (200, 302)
    assert get_document_model().objects.get(pk=document.pk).collection_id == world.a.collection.pk
    client.logout()
    assert client.get(document.url).status_code == 302

    client.force_login(world.coordinator)
    response = client.post(url, document_form(document, collection=_public_collection().pk))
    assert response.status_code == 302
    assert get_document_model().objects.get(pk=document.pk).collection_id == _public_collection().pk
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert body_text(response) == "Compte rendu de reunion"


# --- 8. nobody gets whole-site rights through Wagtail's default groups -----------------------------


@pytest.mark.django_db
def test_wagtail_default_groups_and_workflow_are_retired(world):
    assert not Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).exists()
    root = Page.get_first_root_node()
    # No group holds a right on the whole tree: coordinators start at the home page.
    assert not GroupPagePermission.objects.filter(page=root).exists()
    default = Workflow.objects.get(name=WAGTAIL_DEFAULT_WORKFLOW)
    assert not default.active
    assert not WorkflowPage.objects.filter(workflow=default).exists()
    # Every page still goes through the coordinators' review.
    assert world.b.draft.get_workflow().name == REVIEW_WORKFLOW
    # Only coordinators hold rights on the root collection (so on « Documents publics »).
    root_collection_groups = set(
        GroupCollectionPermission.objects.filter(collection=Collection.get_first_root_node()).values_list(
            "group__name", flat=True
        )
    )
    assert root_collection_groups == {COORDINATORS_GROUP}


@pytest.mark.django_db
def test_a_default_group_with_members_is_kept_empty(world):
    group = Group.objects.create(name="Moderators")
    GroupPagePermission.objects.create(
        group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename="publish_page")
    )
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    member = UserFactory(username="ancien-moderateur")
    member.groups.add(group)

    assert retire_wagtail_defaults() == ["Moderators"]

    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not group.permissions.exists()
    assert list(member.groups.values_list("name", flat=True)) == ["Moderators"]
    assert not Page.get_first_root_node().permissions_for_user(member).can_publish_subpage()


# --- 9. one person's data (« Données personnelles »): coordinators only -----------------------------


@pytest.fixture
def company_user(world):
    return world.company


def _person(world, **extra):
    """A request about hub B's registrant, with their registration ticked."""
    registration = world.b.registration
    return {"email": registration.email, "item": f"registrations:{registration.pk}:inscrit", **extra}


@dataclass
class PersonalDataRoute:
    id: str
    method: str
    url: str
    data: Callable = lambda world: {}
    works: Callable = lambda response, world: None  # what a coordinator gets


def _form_shown(response, world):
    assert response.status_code == 200
    assert 'name="email"' in body_text(response)


def _shows_registrant(response, world):
    assert response.status_code == 200
    assert world.b.registration.email in body_text(response)


def _exported(response, world):
    _shows_registrant(response, world)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert world.b.registration.first_name in body_text(response)


def _erase_reviewed(response, world):
    _shows_registrant(response, world)
    assert 'name="confirmed"' in body_text(response)
    assert Registration.objects.get(pk=world.b.registration.pk).anonymised_at is None


def _erased(response, world):
    assert response.status_code == 200
    registration = Registration.objects.get(pk=world.b.registration.pk)
    assert registration.anonymised_at is not None
    assert registration.email == ""


PERSONAL_DATA = "/admin/donnees-personnelles/"
PERSONAL_DATA_ROUTES = [
    PersonalDataRoute("index", "get", PERSONAL_DATA, works=_form_shown),
    PersonalDataRoute("search", "post", PERSONAL_DATA, lambda w: {"email": w.b.registration.email}, _shows_registrant),
    PersonalDataRoute("export-html", "post", PERSONAL_DATA + "export/", lambda w: _person(w, format="html"), _exported),
    PersonalDataRoute("export-json", "post", PERSONAL_DATA + "export/", lambda w: _person(w, format="json"), _exported),
    PersonalDataRoute("erase-review", "post", PERSONAL_DATA + "effacer/", _person, _erase_reviewed),
    PersonalDataRoute(
        "erase-confirmed",
        "post",
        PERSONAL_DATA + "effacer/",
        lambda w: _person(w, step="confirm", confirmed="1"),
        _erased,
    ),
]


def _personal_data_request(client, route, world):
    if route.method == "get":
        return client.get(route.url)
    return client.post(route.url, route.data(world))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "company"])
@pytest.mark.parametrize("route", PERSONAL_DATA_ROUTES, ids=[route.id for route in PERSONAL_DATA_ROUTES])
def test_personal_data_is_refused_to_editors_and_companies(client, world, company_user, role, route):
    from home.models import PersonalDataAuditEntry

    client.force_login(world.a.editor if role == "editor" else company_user)
    before_a, before_b, counts = snapshot(world.a), snapshot(world.b), site_counts()

    response = _personal_data_request(client, route, world)

    assert_refused(response, f"personal-data-{route.id}")
    # Not even their own hub's registrant: this tool is not theirs to use.
    assert_nothing_leaked(response, world.b)
    assert_nothing_leaked(response, world.a)
    assert (snapshot(world.a), snapshot(world.b), site_counts()) == (before_a, before_b, counts)
    assert not PersonalDataAuditEntry.objects.exists()
    # Nor is it offered to them in the menu.
    assert PERSONAL_DATA not in body_text(client.get(ADMIN_HOME))


@pytest.mark.django_db
@pytest.mark.parametrize("route", PERSONAL_DATA_ROUTES, ids=[route.id for route in PERSONAL_DATA_ROUTES])
def test_personal_data_works_for_a_coordinator(client, world, route):
    from home.models import PersonalDataAuditEntry

    assert not world.coordinator.is_superuser
    client.force_login(world.coordinator)

    response = _personal_data_request(client, route, world)

    route.works(response, world)
    assert PersonalDataAuditEntry.objects.filter(user=world.coordinator).count() == (
        route.id not in ("index", "erase-review")
    )
    assert PERSONAL_DATA in body_text(client.get(ADMIN_HOME))


# --- 10. the consent hand-over, for the other roles ---------------------------------------------------


@pytest.fixture
def company_client(client, world):
    client.force_login(world.company)
    return client


@pytest.mark.django_db
def test_a_company_account_cannot_hand_over_nor_open_the_ledger(company_client, world):
    counts = site_counts()
    for method, url, data in (
        ("get", reverse("consent_handover", args=[world.a.draft.pk]), None),
        ("post", reverse("consent_handover", args=[world.a.draft.pk]), signed_form(None, None)),
        ("get", f"{reverse('consentements:add')}?portrait={world.a.draft.pk}", None),
        ("get", reverse("consentements:index"), None),
    ):
        response = getattr(company_client, method)(url, data or {})
        assert_refused(response, url)
        assert_nothing_leaked(response, world.a)
    assert site_counts() == counts
    assert not ConsentHandover.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_hands_over_and_completes_from_the_ledger_on_any_hub(client, world):
    client.force_login(world.coordinator)
    for hub in (world.a, world.b):
        url = reverse("consent_handover", args=[hub.draft.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, signed_form(None, None)).status_code == 302
        handover = ConsentHandover.objects.get(portrait_id=hub.draft.pk)
        page = client.get(f"{reverse('consentements:add')}?portrait={hub.draft.pk}")
        assert page.status_code == 200
        assert f'value="{handover.document_id}"' in page.content.decode()

"""The review workflow end to end, through the real admin views: a neighbourhood editor submits,
the coordinators are told, review, approve (a portrait goes live only with its consent) or ask for
changes; the editor is told, corrects and submits again. Every page below the home page follows
the same workflow, whoever submits it."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventIndexPage
from home.models import HomePage, NeighbourhoodIndexPage, NeighbourhoodPage
from home.onboarding import create_neighbourhood
from home.roles import REVIEW_TASK, REVIEW_WORKFLOW
from stories.models import CompanyIndexPage, CompanyPage, PortraitPage
from tests.editorial import make_coordinator, make_editor, messages_text, portrait_form, record_consent
from tests.factories import CompanyPageFactory, EventPageFactory, SectorFactory, StandardPageFactory

SUBMIT = {"action-submit": "action-submit"}
PUBLISH = {"action-publish": "action-publish"}


@pytest.fixture
def hub(neighbourhood_index):
    page, _space, _ = create_neighbourhood(
        neighbourhood_index,
        title="Les Oliviers",
        slug="les-oliviers",
        commune="Marseille 13e",
        department="13",
        intro="Un quartier du nord de Marseille.",
        publish=True,
    )
    return page


@pytest.fixture
def editor(hub):
    return make_editor(hub.editorial_space, "redaction-oliviers")


@pytest.fixture
def coordinator(site_tree):
    return make_coordinator("coordinatrice-territoire")


def add_url(parent, model="portraitpage", app="stories"):
    return reverse("wagtailadmin_pages:add", args=[app, model, parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def current_state(page):
    return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()


def refreshed(page):
    return PortraitPage.objects.get(pk=page.pk)


def mails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def submit_new_portrait(client, hub, **fields):
    response = client.post(add_url(hub), portrait_form(**fields, **SUBMIT))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    return PortraitPage.objects.get(slug=fields.get("slug", "ines-boulangere"))


def test_tests_send_mail_to_memory():
    # The notifications below are read from mail.outbox: nothing leaves the test run.
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_editor_submits_coordinator_is_told_and_approval_publishes_only_with_consent(client, hub, editor, coordinator):
    mail.outbox.clear()
    client.force_login(editor)

    portrait = submit_new_portrait(client, hub, title="Yanis, soudeur", slug="yanis-soudeur")

    state = current_state(portrait)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == REVIEW_WORKFLOW
    assert state.requested_by == editor
    assert state.current_task_state.task.name == REVIEW_TASK
    assert not refreshed(portrait).live
    assert refreshed(portrait).owner == editor
    # The coordinators are told (by Wagtail's notifier), with the page's title.
    told = mails_to(coordinator)
    assert len(told) == 1
    assert "Yanis, soudeur" in told[0].subject + told[0].body
    assert not mails_to(editor)

    # The editor cannot jump the queue: "publish" from the editor saves, never publishes.
    client.post(edit_url(portrait), portrait_form(portrait, **PUBLISH))
    assert not refreshed(portrait).live
    assert current_state(portrait).status == WorkflowState.STATUS_IN_PROGRESS
    # Nor approve their own submission.
    task_state = current_state(portrait).current_task_state
    response = client.post(action_url(portrait, "approve", task_state), {"comment": ""})
    assert response.status_code in (302, 403)
    assert not refreshed(portrait).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    # The coordinator approves: without a consent in the ledger, the portrait stays a draft and
    # they are told why, in French (tests/test_consent.py covers every reason).
    client.force_login(coordinator)
    response = client.post(action_url(portrait, "approve", task_state), {"comment": ""})
    assert response.status_code == 302
    assert response["Location"] == edit_url(portrait)
    assert "Ce portrait ne peut pas être publié" in messages_text(response)
    shown = client.get(response["Location"])  # the edit screen shows it (and uses the message up)
    assert "Ce portrait ne peut pas être publié" in shown.content.decode()
    assert not refreshed(portrait).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert current_state(portrait).status == WorkflowState.STATUS_IN_PROGRESS

    # With the consent recorded, the same approval publishes.
    record_consent(portrait)
    response = client.post(action_url(portrait, "approve", task_state), {"comment": "Parfait"})
    assert response.status_code == 302
    assert "ne peut pas être publié" not in messages_text(response), messages_text(response)
    portrait = refreshed(portrait)
    assert portrait.live
    assert portrait.title == "Yanis, soudeur"
    assert current_state(portrait).status == WorkflowState.STATUS_APPROVED
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == coordinator


@pytest.mark.django_db
def test_request_for_changes_reaches_the_editor_who_corrects_and_resubmits(client, hub, editor, coordinator):
    client.force_login(editor)
    portrait = submit_new_portrait(client, hub, title="Lina, aide-soignante", slug="lina-aide-soignante")
    task_state = current_state(portrait).current_task_state
    mail.outbox.clear()

    client.force_login(coordinator)
    comment = "Merci de retirer le nom de l'employeur, il permet de reconnaître Lina."
    response = client.post(action_url(portrait, "reject", task_state), {"comment": comment})

    assert response.status_code == 302
    portrait = refreshed(portrait)
    assert not portrait.live
    state = current_state(portrait)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == comment
    # Wagtail's notifier writes to the submitter (their profile's "rejected" notifications are on
    # by default), comment included.
    told = mails_to(editor)
    assert len(told) == 1
    assert comment.replace("'", "'") in told[0].body
    assert "Lina, aide-soignante" in told[0].subject + told[0].body

    # The editor corrects and submits again: the same workflow resumes, a new review task opens.
    client.force_login(editor)
    response = client.post(
        edit_url(portrait),
        portrait_form(portrait, title="Lina, aide-soignante", employer_name="Un hôpital", **SUBMIT),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    state = current_state(portrait)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    new_task_state = state.current_task_state
    assert new_task_state.pk != task_state.pk
    assert new_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert refreshed(portrait).get_latest_revision_as_object().employer_name == "Un hôpital"
    assert not refreshed(portrait).live
    # The coordinators hear about the new submission too.
    assert mails_to(coordinator)


def company_form(**overrides):
    values = {
        "title": "Boulangerie des Oliviers",
        "slug": "boulangerie-des-oliviers",
        "logo": "",
        "sector": SectorFactory(name="Alimentation").pk,
        "commune": "Marseille 13e",
        "website": "",
        "summary": "Accueille deux apprentis par an.",
        "offers": inline_formset([]),
        "presentation": streamfield([]),
    }
    values.update(overrides)
    return nested_form_data(values)


@pytest.mark.django_db
def test_a_company_page_submitted_by_a_coordinator_goes_through_the_same_review(client, site_tree, coordinator):
    index = CompanyIndexPage.objects.get()
    client.force_login(coordinator)

    response = client.post(add_url(index, "companypage"), company_form(**SUBMIT))

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    company = CompanyPage.objects.get(slug="boulangerie-des-oliviers")
    assert not company.live
    state = current_state(company)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == REVIEW_WORKFLOW
    # A coordinator may approve it (reviewers can approve their own colleagues' and their own).
    response = client.post(action_url(company, "approve", state.current_task_state), {"comment": ""})
    assert response.status_code == 302
    assert Page.objects.get(pk=company.pk).live
    assert current_state(company).status == WorkflowState.STATUS_APPROVED


@pytest.mark.django_db
def test_every_page_below_home_has_the_site_workflow(site_tree, hub):
    home = site_tree["home"]
    events = EventIndexPage.objects.get()
    pages = [
        home,
        NeighbourhoodIndexPage.objects.get(),
        hub,
        PortraitPage.objects.child_of(hub).first() or StandardPageFactory(parent=home, title="Page d'aide"),
        CompanyPageFactory(parent=CompanyIndexPage.objects.get(), title="Entreprise test", live=False),
        EventPageFactory(parent=events, title="Forum du territoire", live=False),
        EventPageFactory(parent=hub, title="Forum du quartier", live=False),
    ]
    assert isinstance(home, HomePage)
    assert isinstance(hub, NeighbourhoodPage)
    for page in pages:
        workflow = Page.objects.get(pk=page.pk).get_workflow()
        assert workflow is not None, page
        assert workflow.name == REVIEW_WORKFLOW

"""Submissions survive a mail server that hangs: a company's proposal, an editor's « Soumettre » and a
password reset are committed at once, and their e-mails reach the server once it answers.

A real SMTP server on 127.0.0.1 accepts connections and never answers (tests/smtp_servers.py); the
site is configured as in production — EMAIL_BACKEND is the queue, the worker delivers over SMTP.
Before the queue, the proposal answered 500 after EMAIL_TIMEOUT and was lost (Wagtail's workflow
notification raised inside its transaction), and « Soumettre » answered 500 with no workflow state."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from events.models import EventPage, EventProposal
from home.onboarding import create_neighbourhood
from stories.models import PortraitPage
from stories.site_structure import COORDINATORS_GROUP
from tests.editorial import make_editor, portrait_form
from tests.factories import UserFactory
from tests.mail_queue import mail_rows, queued_mail, run_worker
from tests.smtp_servers import SMTPServer
from tests.test_proposals import valid_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["queued_mail"]

# A request that talks to no mail server answers far below EMAIL_TIMEOUT (10 s in production).
QUICK = 3.0


@pytest.fixture
def hanging_smtp(queued_mail):
    with SMTPServer(hanging=True) as server:
        queued_mail.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        queued_mail.EMAIL_HOST = "127.0.0.1"
        queued_mail.EMAIL_PORT = server.port
        queued_mail.EMAIL_TIMEOUT = 10
        yield server


@pytest.fixture
def coordinator(site_tree):
    user = UserFactory(username="coordo", email="coordo@example.org")
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def deliver(server):
    """The mail server comes back; the worker's next pass sends what waited."""
    server.answer()
    run_worker()
    assert not mail_rows(status="FAILED").exists()
    return server.mails()


def test_a_company_proposal_is_kept_and_its_mail_leaves_once_the_server_answers(hanging_smtp, coordinator):
    response, seconds = timed(lambda: Client().post("/evenements/proposer/", valid_data()))

    assert response.status_code == 302
    assert seconds < QUICK
    assert hanging_smtp.connections == 0  # the request never tried to reach it
    proposal = EventProposal.objects.get()
    assert proposal.contact_email == "nadia.secret@logistique.example"
    page = EventPage.objects.get(pk=proposal.event_id)
    assert page.title == "Job dating de la logistique"
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_IN_PROGRESS

    mails = deliver(hanging_smtp)
    # French spacing: the subjects carry no-break spaces before « : » and inside « ».
    subjects = [str(mail["Subject"]).replace("\xa0", " ").strip() for mail in mails]
    assert "Proposition d'événement à relire : Job dating de la logistique" in subjects
    # Wagtail's own notification of the review task reached the coordinators as well.
    assert any("Job dating de la logistique" in subject for subject in subjects if "Proposition" not in subject)
    assert all(str(mail["To"]) for mail in mails)


def test_an_editors_submission_is_kept_and_the_coordinators_are_told_once_the_server_answers(
    hanging_smtp, neighbourhood_index, coordinator
):
    hub, _space, _ = create_neighbourhood(
        neighbourhood_index,
        title="Les Oliviers",
        slug="les-oliviers",
        commune="Marseille 13e",
        department="13",
        intro="Un quartier du nord de Marseille.",
        publish=True,
    )
    editor = make_editor(hub.editorial_space, "redaction-oliviers")
    client = Client()
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", hub.pk])

    form = portrait_form(title="Yanis, soudeur", slug="yanis-soudeur", **{"action-submit": "1"})
    response, seconds = timed(lambda: client.post(add_url, form))

    assert response.status_code == 302
    assert seconds < QUICK
    portrait = PortraitPage.objects.get(slug="yanis-soudeur")
    assert not portrait.live
    state = WorkflowState.objects.get(object_id=str(portrait.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor

    mails = deliver(hanging_smtp)
    told = [mail for mail in mails if "coordo@example.org" in str(mail["To"])]
    assert len(told) == 1
    assert "Yanis, soudeur" in str(told[0]["Subject"]) + told[0].get_body(("plain",)).get_content()


def test_password_reset_does_the_same_work_for_any_address_and_talks_to_no_mail_server(hanging_smtp, site_tree):
    user = UserFactory(username="redactrice", email="redactrice@example.org")
    user.set_password("un-mot-de-passe-solide")
    user.save()
    url = reverse("wagtailadmin_password_reset")

    known, known_seconds = timed(lambda: Client().post(url, {"email": "redactrice@example.org"}))
    unknown, unknown_seconds = timed(lambda: Client().post(url, {"email": "personne@example.org"}))

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known_seconds < QUICK
    assert unknown_seconds < QUICK
    assert hanging_smtp.connections == 0
    # The same work for both: one queued look-up each, holding nothing but the address. Whether an
    # account exists is only found out by the worker.
    rows = list(mail_rows())
    assert [row.task_path for row in rows] == ["home.password_reset.send_password_reset"] * 2
    assert [row.args_kwargs["args"][1] for row in rows] == ["redactrice@example.org", "personne@example.org"]

    (mail,) = deliver(hanging_smtp)
    assert str(mail["To"]) == "redactrice@example.org"
    assert "/admin/password_reset/confirm/" in mail.get_body(("plain",)).get_content()
    link = re.search(r"http\S+/admin/password_reset/confirm/\S+/", mail.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(settings.WAGTAILADMIN_BASE_URL)
    # The link works: it leads to the form that sets a new password.
    page = Client().get(link.removeprefix(settings.WAGTAILADMIN_BASE_URL), follow=True)
    assert 'name="new_password1"' in page.content.decode()

"""Company event proposals: the contact's details are erased some days after the proposal was
decided (its event over, or the proposal closed without it), like registrations."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage, EventProposal
from tests.factories import EventPageFactory

DAY = datetime.timedelta(days=1)


def proposal(event=None, *, name, closed_days_ago=None):
    created = EventProposal.objects.create(
        event=event,
        company_name=f"Entreprise {name}",
        contact_name=f"Contact {name}",
        contact_email=f"{name.lower()}@entreprise.example",
        contact_phone="04 91 00 11 22",
    )
    if closed_days_ago is not None:
        EventProposal.objects.filter(pk=created.pk).update(closed_at=timezone.now() - closed_days_ago * DAY)
    return created


def event_ending(days_from_now, index):
    end = timezone.now() + days_from_now * DAY
    return EventPageFactory(parent=index, start_at=end - datetime.timedelta(hours=3), live=False)


def snapshot():
    return sorted(EventProposal.objects.values_list())


def anonymised(*proposals):
    rows = EventProposal.objects.filter(pk__in=[p.pk for p in proposals])
    return {row.company_name: row.anonymised_at is not None for row in rows}


@pytest.fixture
def proposals(site_tree, settings):
    settings.PROPOSAL_RETENTION_DAYS = 30
    index = EventIndexPage.objects.get()
    return {
        "held_long_ago": proposal(event_ending(-40, index), name="Ancienne"),
        "held_recently": proposal(event_ending(-5, index), name="Recente"),
        "pending": proposal(event_ending(20, index), name="Enattente"),
        # Declined: the draft deleted (event emptied) 40 days ago, and another one last week.
        "declined_long_ago": proposal(name="Refusee", closed_days_ago=40),
        "declined_recently": proposal(name="Refuseerecemment", closed_days_ago=7),
        # Declined 40 days ago while its (future) draft was kept.
        "declined_draft_kept": proposal(event_ending(60, index), name="Brouillon", closed_days_ago=40),
    }


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(proposals):
    before = snapshot()
    out = io.StringIO()
    call_command("purge_proposals", "--dry-run", stdout=out)
    assert "Simulation : les coordonnées de 3 proposition(s) décidées depuis plus de 30 jours" in out.getvalue()
    assert "Rien n'a été modifié." in out.getvalue()
    assert snapshot() == before


@pytest.mark.django_db
def test_only_old_decided_proposals_lose_their_contact_and_running_again_does_nothing(proposals, admin_client):
    out = io.StringIO()
    call_command("purge_proposals", stdout=out)

    assert "Coordonnées effacées pour 3 proposition(s) décidées depuis plus de 30 jours." in out.getvalue()
    assert anonymised(*proposals.values()) == {
        "Entreprise Ancienne": True,
        "Entreprise Refusee": True,
        "Entreprise Brouillon": True,
        "Entreprise Recente": False,
        "Entreprise Enattente": False,
        "Entreprise Refuseerecemment": False,
    }
    for key in ("held_long_ago", "declined_long_ago", "declined_draft_kept"):
        row = EventProposal.objects.get(pk=proposals[key].pk)
        assert (row.contact_name, row.contact_email, row.contact_phone) == ("", "", "")
        # The proposal itself stays: the company and the event are not a person's data.
        assert row.company_name == proposals[key].company_name
        assert row.event_id == proposals[key].event_id
    kept = EventProposal.objects.get(pk=proposals["held_recently"].pk)
    assert kept.contact_email == "recente@entreprise.example"
    # The coordinators' detail screen says the contact was erased, and when.
    detail = admin_client.get(reverse("propositions:inspect", args=[proposals["held_long_ago"].pk]))
    assert detail.status_code == 200
    assert f"effacé le {timezone.localdate():%d/%m/%Y}" in detail.content.decode()
    assert "ancienne@entreprise.example" not in detail.content.decode()

    after = snapshot()
    out = io.StringIO()
    call_command("purge_proposals", stdout=out)
    assert "Coordonnées effacées pour 0 proposition(s)" in out.getvalue()
    assert snapshot() == after


@pytest.mark.django_db
def test_days_option_and_setting(proposals, settings):
    settings.PROPOSAL_RETENTION_DAYS = 3
    call_command("purge_proposals", stdout=io.StringIO())
    assert anonymised(proposals["held_recently"], proposals["declined_recently"], proposals["pending"]) == {
        "Entreprise Recente": True,
        "Entreprise Refuseerecemment": True,
        "Entreprise Enattente": False,
    }
    with pytest.raises(CommandError):
        call_command("purge_proposals", "--days", "-1")


@pytest.mark.django_db
def test_deleting_the_draft_closes_the_proposal_and_starts_its_retention(proposals, admin_client):
    pending = proposals["pending"]
    event_id = pending.event_id

    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[event_id]))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.event_id is None
    assert timezone.now() - pending.closed_at < datetime.timedelta(minutes=1)
    # Closed today: kept for now, erased once the delay has passed.
    call_command("purge_proposals", stdout=io.StringIO())
    pending.refresh_from_db()
    assert pending.anonymised_at is None
    call_command("purge_proposals", "--days", "0", stdout=io.StringIO())
    pending.refresh_from_db()
    assert pending.contact_email == ""


def test_the_retention_default_follows_registrations():
    from site_project.settings import base

    assert base.PROPOSAL_RETENTION_DAYS == base.REGISTRATION_RETENTION_DAYS

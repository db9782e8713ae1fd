"""Control characters never reach the database from a public form (home/forms.py).

A proposal titled "…\\r\\nBcc: …" used to be stored as typed, and the coordinators' e-mail, whose
subject is the title, was silently dropped (Django refuses a header with a line break:
BadHeaderError). Single-line fields now lose every control character — CR and LF become spaces —
and multi-line ones keep only their line breaks and tabs."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache

from events.forms import RegistrationForm
from events.models import EventPage, EventProposal, Registration
from events.proposals import ProposalForm
from home.forms import CleanTextMixin, SingleLineCharField, single_line, without_controls
from stories.site_structure import COORDINATORS_GROUP
from tests.factories import EventPageFactory, UserFactory
from tests.test_proposals import valid_data
from tests.test_registrations import form_data

C0 = "".join(chr(code) for code in range(0x00, 0x20))
C1 = "".join(chr(code) for code in range(0x7F, 0xA0))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Job dating\r\nBcc: victime@example.org", "Job dating Bcc: victime@example.org"),
        ("Inès\nBenali", "Inès Benali"),
        ("Nul\x00part", "Nulpart"),
        ("\x1b[31mRouge\x1b[0m", "[31mRouge[0m"),
        ("Tab\tulation", "Tab ulation"),
        ("Fin\x85de ligne\u2028et\u2029paragraphe", "Fin de ligne et paragraphe"),
        ("Suppr\x7f et C1\x9b ok", "Suppr et C1 ok"),
        (f"a{C0}b{C1}c", "a b c"),
        ("  Espaces  ", "Espaces"),
        ("Noël à Tarascon — « forum »", "Noël à Tarascon — « forum »"),
    ],
)
def test_single_line_values(typed, kept):
    assert single_line(typed) == kept
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in single_line(typed))


def test_multi_line_values_keep_their_line_breaks_only():
    assert without_controls("Ligne 1\r\nLigne 2\n\tpuce\x00\x1b\x9b fin") == "Ligne 1\r\nLigne 2\n\tpuce fin"


def test_the_field_and_the_mixin_for_future_forms():
    from django import forms

    class MeetingForm(CleanTextMixin, forms.Form):
        name = forms.CharField()
        email = forms.EmailField()
        message = forms.CharField(widget=forms.Textarea)
        subject = SingleLineCharField(widget=forms.Textarea)

    form = MeetingForm(
        {"name": "Yanis\r\nX", "email": "yanis@example.org\x00", "message": "Bonjour\r\n\x07Merci", "subject": "A\nB"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "name": "Yanis X",
        "email": "yanis@example.org",
        "message": "Bonjour\r\nMerci",
        "subject": "A B",
    }


def test_the_registration_form_cleans_every_single_line_field():
    form = RegistrationForm(
        form_data(
            first_name="Inès\r\nBcc: x@example.org",
            last_name="Ben\x00ali",
            neighbourhood="Tara\x1bscon\x85",
            phone="06 12 34 56 78\r\n",
            email="ines@example.org\r\n",
        )
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["first_name"], data["last_name"], data["neighbourhood"]) == (
        "Inès Bcc: x@example.org",
        "Benali",
        "Tarascon",
    )
    assert data["phone"] == "06 12 34 56 78"
    assert data["email"] == "ines@example.org"


def test_the_proposal_form_cleans_single_line_fields_and_keeps_the_description_lines(site_tree):
    form = ProposalForm(
        valid_data(
            title="Job dating\r\nBcc: victime@example.org",
            company_name="Port\x00 (fictive)",
            venue="Entrepôt\t2",
            summary="Une phrase\x07 seulement.",
            description="Ligne un\r\nLigne deux\x1b",
        )
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["title"] == "Job dating Bcc: victime@example.org"
    assert data["company_name"] == "Port (fictive)"
    assert data["venue"] == "Entrepôt 2"
    assert data["summary"] == "Une phrase seulement."
    assert "Ligne un<br>Ligne deux" in data["description"]
    assert "\x1b" not in data["description"]


@pytest.mark.django_db
def test_a_proposal_with_a_line_break_in_its_title_is_stored_on_one_line_and_the_coordinators_are_told(
    client, site_tree
):
    cache.clear()
    coordinator = UserFactory(username="coordo", email="coordo@example.org")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))

    response = client.post("/evenements/proposer/", valid_data(title="Job dating\r\nBcc: victime@example.org"))

    assert response.status_code == 302
    page = EventPage.objects.get(pk=EventProposal.objects.get().event_id)
    assert page.title == "Job dating Bcc: victime@example.org"
    # French spacing: a no-break space before « : ».
    subjects = [message.subject.replace("\xa0", " ") for message in mail.outbox]
    assert "Proposition d'événement à relire : Job dating Bcc: victime@example.org" in subjects
    assert all("victime@example.org" not in message.recipients() for message in mail.outbox)


@pytest.mark.django_db
def test_a_registration_with_control_characters_is_stored_clean(
    client, neighbourhood, django_capture_on_commit_callbacks
):
    cache.clear()
    event = EventPageFactory(parent=neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url, form_data(first_name="Inès\r\n", last_name="Ben\x00\x1bali"))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.first_name, registration.last_name) == ("Inès", "Benali")
    assert len(mail.outbox) == 1

"""Handing the signed consent form over to the coordinators: editors file it without ever reading it
again, nor anyone else's; coordinators find it in the ledger; uploads land in the private collection."""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.models import WorkflowState

from home.onboarding import create_neighbourhood
from stories.accounts import ensure_company_account
from stories.models import CONSENT_COLLECTION_NAME, ConsentHandover, PortraitConsent, PortraitPage
from tests.editorial import draft_portrait, make_coordinator, make_editor, record_consent, submit_for_review
from tests.factories import CompanyPageFactory, UserFactory
from tests.test_consent import consent_form

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name="consentement-ines-benali.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def phone_photo(name="IMG_2041.jpg"):
    """A JPEG with GPS coordinates in its EXIF, as a phone takes it."""
    image = PILImage.new("RGB", (120, 160), (240, 240, 230))
    exif = PILImage.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 18.0, 1.5), 3: "E", 4: (5.0, 23.0, 7.2)}  # GPSInfo
    exif[0x010F] = "TelephoneSecret"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def hub(index, word):
    page, space, _ = create_neighbourhood(
        index, title=f"Quartier {word}", slug=word.lower(), commune="Arles", department="13", intro="x", publish=True
    )
    return SimpleNamespace(page=page, space=space, editor=make_editor(space, f"redaction-{word.lower()}"))


@pytest.fixture
def world(neighbourhood_index):
    a, b = hub(neighbourhood_index, "Acacias"), hub(neighbourhood_index, "Zinnias")
    coordinator = make_coordinator()
    portrait = draft_portrait(a.page, owner=a.editor, title="Albane", slug="albane", first_name="Albane", age=16)
    other = draft_portrait(b.page, owner=b.editor, title="Zoelie", slug="zoelie", first_name="Zoelie", age=22)
    return SimpleNamespace(a=a, b=b, coordinator=coordinator, portrait=portrait, other=other)


def handover_url(portrait):
    return reverse("consent_handover", args=[portrait.pk])


def hand_over(client, portrait, upload=None, capture=None, **extra):
    data = {"signed_form": upload or pdf_upload(), "note": "Le père signe la semaine prochaine.", **extra}
    if capture is None:
        return client.post(handover_url(portrait), data)
    with capture(execute=True):
        return client.post(handover_url(portrait), data)


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


# --- the editor of the portrait's neighbourhood -----------------------------------------------------


@pytest.mark.django_db
def test_an_editor_hands_over_the_signed_form(client, world, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world.a.editor)
    page = client.get(handover_url(world.portrait))
    assert page.status_code == 200
    text = text_of(page)
    assert "Albane" in text
    assert "accord signé des deux titulaires de l'autorité parentale" in text  # 16, with a photo
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = hand_over(client, world.portrait, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[world.portrait.pk])
    handover = ConsentHandover.objects.get()
    assert handover.portrait_id == world.portrait.pk
    assert handover.handed_over_by == world.a.editor
    assert handover.note == "Le père signe la semaine prochaine."
    assert handover.is_pending
    document = handover.document
    assert document.collection.name == CONSENT_COLLECTION_NAME
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", document.file.name), document.file.name
    assert "ines" not in document.title.lower()
    assert document.title.startswith(f"Formulaire de consentement — portrait n° {world.portrait.pk}")
    assert document.uploaded_by_user is None
    document.file.open()
    assert document.file.read() == PDF

    [message] = [m for m in mailoutbox if "coordination@example.org" in m.to]
    assert "Albane" in message.subject
    assert "Quartier Acacias" in message.subject
    assert "redaction-acacias a remis le formulaire" in message.body
    assert "Le père signe la semaine prochaine." in message.body
    assert f"/admin/consentements/new/?portrait={world.portrait.pk}" in message.body


@pytest.mark.django_db
def test_a_phone_photo_loses_its_metadata_and_becomes_a_pdf(client, world):
    client.force_login(world.a.editor)
    assert hand_over(client, world.portrait, upload=phone_photo()).status_code == 302
    document = ConsentHandover.objects.get().document
    assert document.file.name.endswith(".pdf")
    document.file.open()
    stored = document.file.read()
    assert stored.startswith(b"%PDF-")
    assert b"TelephoneSecret" not in stored
    assert b"GPS" not in stored
    assert b"IMG_2041" not in stored


@pytest.mark.django_db
def test_something_else_than_a_scan_is_refused(client, world):
    client.force_login(world.a.editor)
    response = hand_over(client, world.portrait, upload=SimpleUploadedFile("x.txt", b"bonjour", "text/plain"))
    assert response.status_code == 200
    assert "déposez un PDF, ou une photo" in text_of(response)
    assert not ConsentHandover.objects.exists()
    assert not Document.objects.filter(collection__name=CONSENT_COLLECTION_NAME).exists()


@pytest.mark.django_db
def test_the_form_goes_into_the_ledger_record_when_it_has_none(client, world):
    consent = record_consent(world.portrait, document=None)
    client.force_login(world.a.editor)
    hand_over(client, world.portrait)
    consent.refresh_from_db()
    assert consent.document == ConsentHandover.objects.get().document

    hand_over(client, world.portrait, upload=pdf_upload("second.pdf"))
    consent.refresh_from_db()
    first, second = ConsentHandover.objects.order_by("handed_over_at", "pk")
    assert consent.document == first.document  # a second scan never replaces a filed one
    assert second.is_pending


@pytest.mark.django_db
def test_the_editor_never_sees_the_form_again_nor_the_ledger(client, world):
    client.force_login(world.a.editor)
    hand_over(client, world.portrait)
    document = ConsentHandover.objects.get().document

    assert client.get(document.url).status_code in (302, 403, 404)
    assert document.title not in client.get(reverse("wagtaildocs:index")).content.decode()
    assert document.title not in client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert client.get(reverse("wagtaildocs:edit", args=[document.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("consentements:index")).status_code in (302, 403)
    # What they do see: that it was handed over, and when. Not the file, not the note's recipients.
    page = client.get(handover_url(world.portrait)).content.decode()
    assert "en attente de vérification par la coordination" in page
    assert document.url not in page
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world.portrait.pk])).content.decode()
    assert "Formulaire remis à la coordination le" in edit
    assert document.url not in edit

    client.force_login(world.coordinator)
    assert client.get(document.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_editor", "company", "anonymous"])
def test_anyone_else_gets_the_same_404_as_for_a_missing_portrait(client, world, company_index, who):
    if who == "other_editor":
        client.force_login(world.b.editor)
    elif who == "company":
        account, _ = ensure_company_account(CompanyPageFactory(parent=company_index, title="Garage"))
        user = UserFactory(username="garage")
        user.groups.add(account.group)
        client.force_login(user)
    missing = PortraitPage.objects.order_by("-pk").first().pk + 1000
    documents = Document.objects.count()

    for method in ("get", "post"):
        answer = getattr(client, method)(handover_url(world.portrait), {"signed_form": pdf_upload()})
        nowhere = getattr(client, method)(reverse("consent_handover", args=[missing]), {"signed_form": pdf_upload()})
        if who == "anonymous":
            assert answer.status_code == nowhere.status_code == 302  # to the login page
        else:
            assert answer.status_code == nowhere.status_code == 404
        assert "Albane" not in answer.content.decode()
    assert Document.objects.count() == documents
    assert not ConsentHandover.objects.exists()


# --- the portrait's consent panel and the « publication refused » message --------------------------


@pytest.mark.django_db
def test_the_consent_panel_links_editors_to_the_hand_over_and_coordinators_to_the_ledger(client, world):
    edit_url = reverse("wagtailadmin_pages:edit", args=[world.portrait.pk])
    client.force_login(world.a.editor)
    soup = BeautifulSoup(client.get(edit_url).content, "html.parser")
    link = soup.find("a", string=re.compile("Déposer le formulaire signé"))
    assert link["href"] == handover_url(world.portrait)
    assert "l'accord signé de la personne, daté" in soup.get_text(" ").lower()
    assert "consentements/" not in str(soup.select_one(".help-block"))

    client.force_login(world.coordinator)
    soup = BeautifulSoup(client.get(edit_url).content, "html.parser")
    link = soup.find("a", string=re.compile("Créer son entrée du registre"))
    assert link["href"] == f"{reverse('consentements:add')}?portrait={world.portrait.pk}"

    consent = record_consent(world.portrait)
    soup = BeautifulSoup(client.get(edit_url).content, "html.parser")
    link = soup.find("a", string=re.compile("Ouvrir son entrée du registre"))
    assert link["href"] == reverse("consentements:edit", args=[consent.pk])


@pytest.mark.django_db
def test_a_refused_publication_names_what_is_missing_and_shows_the_way_to_the_ledger(client, world):
    """Publishing from the page form: Wagtail's message says what is missing (it shows form errors as
    text only); the consent box right under it names the signed form's contents and links to the ledger."""
    from tests.editorial import portrait_form

    client.force_login(world.coordinator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.portrait.pk]),
        portrait_form(world.portrait, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 200
    assert not PortraitPage.objects.get(pk=world.portrait.pk).live
    soup = BeautifulSoup(response.content, "html.parser")
    message = soup.find(string=re.compile("Ce portrait ne peut pas être publié")).find_parent("li")
    assert "aucun consentement n'est enregistré" in message.get_text()
    box = soup.find("a", string=re.compile("Créer son entrée du registre")).find_parent(class_="help-block")
    assert "Il manque le formulaire signé" in box.get_text()
    assert "accord signé des deux titulaires de l'autorité parentale" in box.get_text()
    assert box.find("a")["href"] == f"{reverse('consentements:add')}?portrait={world.portrait.pk}"


@pytest.mark.django_db
def test_an_approval_refused_from_the_dashboard_offers_the_ledger(client, world):
    """Approving from the dashboard skips the page form: the refusal comes back as a message."""
    state = submit_for_review(PortraitPage.objects.get(pk=world.portrait.pk), world.a.editor)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[world.portrait.pk, "approve", state.current_task_state.pk]),
        {"comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert not PortraitPage.objects.get(pk=world.portrait.pk).live
    assert WorkflowState.objects.for_instance(world.portrait).get().status == WorkflowState.STATUS_IN_PROGRESS
    html = response.content.decode()
    assert "Ce portrait ne peut pas être publié" in html
    assert f'href="{reverse("consentements:add")}?portrait={world.portrait.pk}"' in html


# --- the coordinator's side: the ledger -------------------------------------------------------------


@pytest.mark.django_db
def test_the_ledger_opens_with_the_handed_over_form_and_files_it(client, world):
    client.force_login(world.a.editor)
    hand_over(client, world.portrait)
    handover = ConsentHandover.objects.get()

    client.force_login(world.coordinator)
    page = client.get(f"{reverse('consentements:add')}?portrait={world.portrait.pk}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one('input[name="portrait"]')["value"] == str(world.portrait.pk)
    assert soup.select_one('input[name="document"]')["value"] == str(handover.document_id)
    assert handover.document.url in page.content.decode()
    assert "Le père signe la semaine prochaine." in soup.get_text()
    assert "à vérifier" in soup.get_text()

    data = consent_form(
        PortraitConsent(
            portrait=world.portrait,
            subject_name="Albane Vraienom",
            subject_is_minor=True,
            subject_agreed=True,
            guardian_1_name="Parent Un",
            guardian_1_agreed=True,
            given_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2029, 1, 1),
            document_id=handover.document_id,
        )
    )
    response = client.post(reverse("consentements:add"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    consent = PortraitConsent.objects.get(portrait=world.portrait)
    assert consent.document_id == handover.document_id
    handover.refresh_from_db()
    assert handover.filed_at is not None
    assert handover.filed_by == world.coordinator

    client.force_login(world.a.editor)
    assert "vérifié et classé par la coordination" in client.get(handover_url(world.portrait)).content.decode()


@pytest.mark.django_db
def test_a_form_uploaded_from_the_ledger_goes_to_the_private_collection(client, world):
    consent = record_consent(world.portrait, document=None)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("consentements:edit", args=[consent.pk]),
        {**consent_form(consent), "signed_form_file": pdf_upload("accord-albane-vraienom.pdf")},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    consent.refresh_from_db()
    assert consent.document.collection.name == CONSENT_COLLECTION_NAME
    assert "vraienom" not in consent.document.file.name
    assert "vraienom" not in consent.document.title.lower()


@pytest.mark.django_db
def test_deleting_the_portrait_deletes_the_scans_the_ledger_did_not_keep(client, world):
    client.force_login(world.a.editor)
    hand_over(client, world.portrait)
    document_id = ConsentHandover.objects.get().document_id
    PortraitPage.objects.get(pk=world.portrait.pk).delete()
    assert not ConsentHandover.objects.exists()
    assert not Document.objects.filter(pk=document_id).exists()

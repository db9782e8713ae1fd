"""As people would do it, in Chromium against the demo site: a company proposes an event from its phone and
reads the e-mails that follow; a coordinator declines it with a reason; a neighbourhood's editor hands a
signed consent form over to the coordinators."""

import re

import pytest

from tests.browser.accounts import give_app, log_in, set_password
from tests.browser.test_accessibility import axe_violations

COMPANY_EMAIL = "rh@logistique-du-port.example"


def squeeze(text):
    return " ".join(text.split())  # no-break spaces (before « : ? ! », inside « ») count as spaces


def mails_to(live_site, address):
    return [message for message in live_site.mails() if address in message["To"]]


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def test_a_company_proposes_from_its_phone_and_hears_back(page, desktop, live_site):
    # From /entreprises/, the call to action leads to the form.
    page.goto(live_site + "/entreprises/")
    page.get_by_role("link", name="Proposer un événement").click()
    page.wait_for_url(re.compile(r"/evenements/proposer/$"))

    page.get_by_label("Nom de l'entreprise ou de l'organisme").fill("Logistique du Port (fictive)")
    page.get_by_label("Votre nom et prénom").fill("Rania Test")
    page.get_by_label("Votre e-mail").fill(COMPANY_EMAIL)
    page.get_by_label("Titre de l'événement").fill("Job dating de la logistique aux Lauriers")
    page.get_by_label("L'événement en une phrase").fill("Rencontrez nos équipes et décrochez une alternance.")
    page.get_by_label("Présentation").fill("Venez avec votre CV. Café offert.")
    page.get_by_label("Date de début").fill("2030-03-14")
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("Quartier").select_option(label="Les Lauriers – Olivier A (Marseille 13e)")
    page.get_by_label("Lieu").fill("Centre social (fictif)")
    page.get_by_label("Adresse", exact=True).fill("1 rue de l'Exemple")
    page.get_by_label("Code postal").fill("13013")
    page.get_by_label("Commune").fill("Marseille 13e")
    page.get_by_label(re.compile("J'ai lu comment nos coordonnées")).check()
    page.get_by_role("button", name="Envoyer ma proposition").click()

    page.wait_for_url(re.compile(r"\?merci=1$"))
    status = squeeze(page.get_by_role("status").inner_text())
    assert "Merci, votre proposition est bien arrivée." in status
    assert "Un accusé de réception vient de partir" in status
    assert axe_violations(page) == []

    [acknowledgement] = mails_to(live_site, COMPANY_EMAIL)
    body = squeeze(acknowledgement.get_content())
    assert squeeze(acknowledgement["Subject"]).startswith("Nous avons bien reçu votre proposition")
    assert "Ce qui se passe maintenant :" in body
    assert "Vous recevez un e-mail dès que l'événement est publié" in body

    # A coordinator declines it, with a reason, from the proposals' admin.
    password = set_password(live_site, "coordination")
    log_in(desktop, live_site, "coordination", password, give_app(live_site, "coordination"))
    desktop.goto(live_site + "/admin/propositions/")
    desktop.get_by_role("link", name=re.compile("Logistique du Port")).first.click()
    desktop.get_by_role("link", name="Décliner").click()
    desktop.get_by_label("Raison (facultatif)").fill(
        "Un autre forum a lieu ce jour-là aux Lauriers : pourriez-vous proposer le 21 mars ?"
    )
    desktop.get_by_role("button", name="Décliner et prévenir l'entreprise").click()
    desktop.wait_for_url(re.compile(r"/admin/propositions/$"))
    assert COMPANY_EMAIL in squeeze(desktop.locator(".messages").inner_text())

    declined = [m for m in mails_to(live_site, COMPANY_EMAIL) if "Nous avons bien reçu" not in m["Subject"]]
    assert len(declined) == 1
    body = squeeze(declined[0].get_content())
    assert "ne peut pas publier cet événement" in body
    assert "pourriez-vous proposer le 21 mars ?" in body
    assert "/evenements/proposer/" in body


def test_an_editor_hands_the_signed_form_over(desktop, live_site, tmp_path):
    password = set_password(live_site, "redaction-lauriers")
    page = desktop
    log_in(page, live_site, "redaction-lauriers", password)
    page.goto(live_site + "/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    # The first portrait of their hub (the demo's are all complete: the hand-over is for renewals too).
    row = page.locator("main table tbody tr").filter(has_text="Portrait").first
    row.locator("a[href*='/edit/']").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page.get_by_role("link", name="Déposer le formulaire signé pour la coordination").click()
    page.wait_for_url(re.compile(r"/admin/remise-consentement/\d+/$"))

    scan = tmp_path / "formulaire-famille-nom.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page.get_by_label(re.compile("Formulaire signé")).set_input_files(str(scan))
    page.get_by_label(re.compile("Remarque pour la coordination")).fill("Signé par les deux parents.")
    page.get_by_role("button", name="Remettre à la coordination").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert "Formulaire remis à la coordination" in squeeze(page.locator(".messages").inner_text())
    assert "Formulaire remis à la coordination le" in squeeze(page.locator("main").inner_text())

    told = [m for m in live_site.mails() if "Formulaire de consentement remis" in squeeze(m["Subject"])]
    assert told
    body = squeeze(told[-1].get_content())
    assert "redaction-lauriers a remis le formulaire" in body or "a remis le formulaire de consentement" in body
    assert "Signé par les deux parents." in body
    assert "/admin/consentements/" in body

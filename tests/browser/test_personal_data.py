"""A person's rights in real Chromium: a young person registers on a phone; later they ask what the
site keeps about them, then to be forgotten. A coordinator finds them from the admin menu, downloads
the readable export (which the person opens on their phone: accessible, no sideways scrolling) and
erases the registration; the seat goes back on the public page and the old cancellation link is dead."""

import re

import pytest

from tests.browser.accounts import give_app, log_in, set_password
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_events_pages import FORUM, fill_registration

COORDINATOR = "coordination"
EMAIL = "nora.droits@example.org"


@pytest.fixture(scope="module")
def coordinator_credentials(live_site):
    """The coordinator's password and authenticator app key (coordinators log in with a second factor)."""
    return set_password(live_site, COORDINATOR), give_app(live_site, COORDINATOR)


@pytest.fixture
def admin_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def seats_left(page, live_site):
    page.goto(live_site + FORUM)
    return int(re.search(r"Il reste (\d+) place", page.locator(".seats").inner_text()).group(1))


def test_a_coordinator_exports_then_erases_what_a_young_person_left(
    page, admin_page, live_site, coordinator_credentials, tmp_path
):
    before = seats_left(page, live_site)
    fill_registration(page, EMAIL, **{"Prénom": "Nora", "Nom": "Droits"})
    page.get_by_role("button", name="Je m'inscris").click()
    page.wait_for_url("**inscription=confirmee*")
    mail = next(mail for mail in live_site.mails() if str(mail["To"]).strip() == EMAIL)
    body = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    cancel_link = re.search(r"http\S+/inscriptions/annuler/\S+/", body.get_payload(decode=True).decode()).group(0)

    admin = admin_page
    log_in(admin, live_site, COORDINATOR, *coordinator_credentials)
    admin.get_by_role("button", name="Paramètres").click()
    admin.get_by_role("link", name="Données personnelles").click()
    admin.wait_for_url(live_site + "/admin/donnees-personnelles/")

    admin.get_by_label("Adresse e-mail de la personne").fill("Nora.DROITS@example.org")
    admin.get_by_role("button", name="Chercher", exact=True).click()
    item = admin.get_by_label(re.compile("Inscription à « Forum de l'emploi et de l'apprentissage de Tarascon »"))
    assert item.is_checked()

    with admin.expect_download() as download_info:
        admin.get_by_role("button", name="Exporter (page lisible)").click()
    download = download_info.value
    assert re.fullmatch(r"donnees-personnelles-\d{8}-\d{4}\.html", download.suggested_filename)
    export = tmp_path / download.suggested_filename
    download.save_as(export)

    # The person opens the file on their phone.
    page.goto(export.as_uri())
    assert page.get_by_role("heading", level=1).inner_text() == "Les données que le site Impact Jeunes conserve"
    assert "Droits" in page.locator("body").inner_text()
    assert "Pourquoi c'est gardé" in page.locator("body").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    admin.get_by_role("button", name="Effacer…").click()
    assert "On ne peut pas revenir en arrière." in admin.locator("main").inner_text()
    admin.get_by_label("J'ai vérifié que la demande vient de cette personne et je confirme l'effacement.").check()
    admin.get_by_role("button", name="Effacer définitivement").click()
    done = admin.locator("main").inner_text()
    assert "Inscriptions aux événements : 1 inscription annulée, place rendue, 1 élément anonymisé" in done

    assert seats_left(page, live_site) == before
    # The old link explains itself, and cancels nothing more.
    assert page.goto(cancel_link).status == 410
    assert "cette inscription n'existe plus" in page.get_by_role("status").inner_text()
    admin.goto(live_site + "/admin/donnees-personnelles/")
    journal = admin.get_by_role("table", name="Journal des demandes").inner_text()
    assert "Effacement" in journal
    assert "nora" not in journal.lower()

"""The editorial chain in real Chromium: a partner editor of one neighbourhood writes a portrait in
the Wagtail admin and submits it for review; the coordinators are told by e-mail, nothing goes live
before they approve, and the editor never sees the other neighbourhoods."""

import re
import secrets

import pytest

from tests.browser.accounts import log_in as log_in_as
from tests.browser.accounts import set_password

EDITOR = "redaction-tarascon"
COORDINATOR_EMAIL = "coordination@demo.impact-jeunes.example"
HUB_URL = "/quartiers/tarascon/"
OTHER_HUBS = {
    "Parc Bellevue – Félix Pyat": "/quartiers/parc-bellevue-felix-pyat/",
    "Les Lauriers – Olivier A": "/quartiers/les-lauriers-olivier-a/",
}
# The workflow is named by home.roles.REVIEW_WORKFLOW; Wagtail labels the action "Soumettre à <workflow>".
SUBMIT = "Soumettre à Relecture avant publication"


def squeeze(text):
    # French messages put non-breaking spaces inside « »: compare on single ordinary spaces.
    return " ".join(text.split())


@pytest.fixture(scope="module")
def editor_password(live_site):
    """A password only this test run knows: the demo prints random ones once, and the test must
    still log in through the real login form."""
    return set_password(live_site, EDITOR)


@pytest.fixture
def admin_page(browser):
    # Partner associations write on a computer: a desktop viewport shows the admin as they see it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def visitor_page(browser):
    """A visitor who is not logged in to the admin."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_site, password):
    # A partner editor has no second factor to give: the admin opens after the password.
    log_in_as(page, live_site, EDITOR, password)


def open_hub_explorer(page, live_site):
    """The editor's page explorer: Wagtail opens it on the only part of the tree they may edit."""
    page.goto(live_site + "/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("Tarascon")


def fill_portrait(page, title):
    page.locator("#id_title").fill(title)
    page.get_by_role("textbox", name="Prénom affiché*").fill("Lina")
    page.get_by_role("spinbutton", name="Âge*").fill("19")
    page.get_by_role("textbox", name="Citation*").fill("J'ai poussé la porte de la Mission Locale, et tout a changé.")
    page.get_by_role("textbox", name="Métier actuel*").fill("Apprentie fleuriste")

    page.get_by_role("button", name="Choisir secteur d'activité").click()
    chooser = page.locator(".modal-dialog")
    chooser.get_by_role("link", name="Commerce").click()
    chooser.wait_for(state="detached")

    # The story needs at least one block: a parcours with one dated step, as real portraits have.
    story = page.get_by_role("region", name="Récit*", exact=True)
    story.get_by_role("button", name="Insérer un bloc").click()
    page.get_by_role("option", name="Parcours").click()
    story.get_by_role("textbox", name="Date*").fill("2023-09-01")
    page.keyboard.press("Escape")  # closes the date picker, which would cover the next field
    story.get_by_role("textbox", name="Étape*").fill("Entrée en CAP fleuriste en alternance")


def test_a_partner_editor_writes_a_portrait_and_submits_it_for_review(
    admin_page, visitor_page, live_site, editor_password
):
    page = admin_page
    title = f"Lina, apprentie fleuriste ({secrets.token_hex(3)})"
    log_in(page, live_site, editor_password)
    open_hub_explorer(page, live_site)

    page.get_by_role("link", name="Ajouter une sous-page").click()
    page.get_by_role("link", name="Portrait", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/stories/portraitpage/\d+/$"))
    fill_portrait(page, title)

    page.get_by_role("button", name="Plus d'actions").click()
    submit = page.get_by_role("button", name=SUBMIT)
    assert submit.is_visible()
    # Only the coordinators publish: the editor's menu offers no way to put the page online.
    assert page.get_by_role("button", name=re.compile("^Publier")).count() == 0
    assert page.locator("button[name='action-publish']").count() == 0
    submit.click()

    # Back in the hub's explorer, where the new portrait waits for review. Submitting e-mails every
    # coordinator and renders the explorer: on a busy CI machine that takes longer than Playwright's 30 s.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"), timeout=90_000)
    message = squeeze(page.locator(".messages").inner_text())
    assert f"« {title} »" in message
    assert "soumise pour modération" in message
    row = page.locator("main table tbody tr").filter(has_text=title)
    assert "en cours de modération" in row.inner_text().lower()

    # In the editor the page is held by the workflow, still without any publish action.
    row.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert page.get_by_role("button", name="Annuler le workflow").is_visible()
    page.get_by_role("button", name="Plus d'actions").click()
    assert page.get_by_role("button", name=re.compile("^Publier")).count() == 0
    assert page.locator("button[name='action-publish']").count() == 0
    slug = page.locator("#id_slug").input_value()
    assert slug

    # Nothing is online before a coordinator approves.
    response = visitor_page.goto(live_site + HUB_URL + slug + "/")
    assert response.status == 404

    # The coordinators are told, by the e-mail Wagtail sends for the review task.
    mails = [
        mail
        for mail in live_site.mails()
        if COORDINATOR_EMAIL in str(mail["To"]) and title in squeeze(str(mail["Subject"]))
    ]
    assert len(mails) == 1
    assert title in squeeze(mails[0].get_body(("plain",)).get_content())


def test_a_partner_editor_sees_only_their_own_neighbourhood(admin_page, visitor_page, live_site, editor_password):
    # The other hubs exist and are public under these very titles, so their absence below means something.
    for hub_title, url in OTHER_HUBS.items():
        visitor_page.goto(live_site + url)
        assert visitor_page.get_by_role("heading", level=1).inner_text().strip() == hub_title

    page = admin_page
    log_in(page, live_site, editor_password)
    open_hub_explorer(page, live_site)
    # The explorer starts at Tarascon: no breadcrumb leads up to the neighbourhoods' index.
    assert page.get_by_role("link", name="Quartiers", exact=True).count() == 0
    explorer_text = page.locator("main").inner_text()

    # The sidebar's page menu offers the same single branch.
    page.get_by_role("button", name="Pages", exact=True).click()
    menu = page.locator("#wagtail-sidebar")
    menu.get_by_role("link", name="Tarascon").first.wait_for()
    menu_text = menu.inner_text()

    # Searching the admin for another hub finds nothing either.
    page.goto(live_site + "/admin/pages/search/?q=Bellevue")
    search_text = page.locator("main").inner_text()

    for hub_title in OTHER_HUBS:
        assert hub_title not in explorer_text
        assert hub_title not in menu_text
        assert hub_title not in search_text

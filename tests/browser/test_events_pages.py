"""Events in real Chromium: a young person registers for a forum on a phone, by touch and by
keyboard only, gets the e-mail, and can cancel; every event page and form passes axe-core,
error states included."""

import re

import pytest

from tests.browser.test_accessibility import axe_violations

FORUM = "/quartiers/tarascon/forum-emploi-tarascon/"


def fill_registration(page, email, **overrides):
    values = {"Prénom": "Inès", "Nom": "Test", "E-mail": email, "Ton quartier ou ta commune": "Tarascon"}
    values.update(overrides)
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("18 à 25 ans").check()
    page.get_by_label("Avec un parent").check()
    page.get_by_label(re.compile("je suis d'accord")).check()


@pytest.mark.parametrize(
    "path",
    ["/evenements/", "/evenements/archives/", "/evenements/?type=forum", FORUM, "/evenements/proposer/"],
)
def test_event_pages_have_no_axe_violations(page, live_site, path):
    response = page.goto(live_site + path)
    assert response.status == 200
    assert axe_violations(page) == []


def mails_to(live_site, address, subject_start):
    return [
        mail
        for mail in live_site.mails()
        if str(mail["To"]).strip() == address and str(mail["Subject"]).strip().startswith(subject_start)
    ]


def plain_body(mail):
    parts = {part.get_content_type(): part for part in mail.walk()}
    return parts["text/plain"].get_payload(decode=True).decode()


def test_a_young_person_registers_on_a_phone_and_can_cancel(page, live_site):
    page.goto(live_site + "/evenements/")
    page.get_by_role("link", name="Forum de l'emploi et de l'apprentissage de Tarascon").click()
    page.wait_for_url("**" + FORUM)
    seats_before = int(re.search(r"Il reste (\d+) place", page.locator(".seats").inner_text()).group(1))

    # « Je m'inscris » under the title jumps to the form.
    page.locator("article > header").get_by_role("link", name="Je m'inscris").click()
    page.wait_for_url("**#inscription")
    assert page.get_by_label("Prénom", exact=True).is_visible()

    fill_registration(page, "ines.navigateur@example.org")
    page.get_by_role("button", name="Je m'inscris").click()
    page.wait_for_url("**inscription=confirmee*")
    # The confirmation has taken the form's place, in view on the phone's screen.
    status = page.locator("#inscription").get_by_role("status")
    assert "Ta place est réservée" in status.inner_text()
    assert status.is_visible()
    assert page.locator("#inscription form").count() == 0
    assert page.get_by_role("button", name="Je m'inscris").count() == 0
    # Reloading sends nothing again (the POST was redirected).
    page.reload()
    assert page.locator("#inscription form").count() == 0
    assert len(mails_to(live_site, "ines.navigateur@example.org", "Inscription confirmée")) == 1
    page.goto(live_site + FORUM)
    assert f"Il reste {seats_before - 1} place" in page.locator(".seats").inner_text()

    (mail,) = mails_to(live_site, "ines.navigateur@example.org", "Inscription confirmée")
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert "text/calendar" in parts
    cancel_link = re.search(r"http\S+/inscriptions/annuler/\S+/", plain_body(mail)).group(0)

    # The link from the mailbox, as mailed (the configured address).
    assert cancel_link.startswith(live_site + "/")
    page.goto(cancel_link)
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("j'annule")).click()
    assert "est annulée" in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []
    page.goto(live_site + FORUM)
    assert f"Il reste {seats_before} place" in page.locator(".seats").inner_text()

    # The cancellation is confirmed by e-mail, with the way back to the event.
    (cancelled,) = mails_to(live_site, "ines.navigateur@example.org", "Inscription annulée")
    assert live_site + FORUM in plain_body(cancelled)

    # The same link again, days later: it says it was used, and offers nothing to press.
    page.goto(cancel_link)
    assert "Ce lien a déjà servi" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name=re.compile("j'annule")).count() == 0
    assert axe_violations(page) == []


def test_registration_works_without_javascript(browser, live_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_site + FORUM)
        page.locator("article > header").get_by_role("link", name="Je m'inscris").click()
        fill_registration(page, "sans.javascript@example.org")
        page.get_by_role("button", name="Je m'inscris").click()
        page.wait_for_url("**inscription=confirmee*")
        assert "Ta place est réservée" in page.locator("#inscription").inner_text()
        assert page.locator("#inscription form").count() == 0
    finally:
        context.close()


def test_errors_are_announced_kept_and_accessible(page, live_site):
    page.goto(live_site + FORUM)
    page.get_by_label("Prénom", exact=True).fill("Sami")
    page.get_by_role("button", name="Je m'inscris").click()
    alert = page.get_by_role("alert")
    assert "pas encore faite" in alert.inner_text()
    assert page.get_by_label("Prénom", exact=True).input_value() == "Sami"
    email = page.get_by_label("E-mail", exact=True)
    assert email.get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []


def test_registration_with_the_keyboard_only(page, live_site):
    page.goto(live_site + FORUM)
    page.get_by_label("Prénom", exact=True).focus()
    page.keyboard.type("Noé")
    for text in ("Clavier", "noe.clavier@example.org"):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Tab")  # phone (optional)
    page.keyboard.press("Tab")  # first age radio
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # 18 à 25 ans
    page.keyboard.press("Tab")  # guardian e-mail (not needed)
    page.keyboard.press("Tab")
    page.keyboard.type("Tarascon")
    page.keyboard.press("Tab")  # companion radios: keep "seul"
    page.keyboard.press("Tab")  # privacy notice link
    page.keyboard.press("Tab")  # consent checkbox
    page.keyboard.press("Space")
    assert page.get_by_label(re.compile("je suis d'accord")).is_checked()
    assert page.get_by_label("18 à 25 ans").is_checked()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused in {"Je m'inscris", "M'inscrire sur la liste d'attente"}
    page.keyboard.press("Enter")
    page.wait_for_url("**inscription=*")
    assert page.get_by_role("status").first.is_visible()


def test_calendar_file_is_offered(page, live_site):
    page.goto(live_site + FORUM)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ajouter à mon agenda")).click()
    assert download.value.suggested_filename.endswith(".ics")


@pytest.mark.parametrize(
    "path",
    ["/", "/portraits/", "/entreprises/", "/dispositifs/", "/evenements/", FORUM, "/evenements/proposer/"],
)
def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, live_site, path):
    page.goto(live_site + path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

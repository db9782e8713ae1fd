"""A new company account opens, in real Chromium on a phone-sized screen: the coordinators create it
on the live site, the person reads the « Choisissez votre mot de passe » e-mail, follows its link (on
the site's configured address, not localhost), chooses a password, signs in and finds their company's
page to edit. And « Mot de passe oublié ? » for an account that never had a password."""

import re
import secrets

from tests.browser.test_accessibility import axe_violations

COMPANY = "Belle de Mai Numérique (fictive)"
COMPANY_SLUG = "belle-de-mai-numerique"
LINK = re.compile(r"https?://\S+")


def mails_to(live_site, address):
    return [mail for mail in live_site.mails() if str(mail["To"]).strip() == address]


def body_of(mail):
    return mail.get_body(("plain",)).get_content()


def new_password():
    return "Fournil-" + secrets.token_urlsafe(12)


def sign_in(page, live_site, username, password):
    if not page.url.endswith("/admin/login/"):
        page.goto(live_site + "/admin/login/")
    page.get_by_label(re.compile("Nom d.utilisateur")).fill(username)
    page.get_by_label(re.compile(r"Mot de passe|Password")).fill(password)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(live_site + "/admin/")


def choose_password(page, password):
    page.get_by_label(re.compile("Nouveau mot de passe")).fill(password)
    page.get_by_label(re.compile("Confirmation")).fill(password)


def test_a_new_company_account_opens_from_the_mailed_link(page, live_site):
    address = f"gerante-{secrets.token_hex(3)}@bdm-numerique.example"
    live_site.manage("create_company_account", COMPANY_SLUG, "--email", address)

    (mail,) = mails_to(live_site, address)
    assert str(mail["Subject"]).strip() == "Choisissez votre mot de passe — Impact Jeunes"
    body = body_of(mail)
    assert "Un compte a été créé pour vous" in body
    links = LINK.findall(body)
    # Every link leads back to the site that sent it: its configured address, never localhost:80.
    assert links
    for link in links:
        assert link.startswith(live_site + "/"), link
    (invitation,) = [link for link in links if "/admin/bienvenue/" in link]

    page.goto(invitation)
    assert page.get_by_role("heading", level=1).inner_text() == "Choisissez votre mot de passe"
    assert address in page.locator("main").inner_text()
    assert axe_violations(page) == []
    password = new_password()
    choose_password(page, password)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Votre mot de passe est enregistré"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Se connecter").click()
    page.wait_for_url(live_site + "/admin/login/")
    sign_in(page, live_site, address, password)

    # « Pages » opens on the only page they may edit, their company's; « Actions » → « Modifier ».
    page.goto(live_site + "/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith(COMPANY)
    page.get_by_role("button", name="Actions").first.click()
    page.get_by_role("link", name="Modifier", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert page.locator("#id_title").input_value() == COMPANY

    # The link served once.
    page.context.clear_cookies()
    page.goto(invitation)
    assert page.get_by_role("heading", level=1).inner_text() == "Ce lien n'est plus valable"
    assert axe_violations(page) == []


def test_forgotten_password_for_an_account_that_never_had_one(page, live_site):
    address = f"associe-{secrets.token_hex(3)}@bdm-numerique.example"
    live_site.manage("create_company_account", COMPANY_SLUG, "--email", address)
    assert len(mails_to(live_site, address)) == 1  # the invitation, lost in a spam folder

    page.goto(live_site + "/admin/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_role("textbox").first.fill(address)
    page.get_by_role("button", name=re.compile("initialiser")).click()
    page.wait_for_url(re.compile(r"/admin/password_reset/done/$"))

    mails = mails_to(live_site, address)
    assert len(mails) == 2
    (reset_link,) = [link for link in LINK.findall(body_of(mails[-1])) if "/password_reset/confirm/" in link]
    assert reset_link.startswith(live_site + "/admin/password_reset/confirm/")

    page.goto(reset_link)
    password = new_password()
    choose_password(page, password)
    page.get_by_role("button", name=re.compile("initialiser")).click()
    page.wait_for_url(re.compile(r"/admin/password_reset/complete/$"))
    sign_in(page, live_site, address, password)
    page.goto(live_site + "/admin/pages/")
    assert page.get_by_role("heading", level=1).inner_text().endswith(COMPANY)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(page, live_site):
    before = len(live_site.mails())
    page.goto(live_site + "/admin/password_reset/")
    page.get_by_role("textbox").first.fill("personne@inconnu.example")
    page.get_by_role("button", name=re.compile("initialiser")).click()
    page.wait_for_url(re.compile(r"/admin/password_reset/done/$"))
    assert len(live_site.mails()) == before

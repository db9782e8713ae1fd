"""The axe-core sweep: every public page type and every form, error states included, in real Chromium,
with no violations (WCAG 2.2 AA, the basis of the RGAA).

The pages are the demo content served by gunicorn (see conftest.py): what a newcomer sees. Pages that
other work adds later (search, posters) are swept as soon as they answer, and skipped with the reason
until then, so the sweep grows with the site instead of going stale."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

FORUM = "/quartiers/tarascon/forum-emploi-tarascon/"
STANDARD_PAGES = ["/a-propos/", "/mentions-legales/", "/confidentialite/", "/accessibilite/"]


def axe_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def assert_accessible(page):
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1, "each page has exactly one main heading"
    assert axe_violations(page) == []


def visit(page, url):
    # A page's first visit makes its image renditions (AVIF, WebP, JPEG at two sizes): on a loaded CI
    # machine that can outlast Playwright's 30 s default, which would fail the sweep for the wrong reason.
    return page.goto(url, timeout=90_000)


def first_link(page, live_site, path, selector):
    visit(page, live_site + path)
    return page.locator(selector).first.get_attribute("href")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/quartiers/",
        "/quartiers/?departement=13&commune=Tarascon",
        "/quartiers/parc-bellevue-felix-pyat/",
        "/quartiers/tarascon/",
        "/portraits/",
        "/portraits/?quartier=tarascon",
        "/entreprises/",
        "/entreprises/?offre=alternance",
        "/dispositifs/",
        "/evenements/",
        "/evenements/?type=forum",
        "/evenements/archives/",
        FORUM,
        "/evenements/proposer/",
        "/evenements/proposer/?merci=1",
        *STANDARD_PAGES,
    ],
)
def test_page_has_no_axe_violations(page, live_site, path):
    response = visit(page, live_site + path)
    assert response.status == 200
    assert_accessible(page)


def test_not_found_page_has_no_axe_violations(page, live_site):
    response = page.goto(live_site + "/page-qui-n-existe-pas/")
    assert response.status == 404
    assert_accessible(page)
    # The 404 page offers a way on, not a dead end.
    assert page.get_by_role("link", name=re.compile("accueil", re.IGNORECASE)).count() > 0


@pytest.mark.parametrize(
    ("listing", "selector"),
    [
        ("/portraits/", ".card__title a"),
        ("/entreprises/", ".card__title a"),
        ("/dispositifs/", "main a[href^='/dispositifs/']:not([href='/dispositifs/'])"),
        ("/evenements/archives/", ".card__title a"),
    ],
)
def test_detail_pages_have_no_axe_violations(page, live_site, listing, selector):
    href = first_link(page, live_site, listing, selector)
    if href is None:
        pytest.skip(f"{listing} lists nothing to open in the demo content")
    response = visit(page, live_site + href)
    assert response.status == 200
    assert_accessible(page)


def test_every_portrait_shown_on_the_first_page_has_no_axe_violations(page, live_site):
    # Portraits differ by privacy level (full name, first name, changed first name), photo or not,
    # video or not: the demo covers these, so sweeping the first listing page covers them too.
    page.goto(live_site + "/portraits/")
    hrefs = page.locator(".card__title a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs
    problems = {}
    for href in hrefs:
        visit(page, live_site + href)
        violations = axe_violations(page)
        if violations:
            problems[href] = violations
    assert problems == {}


@pytest.mark.parametrize("listing", ["/portraits/", "/entreprises/", "/evenements/archives/"])
def test_second_listing_page_has_no_axe_violations(page, live_site, listing):
    page.goto(live_site + listing)
    next_link = page.locator("a[rel='next']")
    if next_link.count() == 0:
        pytest.skip(f"{listing} fits on one page with the demo content")
    next_link.first.click()
    page.wait_for_url("**page=2*")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/recherche/?q=apprentissage", "/recherche/?q=", "/quartiers/tarascon/affiche/", FORUM + "affiche/"],
)
def test_pages_being_built_have_no_axe_violations(page, live_site, path):
    response = page.goto(live_site + path)
    if response.status == 404:
        pytest.skip(f"{path} does not exist yet (404): swept as soon as it is built")
    assert response.status == 200
    assert_accessible(page)


# The layouts that differ between a phone and a desktop: the header (menu folded behind « Menu » on a
# phone), the home page's calls to action, the posters (reflowed on a phone). The sweep above runs at
# phone size with the menu closed; these add the open menu and the desktop screen.

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("path", ["/", "/portraits/", FORUM, "/quartiers/tarascon/affiche/", FORUM + "affiche/"])
def test_desktop_layouts_have_no_axe_violations(browser, live_site, path):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    assert visit(page, live_site + path).status == 200
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("path", ["/", FORUM, "/recherche/?q=apprentissage"])
def test_open_phone_menu_has_no_axe_violations(page, live_site, path):
    assert visit(page, live_site + path).status == 200
    page.locator("summary", has_text="Menu").click()
    assert page.get_by_role("navigation", name="Navigation principale").is_visible()
    assert_accessible(page)


# Forms: the error state is the page a young person most needs to understand.


def assert_errors_linked_to_fields(page, form_selector):
    """Every invalid field says so (aria-invalid) and points at its French error message
    (aria-describedby, on the field or on its fieldset for radio buttons)."""
    report = page.locator(form_selector).evaluate(
        """form => {
            const invalid = [...form.querySelectorAll('[aria-invalid="true"]')];
            return invalid.map(field => {
                const ids = [
                    ...(field.getAttribute('aria-describedby') || '').split(/\\s+/),
                    ...((field.closest('fieldset') || {getAttribute: () => ''}).getAttribute('aria-describedby')
                        || '').split(/\\s+/),
                ].filter(Boolean);
                const messages = ids.map(id => document.getElementById(id))
                    .filter(el => el && el.classList.contains('errorlist'))
                    .map(el => el.textContent.trim());
                return {name: field.name, messages};
            });
        }"""
    )
    assert report, "the re-rendered form marks its invalid fields"
    for field in report:
        assert field["messages"], f"{field['name']} has no linked error message"
        assert all(field["messages"]), f"{field['name']} has an empty error message"
    shown = page.locator(f"{form_selector} .errorlist").count()
    assert shown >= 1
    # Fields without an error are not announced as invalid.
    assert page.locator(f"{form_selector} .form-field:not(.form-field--error) [aria-invalid='true']").count() == 0


def assert_summary_links_reach_fields(page):
    """An error summary, if there is one, lists links that move focus to the field to fix."""
    links = page.locator("[role='alert'] a[href^='#']")
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")[1:]
        assert page.locator(f"[id='{target}']").count() == 1, f"summary link to missing #{target}"
    if links.count():
        links.first.click()
        assert page.evaluate("() => document.activeElement.id") == links.first.get_attribute("href")[1:]


def test_registration_form_empty_submission_is_accessible(page, live_site):
    page.goto(live_site + FORUM)
    page.get_by_role("button", name=re.compile("Je m'inscris|liste d'attente")).click()
    page.wait_for_load_state()
    assert "pas encore faite" in page.get_by_role("alert").inner_text()
    assert page.locator(".registration-form .errorlist").count() >= 3  # names, e-mail, consent at least
    assert_errors_linked_to_fields(page, ".registration-form")
    assert_summary_links_reach_fields(page)
    assert axe_violations(page) == []


def test_registration_form_invalid_data_is_accessible(page, live_site):
    page.goto(live_site + FORUM)
    page.get_by_label("Prénom", exact=True).fill("Sami")
    page.get_by_label("Nom", exact=True).fill("Essai")
    page.get_by_label("E-mail", exact=True).fill("sami-at-example")
    page.get_by_role("radio", name="Moins de 15 ans").check()  # then a parent's e-mail is needed
    page.get_by_role("button", name=re.compile("Je m'inscris|liste d'attente")).click()
    page.wait_for_load_state()
    email = page.get_by_label("E-mail", exact=True)
    assert email.get_attribute("aria-invalid") == "true"
    assert email.input_value() == "sami-at-example"  # what was typed is kept
    assert_errors_linked_to_fields(page, ".registration-form")
    assert axe_violations(page) == []


def test_registration_success_and_cancel_pages_are_accessible(page, live_site):
    address = "axe.sweep@example.org"
    page.goto(live_site + FORUM)
    page.get_by_label("Prénom", exact=True).fill("Axel")
    page.get_by_label("Nom", exact=True).fill("Balayage")
    page.get_by_label("E-mail", exact=True).fill(address)
    page.get_by_label("Ton quartier ou ta commune", exact=True).fill("Tarascon")
    page.get_by_label("18 à 25 ans").check()
    page.get_by_label(re.compile("je suis d'accord")).check()
    page.get_by_role("button", name=re.compile("Je m'inscris|liste d'attente")).click()
    page.wait_for_url("**inscription=*")
    assert page.get_by_role("status").first.is_visible()
    assert axe_violations(page) == []

    mails = [mail for mail in live_site.mails() if str(mail["To"]).strip() == address]
    assert len(mails) == 1
    body = next(part for part in mails[0].walk() if part.get_content_type() == "text/plain").get_content()
    cancel_link = re.search(r"http\S+/inscriptions/annuler/\S+/", body).group(0)
    page.goto(cancel_link)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("j'annule")).click()
    assert "est annulée" in page.get_by_role("status").inner_text()
    assert_accessible(page)


def test_proposal_form_error_states_are_accessible(page, live_site):
    page.goto(live_site + "/evenements/proposer/")
    page.get_by_role("button", name=re.compile("Envoyer|Proposer", re.IGNORECASE)).click()
    page.wait_for_load_state()
    assert "pas encore envoyée" in page.get_by_role("alert").inner_text()
    assert page.title().startswith("Erreur")
    assert_errors_linked_to_fields(page, ".proposal-form")
    assert_summary_links_reach_fields(page)
    assert axe_violations(page) == []

    page.get_by_label("Votre e-mail").fill("rh-at-example")
    page.get_by_label("Code postal").fill("13")
    page.get_by_role("button", name=re.compile("Envoyer|Proposer", re.IGNORECASE)).click()
    page.wait_for_load_state()
    assert page.get_by_label("Votre e-mail").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Code postal").get_attribute("aria-invalid") == "true"
    assert_errors_linked_to_fields(page, ".proposal-form")
    assert axe_violations(page) == []


# Kept from the first sweep: content checks and the no-JavaScript filter.


def test_home_and_neighbourhood_pages_show_their_content(page, live_site):
    page.goto(live_site + "/")
    assert page.locator("h1").inner_text().startswith("Des jeunes de nos quartiers")
    page.get_by_role("link", name="Parc Bellevue – Félix Pyat").click()
    page.wait_for_url("**/quartiers/parc-bellevue-felix-pyat/")
    assert page.locator("h1").inner_text() == "Parc Bellevue – Félix Pyat"
    image = page.locator(".page-header__figure img")
    # The browser picked a modern format from <picture> and the image actually loaded.
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.currentSrc").endswith((".avif", ".webp"))


def test_keyboard_user_reaches_content_through_the_skip_link(page, live_site):
    page.goto(live_site + "/quartiers/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0  # moved on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"


def test_filter_form_works_without_javascript(browser, live_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_site + "/quartiers/")
    page.select_option("#filter-commune", "Tarascon")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/quartiers/?*commune=Tarascon*")
    assert page.locator(".card__title").all_inner_texts() == ["Tarascon"]
    context.close()


def test_standard_pages_are_linked_from_every_page_footer(page, live_site):
    page.goto(live_site + "/evenements/")
    footer = page.locator("footer.site-footer")
    for path in ["/mentions-legales/", "/confidentialite/", "/accessibilite/"]:
        assert footer.locator(f"a[href='{path}']").count() == 1, f"{path} missing from the footer"


@pytest.mark.parametrize(
    ("path", "must_say"),
    [
        ("/mentions-legales/", ["Qui publie ce site ?", "Directeur ou directrice de la publication", "héberge"]),
        ("/confidentialite/", ["30 jours après l'événement", "moins de 15 ans", "effacer", "CNIL"]),
        ("/accessibilite/", ["non conforme", "RGAA", "Nous écrire", "Défenseur des droits"]),
    ],
)
def test_legal_pages_say_what_they_must_in_short_sentences(page, live_site, path, must_say):
    page.goto(live_site + path)
    text = page.locator("main").inner_text()
    for words in must_say:
        # « site ? » is written with a no-break space before the sign (home/typography.py).
        assert words in text.replace("\u00a0", " ")
    # Plain language for a 13-year-old: short sentences, none of them a legal paragraph.
    sentences = [s for s in re.split(r"(?<=[.!?;:])\s+|\n+", text) if len(s.split()) > 1]
    lengths = [len(s.split()) for s in sentences]
    assert sum(lengths) / len(lengths) <= 14
    assert max(lengths) <= 30, max(sentences, key=lambda s: len(s.split()))

"""Every public page type, in real Chromium, passes axe-core with no violations.

The pages are the demo content served by gunicorn (see conftest.py): what a newcomer sees."""

import pytest
from axe_playwright_python.sync_playwright import Axe


def axe_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/quartiers/",
        "/quartiers/?departement=13&commune=Tarascon",
        "/quartiers/parc-bellevue-felix-pyat/",
        "/a-propos/",
        "/confidentialite/",
        "/page-qui-n-existe-pas/",
    ],
)
def test_page_has_no_axe_violations(page, live_site, path):
    response = page.goto(live_site + path)
    assert response.status == (404 if "n-existe-pas" in path else 200)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert axe_violations(page) == []


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

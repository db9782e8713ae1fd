"""A first visit on a phone (390 x 844), as a 16-year-old makes it: the header leaves the screen to the
page, the menu opens with a tap or the keyboard even without JavaScript, the home page says where to
go first and shows young people from more than one neighbourhood, and posters fit the screen.

The axe sweep of these pages (phone and desktop, menu open) is in test_accessibility.py."""

import re

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FORUM = "/quartiers/tarascon/forum-emploi-tarascon/"
POSTERS = ["/quartiers/tarascon/affiche/", FORUM + "affiche/", "/quartiers/parc-bellevue-felix-pyat/affiche/"]
MAX_HEADER = 200  # under a quarter of the phone's height: the page starts on the first screen


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def header_height(page):
    return page.locator("header.site-header").bounding_box()["height"]


def focused(page):
    """The focused element, and whether its focus can be seen (outline or ring)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.textContent || '').trim(),
                href: el.getAttribute('href'),
                visible: outline || (style.boxShadow && style.boxShadow !== 'none'),
            };
        }"""
    )


@pytest.mark.parametrize("path", ["/", "/portraits/", "/evenements/", FORUM, "/recherche/?q=boulangerie"])
def test_the_phone_header_takes_under_a_quarter_of_the_screen(no_js_phone, live_site, path):
    page = no_js_phone
    assert page.goto(live_site + path).status == 200
    assert header_height(page) < MAX_HEADER
    # Still there, compact: the demo banner says the people are invented.
    assert "Site de démonstration" in page.locator(".demo-banner").inner_text()
    # The menu is folded: its links are not on screen until it is opened.
    menu = page.get_by_role("navigation", name="Navigation principale")
    assert not menu.is_visible()
    assert page.locator("summary", has_text="Menu").is_visible()


def test_the_menu_opens_with_the_keyboard_without_javascript(no_js_phone, live_site):
    page = no_js_phone
    page.goto(live_site + "/")
    seen = []
    for _ in range(4):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], f"focus is invisible on {now}"
        seen.append(now["text"])
        if now["tag"] == "summary":
            break
    assert seen[0] == "Aller au contenu"
    assert now["tag"] == "summary"
    assert now["text"] == "Menu"
    page.keyboard.press("Enter")
    menu = page.get_by_role("navigation", name="Navigation principale")
    assert menu.is_visible()
    # The menu follows its button: the next Tab is its first link, then on to « Portraits ».
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Accueil"
    for _ in range(6):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], f"focus is invisible on {now}"
        if now["text"] == "Portraits":
            break
    assert now["href"] == "/portraits/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/portraits/")
    assert page.locator("h1").inner_text() == "Portraits"
    # Opened menus do not follow to the next page: the header is compact again.
    assert header_height(page) < MAX_HEADER


def test_the_menu_opens_with_a_tap_and_its_search_works_without_javascript(no_js_phone, live_site):
    page = no_js_phone
    page.goto(live_site + "/")
    page.locator("summary", has_text="Menu").click()
    header = page.locator("header.site-header")
    header.get_by_role("link", name="Événements", exact=True).click()
    page.wait_for_url("**/evenements/")
    assert page.locator("h1").inner_text() == "Événements"

    page.locator("summary", has_text="Menu").click()
    header.get_by_label("Rechercher").fill("boulangerie")
    header.get_by_role("button", name="OK").click()
    page.wait_for_url("**/recherche/?q=boulangerie")
    assert "boulangerie" in page.locator("h1").inner_text()


def test_desktop_keeps_the_full_menu_and_search_in_view(browser, live_site):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(live_site + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    assert menu.is_visible()
    names = [name.strip() for name in menu.get_by_role("link").all_inner_texts()]
    assert names == ["Accueil", "Quartiers", "Portraits", "Entreprises", "Dispositifs", "Événements"]
    assert page.locator("header.site-header").get_by_label("Rechercher").is_visible()
    assert not page.locator("summary", has_text="Menu").is_visible()
    context.close()


def test_home_says_where_to_go_first(page, live_site):
    page.goto(live_site + "/")
    actions = page.locator(".home-actions a")
    assert actions.count() == 3
    # All three on the first screen of the phone.
    for index in range(3):
        box = actions.nth(index).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], actions.nth(index).inner_text()

    page.get_by_role("link", name="Trouve un modèle comme toi").click()
    page.wait_for_url("**/portraits/")
    assert page.locator("h1").inner_text() == "Portraits"

    page.goto(live_site + "/")
    page.get_by_role("link", name="Mon quartier").click()
    page.wait_for_url("**/quartiers/")
    assert page.locator("h1").inner_text() == "Quartiers"

    # The next forum is the first of the upcoming events listed further down the same page.
    page.goto(live_site + "/")
    call = page.locator(".home-action--event")
    assert re.match(r"Prochain (forum|rendez-vous)", call.inner_text(), re.IGNORECASE)
    soonest = page.locator('section[aria-labelledby="upcoming-events-title"] .card__title a').first
    title, href = soonest.inner_text().strip(), soonest.get_attribute("href")
    assert call.get_attribute("href") == href
    assert title in call.inner_text()
    call.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1").inner_text().strip() == title


def test_featured_portraits_come_from_more_than_one_neighbourhood(page, live_site):
    page.goto(live_site + "/")
    links = page.locator('section[aria-labelledby="featured-portraits-title"] .card__title a')
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) == 3
    hubs = {href.split("/")[2] for href in hrefs}  # /quartiers/<hub>/<portrait>/
    assert len(hubs) > 1, hrefs


@pytest.mark.parametrize("path", POSTERS)
def test_posters_fit_a_phone_screen_and_still_print_on_one_a4_sheet(page, live_site, path):
    assert page.goto(live_site + path).status == 200
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert page.locator(".poster-qr").bounding_box()["width"] > 100  # the QR code stays scannable on screen

    # Printing ignores the phone layout: the A4 rules (12 px base, no sheet padding, footer on one row).
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => {
            const poster = getComputedStyle(document.querySelector('.poster'));
            const footer = getComputedStyle(document.querySelector('.poster__footer'));
            return [poster.fontSize, poster.paddingLeft, footer.flexWrap];
        }"""
    )
    assert printed == ["12px", "0px", "nowrap"]
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1

"""Portraits, companies and schemes in real Chromium: axe-core, phones without JavaScript, and
videos that load nothing from the video host before the visitor asks."""

import re

import pytest

from tests.browser.test_accessibility import axe_violations


def first_card_href(page, live_site, listing):
    page.goto(live_site + listing)
    return page.locator(".card__title a").first.get_attribute("href")


@pytest.mark.parametrize(
    "listing",
    ["/portraits/", "/portraits/?quartier=tarascon", "/entreprises/", "/entreprises/?offre=alternance"],
)
def test_listings_have_no_axe_violations(page, live_site, listing):
    response = page.goto(live_site + listing)
    assert response.status == 200
    assert page.locator(".card").count() > 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("listing", ["/portraits/", "/entreprises/"])
def test_detail_pages_have_no_axe_violations(page, live_site, listing):
    href = first_card_href(page, live_site, listing)
    response = page.goto(live_site + href)
    assert response.status == 200
    assert axe_violations(page) == []


def test_scheme_directory_and_scheme_page_have_no_axe_violations(page, live_site):
    page.goto(live_site + "/dispositifs/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Mission Locale")).first.click()
    page.wait_for_url("**/dispositifs/*/")
    assert page.locator("h1").inner_text().startswith("Mission Locale")
    assert axe_violations(page) == []


def test_a_young_person_filters_portraits_on_a_phone_without_javascript(browser, live_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_site + "/portraits/")
    total = page.locator(".card").count()
    page.select_option("#filter-quartier", "tarascon")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/portraits/?*quartier=tarascon*")
    cards = page.locator(".card")
    assert 0 < cards.count() < total
    # Every card of the filtered list leads to a portrait of Tarascon.
    for href in [a.get_attribute("href") for a in page.locator(".card__title a").all()]:
        assert href.startswith("/quartiers/tarascon/")
    context.close()


VIDEO_HOSTS = re.compile(r"https://([a-z0-9-]+\.)*(youtube|youtube-nocookie|youtu|vimeo|ytimg|googlevideo)\.[a-z]+/")
PORTRAIT_WITH_VIDEO = "/quartiers/parc-bellevue-felix-pyat/ines-haddad-apprentie-boulangere/"


def test_video_loads_nothing_from_the_host_until_the_visitor_asks(page, live_site):
    host_requests = []
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text) if "Content Security" in message.text else None)
    # Stand-in for the video host: records the request, answers with an empty page, never leaves the machine.
    page.route(
        VIDEO_HOSTS,
        lambda route: (
            host_requests.append(route.request.url),
            route.fulfill(status=200, content_type="text/html", body="<p>lecteur</p>"),
        ),
    )
    page.goto(live_site + PORTRAIT_WITH_VIDEO)
    page.wait_for_load_state("networkidle")
    assert host_requests == []
    assert page.locator("iframe").count() == 0
    # The transcript is there for everyone, video or not.
    page.get_by_text("Lire la transcription").click()
    assert page.get_by_text("le fournil est encore calme").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Voir la vidéo sur YouTube").click()
    frame = page.locator("iframe.block-video__frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    # The stand-in player shows up inside the frame: the CSP lets the embed host in, after the click.
    page.frame_locator("iframe.block-video__frame").get_by_text("lecteur").wait_for()
    assert host_requests
    assert all("youtube-nocookie.com" in url for url in host_requests)
    assert csp_errors == []


def test_video_without_javascript_is_a_plain_link(browser, live_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_site + PORTRAIT_WITH_VIDEO)
    link = page.get_by_role("link", name="Voir la vidéo sur YouTube")
    assert link.get_attribute("href").startswith("https://www.youtube.com/watch?v=")
    assert page.locator("iframe").count() == 0
    context.close()

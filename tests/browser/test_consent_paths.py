"""The attacks of issue 14, in real Chromium against the demo site under gunicorn with production
settings: a coordinator's session calls Wagtail's admin API to publish a 15-year-old's portrait that
has only one of two guardians' agreement, and uploads a GIF/HTML polyglot through the multiple
uploader. Both are refused in French; the portrait shows nowhere."""

import pytest

from tests.browser.accounts import give_app, log_in, set_password

COORDINATOR = "coordination"
PORTRAIT_SLUG = "yanis-stage-de-3e-informatique"
PORTRAIT_URL = f"/quartiers/parc-bellevue-felix-pyat/{PORTRAIT_SLUG}/"
POLYGLOT = b"GIF89a/*<html><body><script>alert(document.domain)</script></body></html>*/=1;"


@pytest.fixture(scope="module")
def coordinator_credentials(live_site):
    """The coordinator's password and authenticator app key (coordinators log in with a second factor)."""
    return set_password(live_site, COORDINATOR), give_app(live_site, COORDINATOR)


@pytest.fixture
def coordinator_page(browser, live_site, coordinator_credentials):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    log_in(page, live_site, COORDINATOR, *coordinator_credentials)
    yield page
    context.close()


def squeeze(text):
    return " ".join(text.split())


def test_the_admin_api_cannot_publish_a_minor_without_both_guardians(coordinator_page, browser, live_site):
    # The state the issue found: the portrait offline, the second guardian's agreement missing.
    live_site.manage(
        "shell",
        "-c",
        "from stories.models import PortraitConsent, PortraitPage\n"
        f"page = PortraitPage.objects.get(slug={PORTRAIT_SLUG!r})\n"
        "page.unpublish()\n"
        "PortraitConsent.objects.filter(portrait=page).update(guardian_2_agreed=False, guardian_2_name='')",
    )
    page = coordinator_page
    page.goto(live_site + "/admin/pages/")
    answer = page.evaluate(
        """async (slug) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]")?.value
                || document.cookie.match(/csrftoken=([^;]+)/)?.[1];
            const found = await (await fetch(`/admin/api/main/pages/?slug=${slug}`)).json();
            const id = found.items[0].id;
            const response = await fetch(`/admin/api/main/pages/${id}/action/publish/`, {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: "{}",
            });
            return {status: response.status, body: await response.json()};
        }""",
        PORTRAIT_SLUG,
    )
    assert answer["status"] == 400, answer
    message = squeeze(answer["body"]["message"])
    assert message.startswith("Ce portrait ne peut pas être publié :")
    assert "l'accord des deux titulaires de l'autorité parentale" in message

    visitor = browser.new_context(locale="fr-FR").new_page()
    assert visitor.goto(live_site + PORTRAIT_URL).status == 404
    for path in ("/", "/portraits/", "/quartiers/parc-bellevue-felix-pyat/", "/portraits/flux.xml", "/sitemap.xml"):
        response = visitor.goto(live_site + path)
        assert response.status == 200, path
        assert PORTRAIT_SLUG not in response.text(), path
    visitor.goto(live_site + "/recherche/?q=Yanis")
    assert visitor.locator(".card").filter(has_text="Yanis").count() == 0
    visitor.context.close()


def test_a_polyglot_upload_gets_a_french_message(coordinator_page, live_site):
    page = coordinator_page
    page.goto(live_site + "/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "photo.gif", "mimeType": "image/gif", "buffer": POLYGLOT}]
    )
    error = page.get_by_text("Ce fichier ne peut pas être lu comme une image.")
    error.wait_for()
    assert "JPEG ou en PNG" in error.inner_text()

"""The attacks of issue 14, in real Chromium against the demo site under gunicorn with production
settings: a coordinator's session calls Wagtail's admin API to publish a 15-year-old's portrait that
has only one of two guardians' agreement, and uploads a GIF/HTML polyglot through the multiple
uploader. Both are refused in French; the portrait shows nowhere."""

import secrets

import pytest

COORDINATOR = "coordination"
PORTRAIT_SLUG = "yanis-stage-de-3e-informatique"
PORTRAIT_URL = f"/quartiers/parc-bellevue-felix-pyat/{PORTRAIT_SLUG}/"
POLYGLOT = b"GIF89a/*<html><body><script>alert(document.domain)</script></body></html>*/=1;"


@pytest.fixture(scope="module")
def coordinator_password(live_site):
    password = secrets.token_urlsafe(16)
    live_site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"user = get_user_model().objects.get(username={COORDINATOR!r})\n"
        f"user.set_password({password!r})\n"
        "user.save()",
    )
    return password


@pytest.fixture
def coordinator_page(browser, live_site, coordinator_password):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_site + "/admin/login/")
    page.locator("input[name=username]").fill(COORDINATOR)
    page.locator("input[name=password]").fill(coordinator_password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_site + "/admin/")
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

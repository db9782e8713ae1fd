"""The commands behind `make run`: demo content and the local administrator."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from wagtail.models import Page, Revision, Site

from home.models import CustomImage, HomePage, NeighbourhoodPage, SiteSettings


def _snapshot():
    return {
        "pages": sorted(Page.objects.values_list("id", "path", "title", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "images": sorted(CustomImage.objects.values_list("id", "file", "file_hash")),
        "sites": list(Site.objects.values_list("id", "root_page_id", "is_default_site")),
    }


@pytest.mark.django_db
def test_load_demo_builds_the_three_pilot_neighbourhoods():
    call_command("load_demo", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to").exists()
    neighbourhoods = {(p.title, p.commune, p.department) for p in NeighbourhoodPage.objects.live()}
    assert neighbourhoods == {
        ("Parc Bellevue – Félix Pyat", "Marseille 3e", "13"),
        ("Les Lauriers – Olivier A", "Marseille 13e", "13"),
        ("Tarascon", "Tarascon", "13"),
    }
    for page in NeighbourhoodPage.objects.all():
        assert page.url_path.endswith(f"/quartiers/{page.slug}/")
        assert page.hero_image is not None
        assert all("(fictive)" in partner.name for partner in page.partners.all())


@pytest.mark.django_db
def test_demo_content_is_marked_as_demo(client):
    call_command("load_demo", stdout=StringIO())
    assert SiteSettings.for_site(Site.objects.get(is_default_site=True)).demo_notice
    images = CustomImage.objects.all()
    assert images
    for image in images:
        assert image.title.startswith("[Démo]")
        assert "démo" in image.tags.names()
        assert "démo" in image.credit
    banner = client.get("/").content.decode()
    assert "Site de démonstration" in banner
    assert "fictifs" in banner


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    first_out = StringIO()
    call_command("load_demo", stdout=first_out)
    assert re.search(r"(?<!\d)0 élément", first_out.getvalue()) is None
    before = _snapshot()
    second_out = StringIO()
    call_command("load_demo", stdout=second_out)
    assert _snapshot() == before
    assert re.search(r"(?<!\d)0 élément\(s\) créé\(s\)", second_out.getvalue())


@pytest.mark.django_db
def test_load_demo_keeps_editor_changes():
    call_command("load_demo", stdout=StringIO())
    tarascon = NeighbourhoodPage.objects.get(slug="tarascon")
    tarascon.intro = "Texte réécrit par une éditrice."
    tarascon.save_revision().publish()
    call_command("load_demo", stdout=StringIO())
    assert NeighbourhoodPage.objects.get(slug="tarascon").intro == "Texte réécrit par une éditrice."


@pytest.mark.django_db
def test_local_admin_gets_a_generated_password_printed_once(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    password = re.search(r"Mot de passe\s*:\s*(\S+)", out.getvalue()).group(1)
    assert len(password) >= 20
    # As the login form does: django-axes (failed-login lockout) needs the request.
    user = authenticate(RequestFactory().post("/admin/login/"), username="admin", password=password)
    assert user is not None
    assert user.is_superuser

    again = StringIO()
    call_command("ensure_local_admin", stdout=again)
    assert password not in again.getvalue()
    assert "déjà présent" in again.getvalue()
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_local_admin_passwords_differ_between_machines(settings):
    settings.DEBUG = True
    passwords = []
    for username in ("admin1", "admin2"):
        out = StringIO()
        call_command("ensure_local_admin", username=username, stdout=out)
        passwords.append(re.search(r"Mot de passe\s*:\s*(\S+)", out.getvalue()).group(1))
    assert passwords[0] != passwords[1]


@pytest.mark.django_db
def test_local_admin_refuses_to_run_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_local_admin", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()

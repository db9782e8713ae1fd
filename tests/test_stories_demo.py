"""The demo portraits, companies and schemes: fictional, consented the proper way, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from home.demo import load_demo_content
from home.models import CustomImage, NeighbourhoodPage
from stories.demo import load_stories_demo
from stories.models import (
    CompanyOffer,
    CompanyPage,
    Dispositif,
    PortraitConsent,
    PortraitPage,
    PrivacyLevel,
    Sector,
    StartingPoint,
    go_live_problems,
)

REAL_SCHEMES = {
    "Mission Locale",
    "Contrat d'engagement jeune",
    "Apprentissage",
    "École de la 2e chance",
    "EPIDE",
    "Service civique",
    "France Travail",
}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def live_portraits():
    return list(PortraitPage.objects.live().select_related("consent"))


@pytest.mark.django_db
def test_about_a_dozen_live_portraits_in_every_neighbourhood(demo):
    portraits = live_portraits()
    assert 10 <= len(portraits) <= 15
    for neighbourhood in NeighbourhoodPage.objects.all():
        assert PortraitPage.objects.live().child_of(neighbourhood).count() >= 3, neighbourhood.slug
    assert {p.privacy_level for p in portraits} == set(PrivacyLevel.values)
    assert any(p.photo_id is None for p in portraits)
    assert any(p.photo_id is not None for p in portraits)
    assert any(p.employer_page_id for p in portraits)
    assert any(p.employer_name for p in portraits)
    assert any(p.easy_read_summary for p in portraits)
    assert all(15 <= p.age <= 29 for p in portraits)


@pytest.mark.django_db
def test_every_live_portrait_passed_the_consent_gate(demo):
    for portrait in live_portraits():
        assert go_live_problems(portrait) == [], portrait.slug
        consent = portrait.consent
        assert consent.covers_site
        assert consent.subject_agreed
        assert "fictif" in consent.notes
    scopes = {c.covers_social for c in PortraitConsent.objects.all()}
    assert scopes == {True, False}


@pytest.mark.django_db
def test_changed_names_keep_the_real_one_in_the_ledger_only(demo):
    changed = [p for p in live_portraits() if p.privacy_level == PrivacyLevel.CHANGED]
    assert changed
    for portrait in changed:
        assert portrait.last_name == ""
        assert portrait.first_name not in portrait.consent.subject_name


@pytest.mark.django_db
def test_minors_have_both_guardians_agreement(demo):
    minors = [p for p in live_portraits() if p.age < 18]
    assert len(minors) >= 3
    for portrait in minors:
        consent = portrait.consent
        assert consent.subject_is_minor
        assert consent.subject_agreed
        assert consent.guardian_1_name
        assert consent.guardian_1_agreed
        assert consent.guardian_2_name
        assert consent.guardian_2_agreed


@pytest.mark.django_db
def test_portraits_tell_a_parcours_linked_to_schemes(demo):
    for portrait in live_portraits():
        kinds = [block.block_type for block in portrait.body]
        assert {"paragraph", "quote", "parcours"} <= set(kinds), portrait.slug
        assert portrait.sector is not None
        assert portrait.starting_points.exists()
        assert portrait.tags.exists()
    used = Dispositif.objects.filter(portraits__live=True).distinct().values_list("name", flat=True)
    assert {"Mission Locale", "Apprentissage", "Service civique"} <= set(used)


@pytest.mark.django_db
def test_demo_images_are_marked_as_demo(demo):
    assert CustomImage.objects.filter(title__startswith="[Démo] Portrait de").count() >= 6
    assert CustomImage.objects.filter(title__startswith="[Démo] Logo de").count() >= 6
    for image in CustomImage.objects.all():
        assert image.title.startswith("[Démo]")
        assert "démo" in image.tags.names()
        assert image.credit == "Illustration générée (démo)"
    for portrait in live_portraits():
        if portrait.photo_id:
            assert portrait.photo.title.startswith("[Démo] Portrait de")
            assert portrait.photo_is_decorative or portrait.photo_alt.startswith("Illustration fictive")


@pytest.mark.django_db
def test_companies_schemes_and_taxonomies_exist(demo):
    companies = CompanyPage.objects.live()
    assert companies.count() >= 6
    assert {c.commune for c in companies} == {"Marseille 3e", "Marseille 13e", "Tarascon"}
    for company in companies:
        assert "(fictive)" in company.title
        assert company.logo.title.startswith("[Démo] Logo")
        assert company.sector is not None
        assert 1 <= company.offers.count() <= 3
        assert company.url == f"/entreprises/{company.slug}/"
    assert CompanyOffer.objects.filter(kind="stage-3e").exists()
    assert set(Dispositif.objects.values_list("name", flat=True)) >= REAL_SCHEMES
    assert Dispositif.objects.get(short_name="CEJ").official_url.startswith("https://www.1jeune1solution.gouv.fr/")
    assert Sector.objects.count() >= 8
    assert StartingPoint.objects.filter(name="Jeune parent").exists()
    assert all(point.description for point in StartingPoint.objects.all())


def _state():
    return (
        Revision.objects.count(),
        sorted(CustomImage.objects.values_list("id", "file")),
        PortraitConsent.objects.count(),
        Dispositif.objects.count(),
        Sector.objects.count(),
        StartingPoint.objects.count(),
        sorted(PortraitPage.objects.values_list("id", "live", "latest_revision_id")),
        sorted(CompanyPage.objects.values_list("id", "live", "latest_revision_id")),
    )


@pytest.mark.django_db
def test_second_run_creates_nothing():
    assert load_demo_content() > 0
    before = _state()
    assert load_stories_demo() == 0
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "0 élément(s) créé(s)" in out.getvalue()
    assert _state() == before


@pytest.mark.django_db
def test_second_run_keeps_editor_changes(demo):
    mission_locale = Dispositif.objects.get(slug="mission-locale")
    mission_locale.audience = "Texte réécrit par une coordinatrice."
    mission_locale.save()
    company = CompanyPage.objects.get(slug="rhone-batiment")
    company.summary = "Résumé réécrit."
    company.save_revision().publish()
    call_command("load_demo", stdout=StringIO())
    assert Dispositif.objects.get(slug="mission-locale").audience == "Texte réécrit par une coordinatrice."
    assert CompanyPage.objects.get(slug="rhone-batiment").summary == "Résumé réécrit."


@pytest.mark.django_db
def test_demo_pages_answer_and_show_demo_content(demo, client):
    listing = client.get("/portraits/")
    assert listing.status_code == 200
    assert "Inès Haddad" in listing.content.decode()

    portrait = PortraitPage.objects.get(slug="ines-haddad-apprentie-boulangere")
    page = client.get(portrait.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Inès Haddad, 19 ans" in html
    assert "Mon parcours" in html
    assert "Le Fournil du Parc (fictive)" in html
    assert "En bref, facile à lire" in html

    changed = client.get(PortraitPage.objects.get(slug="jade-vendeuse").url).content.decode()
    assert "Le prénom a été changé à sa demande." in changed
    assert "Camille Fabre" not in changed

    companies = client.get("/entreprises/")
    assert companies.status_code == 200
    assert "Méca-Provence (fictive)" in companies.content.decode()
    company = client.get(CompanyPage.objects.get(slug="fournil-du-parc").url)
    assert company.status_code == 200
    assert "Stage de 3e" in company.content.decode()
    assert "Inès Haddad" in company.content.decode()

    directory = client.get("/dispositifs/")
    assert directory.status_code == 200
    assert "École de la 2e chance (E2C)" in directory.content.decode()
    scheme = client.get("/dispositifs/mission-locale/")
    assert scheme.status_code == 200
    html = scheme.content.decode()
    assert "https://www.unml.info/" in html
    assert "Inès Haddad" in html

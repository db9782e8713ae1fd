"""/recherche/: accents and plurals, only what visitors may see, grouping, promoted results, query count."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from events.models import EventIndexPage
from home.roles import ensure_coordinators
from stories.models import PortraitConsent
from tests.factories import (
    CompanyPageFactory,
    DispositifFactory,
    EventPageFactory,
    PortraitPageFactory,
    UserFactory,
    publish_portrait,
)

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(soup):
    """The result titles a visitor reads, promoted first, in page order."""
    return [link.get_text(" ", strip=True) for link in soup.select(".search-promoted__link, .card__title a")]


def found(soup, text):
    return any(text in title for title in titles(soup))


@pytest.fixture
def event_index(site_tree):
    return EventIndexPage.objects.get()


@pytest.fixture
def baker(neighbourhood):
    return publish_portrait(
        neighbourhood,
        title="Inès",
        slug="ines",
        first_name="Inès",
        job_title="Apprentie boulangère",
        quote="Je livre le pain à vélo avant l'aube.",
    )


# --- accents and plurals ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["vélo", "velo", "VELO", "boulangère", "boulangere", "Boulangère"])
def test_accents_and_case_do_not_matter(client, baker, query):
    assert found(search(client, query), "Inès")


@pytest.mark.parametrize("query", ["boulangeres", "boulangères", "vélos"])
def test_a_plural_finds_the_singular(client, baker, query):
    assert found(search(client, query), "Inès")


def test_a_singular_finds_the_plural(client, neighbourhood, company_index):
    CompanyPageFactory(parent=company_index, title="Garage Martin (fictif)", summary="Nous formons des apprentis.")
    assert found(search(client, "apprenti"), "Garage Martin")
    assert found(search(client, "apprentis"), "Garage Martin")


def test_every_word_must_match(client, baker):
    assert found(search(client, "boulangère vélo"), "Inès")
    assert not found(search(client, "boulangère plombier"), "Inès")


# --- never found: drafts, private pages, portraits without a valid consent -------------------------


def test_drafts_are_never_found(client, neighbourhood, company_index, event_index):
    draft = PortraitPageFactory(parent=neighbourhood, live=False, title="Yanis", job_title="Soudeur zingueur")
    draft.save_revision()
    CompanyPageFactory(parent=company_index, live=False, title="Zinguerie Secrète (fictive)", summary="Zingueur.")
    EventPageFactory(parent=event_index, live=False, title="Atelier zingueur", summary="Zingueur.")
    soup = search(client, "zingueur")
    assert titles(soup) == []
    assert "Nous n'avons rien trouvé pour « zingueur »" in soup.get_text(" ").replace("\xa0", " ")


def test_private_pages_are_never_found(client, neighbourhood, company_index):
    company = CompanyPageFactory(parent=company_index, title="Menuiserie Privée (fictive)", summary="Menuisier.")
    PageViewRestriction.objects.create(page=company, restriction_type=PageViewRestriction.PASSWORD, password="x")
    portrait = publish_portrait(neighbourhood, title="Awa", first_name="Awa", job_title="Menuisière")
    PageViewRestriction.objects.create(page=portrait, restriction_type=PageViewRestriction.LOGIN)
    assert titles(search(client, "menuisier")) == []


@pytest.mark.parametrize(
    "change",
    [
        {"withdrawn_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"expires_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"covers_site": False},
    ],
    ids=["withdrawn", "expired", "not-for-the-site"],
)
def test_portraits_without_a_valid_consent_are_never_found(client, baker, change):
    assert found(search(client, "boulangère"), "Inès")
    # As time passing does, before the cron job unpublishes the page: it is still live.
    PortraitConsent.objects.filter(portrait=baker).update(**change)
    baker.refresh_from_db()
    assert baker.live
    assert not found(search(client, "boulangère"), "Inès")


def test_a_promoted_page_that_is_not_public_is_not_shown(client, baker):
    promote("boulangère", baker, description="Le portrait d'Inès.")
    PortraitConsent.objects.filter(portrait=baker).update(withdrawn_on=timezone.localdate())
    soup = search(client, "boulangère")
    assert titles(soup) == []
    assert "Le portrait d'Inès" not in soup.get_text(" ").replace("\xa0", " ")


# --- what the page shows ---------------------------------------------------------------------------


def promote(query_string, page, description=""):
    return SearchPromotion.objects.create(query=Query.get(query_string), page=page, description=description)


def test_results_are_grouped_by_type_with_counts(client, company_index, event_index):
    CompanyPageFactory(parent=company_index, title="Fournil du Port (fictif)", summary="Boulangerie artisanale.")
    EventPageFactory(parent=event_index, title="Job dating boulangerie", summary="Les boulangeries recrutent.")
    DispositifFactory(name="Apprentissage en boulangerie", audience="Jeunes qui veulent devenir boulanger.")
    soup = search(client, "boulangerie")
    headings = [h.get_text(" ", strip=True) for h in soup.select(".search-group__title")]
    assert headings == ["Entreprises (1)", "Événements (1)", "Dispositifs (1)"]
    assert titles(soup) == ["Fournil du Port (fictif)", "Job dating boulangerie", "Apprentissage en boulangerie"]
    assert soup.select_one(".card__title a[href='/dispositifs/apprentissage-en-boulangerie/']")


def test_groups_are_capped_with_a_link_to_see_all(client, company_index):
    for number in range(12):
        CompanyPageFactory(parent=company_index, title=f"Plomberie {number} (fictive)", summary="Plombier.")
    soup = search(client, "plombier")
    assert len(soup.select(".company-card")) == 10
    more = soup.select_one(".search-group__more a")
    assert more.get_text(strip=True) == "Voir tout (12 entreprises)"
    soup = BeautifulSoup(client.get(f"/recherche/{more['href']}").content, "html.parser")
    assert len(soup.select(".company-card")) == 12
    assert "12 résultats dans « Entreprises »" in soup.get_text(" ").replace("\xa0", " ")


def test_promoted_results_come_first(client, baker, company_index):
    CompanyPageFactory(parent=company_index, title="Fournil du Port (fictif)", summary="Boulangère et boulanger.")
    DispositifFactory(name="Apprentissage", audience="Pour devenir boulangère.")
    promote("Boulangère", baker, description="Un parcours à lire.")
    soup = search(client, "boulangère")
    assert titles(soup)[0] == "Inès"
    assert soup.select_one(".search-group__title").get_text(strip=True) == "À voir en premier"
    assert "Un parcours à lire." in soup.select_one(".search-promoted").get_text()


def test_past_events_are_marked(client, event_index):
    start = timezone.now() - datetime.timedelta(days=30)
    EventPageFactory(parent=event_index, title="Forum cuisine passé", start_at=start, summary="Cuisiniers.")
    EventPageFactory(parent=event_index, title="Forum cuisine à venir", summary="Cuisiniers.")
    soup = search(client, "cuisinier")
    cards = {item.select_one(".card__title").get_text(strip=True): item for item in soup.select(".search-results li")}
    assert "Passé" in cards["Forum cuisine passé"].get_text()
    assert "Passé" not in cards["Forum cuisine à venir"].get_text()


def test_title_heading_and_noindex(client, baker):
    soup = search(client, "boulangère")
    assert "boulangère" in soup.title.get_text()
    assert soup.h1.get_text().replace("\xa0", " ") == "Résultats pour « boulangère »"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"


def test_an_empty_query_shows_help(client, site_tree):
    soup = search(client, "")
    assert soup.h1.get_text() == "Rechercher sur le site"
    assert soup.select_one("#recherche-page")
    assert soup.select_one(".search-browse a[href='/portraits/']")


def test_no_results_suggests_what_to_try(client, site_tree):
    soup = search(client, "xylophoniste")
    assert "Nous n'avons rien trouvé pour « xylophoniste »" in soup.get_text(" ").replace("\xa0", " ")
    assert soup.select_one(".search-empty a[href='/evenements/']")


@pytest.mark.parametrize(
    "query",
    ['"', "'", 'a" OR b', "NOT", "*", "-", "()", "le la les", "\x00vélo", "é" * 5000, "NEAR(a b)", "😀", "%_"],
)
def test_odd_input_never_breaks_the_page(client, baker, query):
    soup = search(client, query)
    assert soup.h1


def test_the_query_is_capped(client, site_tree):
    soup = search(client, "a" * 500)
    assert soup.select_one("#recherche-page")["value"] == "a" * 100


def test_header_form_is_a_labelled_get_form(client, site_tree):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    form = soup.select_one(".site-header form[role=search]")
    assert form["action"] == "/recherche/"
    assert form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True) == "Rechercher"


def test_query_count_does_not_grow_with_content(client, neighbourhood, company_index, event_index):
    def add(number):
        publish_portrait(neighbourhood, title=f"Léo {number}", first_name="Léo", job_title="Électricien")
        CompanyPageFactory(parent=company_index, title=f"Électricité {number} (fictive)", summary="Électricien.")
        EventPageFactory(parent=event_index, title=f"Forum électricité {number}", summary="Électriciens.")
        DispositifFactory(name=f"Électricité {number}", audience="Futurs électriciens.")

    add(0)
    promote("électricien", company_index)
    search(client, "électricien")  # the first view of a picture creates its renditions
    with CaptureQueriesContext(connection) as few:
        search(client, "électricien")
    for number in range(1, 12):
        add(number)
    search(client, "électricien")
    with CaptureQueriesContext(connection) as many:
        soup = search(client, "électricien")
    assert len(soup.select(".portrait-card")) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 30


# --- promotions are the coordinators' -------------------------------------------------------------


def test_coordinators_may_manage_promoted_results(client, home_page):
    coordinators = ensure_coordinators(home_page)
    user = UserFactory()
    user.groups.add(coordinators)
    for action in ("add", "change", "delete"):
        assert user.has_perm(f"wagtailsearchpromotions.{action}_searchpromotion")
    client.force_login(user)
    assert client.get("/admin/searchpicks/").status_code == 200

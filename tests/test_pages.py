"""Page types: where they may live, creating them in the admin, and what visitors see."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventPage
from home.models import (
    HomePage,
    NeighbourhoodIndexPage,
    NeighbourhoodPage,
    NeighbourhoodPartner,
    SiteSettings,
    StandardPage,
)
from home.site_structure import ensure_site_structure
from stories.models import CompanyIndexPage, DispositifIndexPage, PortraitIndexPage, PortraitPage
from tests.accounts import SecondFactorClient
from tests.factories import PAGE_FACTORIES, ImageFactory, NeighbourhoodPageFactory, StandardPageFactory


def test_every_page_type_has_a_factory():
    page_models = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and model._meta.app_label in {"home", "stories", "events"}
    }
    assert page_models, "no page types found"
    assert page_models - set(PAGE_FACTORIES) == set()


class TreeRulesTests(WagtailPageTestCase):
    def test_home_page_lives_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                NeighbourhoodIndexPage,
                StandardPage,
                PortraitIndexPage,
                CompanyIndexPage,
                DispositifIndexPage,
                EventIndexPage,
            },
        )

    def test_neighbourhoods_live_under_the_index_only(self):
        self.assertAllowedParentPageTypes(NeighbourhoodIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NeighbourhoodIndexPage, {NeighbourhoodPage})
        self.assertAllowedParentPageTypes(NeighbourhoodPage, {NeighbourhoodIndexPage})
        self.assertAllowedSubpageTypes(NeighbourhoodPage, {PortraitPage, EventPage})
        self.assertCanNotCreateAt(HomePage, NeighbourhoodPage)
        self.assertCanNotCreateAt(StandardPage, NeighbourhoodPage)

    def test_standard_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_singletons(self):
        home, _index = ensure_site_structure()
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertFalse(NeighbourhoodIndexPage.can_create_at(home))


class AdminCreateTests(WagtailPageTestCase):
    # self.login() makes a superuser: the client completes their second factor (tests/accounts.py).
    client_class = SecondFactorClient

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = ensure_site_structure()

    def setUp(self):
        self.login()

    def test_create_neighbourhood_in_admin_saves_every_field(self):
        image = ImageFactory(title="Vue du quartier")
        data = nested_form_data(
            {
                "title": "Noailles",
                "slug": "noailles",
                "preposition": "à",
                "commune": "Marseille 1er",
                "department": "13",
                "intro": "Un quartier du centre-ville.",
                "hero_image": image.pk,
                "body": streamfield(
                    [
                        ("heading", {"text": "Nos forces", "level": "h2"}),
                        ("paragraph", rich_text("<p>Un marché <b>vivant</b>.</p>")),
                        ("quote", {"quote": "Ici tout le monde se connaît.", "attribution": "Nadia"}),
                    ]
                ),
                "partners": inline_formset(
                    [{"name": "Association Test", "description": "Aide aux devoirs", "website": "https://exemple.org"}]
                ),
            }
        )
        self.assertCanCreate(self.index, NeighbourhoodPage, data)

        page = NeighbourhoodPage.objects.get(slug="noailles")
        assert page.live
        assert page.get_parent().specific == self.index
        assert (page.title, page.commune, page.department) == ("Noailles", "Marseille 1er", "13")
        assert page.in_name == "à Noailles"
        assert page.intro == "Un quartier du centre-ville."
        assert page.hero_image == image
        assert [block.block_type for block in page.body] == ["heading", "paragraph", "quote"]
        assert page.body[0].value["text"] == "Nos forces"
        assert "<b>vivant</b>" in page.body[1].value.source
        assert page.body[2].value["attribution"] == "Nadia"
        partners = list(page.partners.values_list("name", "description", "website"))
        assert partners == [("Association Test", "Aide aux devoirs", "https://exemple.org")]

    def test_create_standard_page_in_admin_saves_every_field(self):
        data = nested_form_data(
            {
                "title": "Plan du site",
                "slug": "plan-du-site",
                "intro": "Toutes les pages.",
                "body": streamfield([("paragraph", rich_text("<p>Bonjour.</p>"))]),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)

        page = StandardPage.objects.get(slug="plan-du-site")
        assert page.live
        assert page.intro == "Toutes les pages."
        assert page.body[0].block_type == "paragraph"
        assert "Bonjour." in page.body[0].value.source

    def test_invalid_neighbourhood_gets_french_errors_and_is_not_saved(self):
        data = nested_form_data(
            {
                "title": "Sans commune",
                "slug": "sans-commune",
                "commune": "",
                "department": "999",
                "intro": "",
                "body": streamfield([]),
                "partners": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(f"/admin/pages/add/home/neighbourhoodpage/{self.index.pk}/", data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["commune"] == ["Champ requis."]
        assert errors["department"][0].startswith("Sélectionnez un choix valide.")
        assert "Champ requis." in response.content.decode()
        assert not NeighbourhoodPage.objects.filter(slug="sans-commune").exists()


@pytest.mark.django_db
def test_home_page_shows_neighbourhoods_and_goal(client, home_page, neighbourhood_index):
    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Tarascon", commune="Tarascon")
    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Brouillon", live=False)
    # The goal is a site setting coordinators can change, not a figure written in the template.
    goal = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    goal.beneficiaries_goal = 2500
    goal.save()
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    # French spacing makes « ? » stick to its word (home/typography.py).
    assert soup.h1.get_text(strip=True).replace("\xa0", " ") == home_page.hero_title
    cards = [a.get_text(strip=True) for a in soup.select(".card__title a")]
    assert cards == ["Tarascon"]
    assert "2 500 jeunes" in soup.get_text().replace("\xa0", " ")


@pytest.mark.django_db
def test_neighbourhood_page_renders_its_fields(client, neighbourhood_index):
    page = NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Les Lauriers – Olivier A", commune="Marseille 13e", intro="Au nord."
    )
    NeighbourhoodPartner.objects.create(
        page=page, name="Cap Lauriers", description="Ateliers CV", website="https://cap.example"
    )
    response = client.get("/quartiers/les-lauriers-olivier-a/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Les Lauriers – Olivier A"
    assert "Marseille 13e · Bouches-du-Rhône" in soup.select_one(".page-header__meta").get_text()
    partner_link = soup.select_one(".partner-list a")
    assert (partner_link.get_text(strip=True), partner_link["href"]) == ("Cap Lauriers", "https://cap.example")
    picture = soup.select_one(".page-header__figure picture")
    assert [s["type"] for s in picture.select("source")] == ["image/avif", "image/webp"]
    assert picture.img["width"]
    assert picture.img["height"]
    breadcrumb = [li.get_text(strip=True) for li in soup.select(".breadcrumb li")]
    assert breadcrumb == ["Accueil", "Quartiers", "Les Lauriers – Olivier A"]


@pytest.mark.django_db
def test_every_body_block_renders(client, home_page):
    image = ImageFactory(description="Un atelier CV", credit="Studio Nord")
    StandardPageFactory(
        parent=home_page,
        title="Tous les blocs",
        body=[
            ("heading", {"text": "Sous-partie", "level": "h3"}),
            ("paragraph", '<p>Texte <a href="https://exemple.org">lien</a></p>'),
            (
                "figure",
                {"image": {"image": image, "alt_text": "Jeunes en atelier", "decorative": False}, "caption": "Atelier"},
            ),
            ("quote", {"quote": "Je n'aurais jamais cru.", "attribution": "Yanis"}),
        ],
    )
    response = client.get("/tous-les-blocs/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h3.block-heading").get_text() == "Sous-partie"
    assert soup.select_one(".block-paragraph a")["href"] == "https://exemple.org"
    figure = soup.select_one(".block-figure")
    assert figure.img["alt"] == "Jeunes en atelier"
    assert "Atelier" in figure.figcaption.get_text()
    assert "Photo : Studio Nord" in figure.figcaption.get_text().replace("\xa0", " ")
    assert soup.select_one(".block-quote blockquote").get_text(strip=True) == "Je n'aurais jamais cru."
    assert "Yanis" in soup.select_one(".block-quote figcaption").get_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/a-propos/", "À propos"),
        ("/mentions-legales/", "Mentions légales"),
        ("/confidentialite/", "Confidentialité"),
        ("/accessibilite/", "Accessibilité"),
    ],
)
def test_standard_pages_exist_and_are_linked_from_the_footer(client, site_tree, url, title):
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == title
    footer_links = {a["href"] for a in soup.select(".footer-nav a")}
    assert url in footer_links


@pytest.mark.django_db
def test_page_layout_has_skip_link_and_landmarks(client, site_tree):
    soup = BeautifulSoup(client.get("/quartiers/").content, "html.parser")
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#contenu"
    assert soup.select_one("main#contenu") is not None
    assert soup.select_one("header")
    assert soup.select_one("footer")
    nav = soup.select_one("nav.main-nav")
    assert nav["aria-label"] == "Navigation principale"
    assert nav.select_one('a[aria-current="page"]').get_text() == "Quartiers"


@pytest.mark.django_db
def test_neighbourhood_index_filters_by_commune_and_department(client, neighbourhood_index):
    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", commune="Marseille 3e", department="13")
    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Tarascon", commune="Tarascon", department="13")
    NeighbourhoodPageFactory(
        parent=neighbourhood_index, title="Les Tarterêts", commune="Corbeil-Essonnes", department="91"
    )

    def titles(query):
        soup = BeautifulSoup(client.get(f"/quartiers/{query}").content, "html.parser")
        return [a.get_text(strip=True) for a in soup.select(".card__title a")]

    assert titles("") == ["Bellevue", "Les Tarterêts", "Tarascon"]
    assert titles("?departement=13") == ["Bellevue", "Tarascon"]
    assert titles("?commune=Tarascon") == ["Tarascon"]
    assert titles("?departement=91&commune=Tarascon") == []
    # Unknown values are ignored rather than breaking the page.
    assert titles("?departement=zz&commune=<script>") == ["Bellevue", "Les Tarterêts", "Tarascon"]


@pytest.mark.django_db
def test_neighbourhood_index_pagination_keeps_filters(client, neighbourhood_index):
    for number in range(NeighbourhoodIndexPage.per_page + 2):
        NeighbourhoodPageFactory(parent=neighbourhood_index, title=f"Quartier {number:02d}", department="13")
    NeighbourhoodPageFactory(parent=neighbourhood_index, title="Ailleurs", department="91", hero_image=None)
    soup = BeautifulSoup(client.get("/quartiers/?departement=13").content, "html.parser")
    next_link = soup.select_one('.pagination a[rel="next"]')
    assert next_link["href"] == "?departement=13&page=2"
    page_two = BeautifulSoup(client.get("/quartiers/" + next_link["href"]).content, "html.parser")
    assert [a.get_text(strip=True) for a in page_two.select(".card__title a")] == ["Quartier 24", "Quartier 25"]

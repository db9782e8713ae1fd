"""Portraits, companies and schemes: tree rules, admin forms, what visitors see, and query counts."""

import datetime
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage, NeighbourhoodIndexPage, NeighbourhoodPage, StandardPage
from home.site_structure import ensure_site_structure
from stories.models import (
    CompanyIndexPage,
    CompanyOffer,
    CompanyPage,
    DispositifIndexPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    PortraitTag,
    Sector,
)
from tests.accounts import SecondFactorClient
from tests.factories import (
    CompanyOfferFactory,
    CompanyPageFactory,
    DispositifFactory,
    ImageFactory,
    NeighbourhoodPageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    SectorFactory,
    StartingPointFactory,
    publish_portrait,
)
from tests.test_site import _queries_for, live_portraits

# ---------------------------------------------------------------------------------------------
# Helpers


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def card_names(soup, scope=""):
    """Names on the portrait cards, in order: "Amina, 22 ans" gives "Amina"."""
    return [a.get_text(strip=True).rsplit(",", 1)[0] for a in soup.select(f"{scope} .portrait-card .card__title a")]


def company_names(soup):
    return [a.get_text(strip=True) for a in soup.select(".company-card .card__title a")]


def parcours(*steps, heading="Mon parcours"):
    """A parcours block from ``(date, title, dispositif_or_None)`` triples."""
    return (
        "parcours",
        {
            "heading": heading,
            "steps": [
                {"date": date, "title": title, "text": "", "dispositif": dispositif}
                for date, title, dispositif in steps
            ],
        },
    )


def add_tags(portrait, *names):
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        PortraitTag.objects.create(content_object=portrait, tag=tag)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def taxonomy(db):
    return SimpleNamespace(
        commerce=SectorFactory(name="Commerce"),
        btp=SectorFactory(name="BTP"),
        sans_diplome=StartingPointFactory(name="Sans diplôme"),
        jeune_parent=StartingPointFactory(name="Jeune parent"),
        mission_locale=DispositifFactory(name="Mission Locale"),
        e2c=DispositifFactory(name="École de la 2e chance", short_name="E2C"),
        service_civique=DispositifFactory(name="Service civique"),
    )


@pytest.fixture
def bellevue(neighbourhood_index):
    return NeighbourhoodPageFactory(parent=neighbourhood_index, title="Bellevue", slug="bellevue")


@pytest.fixture
def catalogue(site_tree, neighbourhood, bellevue, company_index, taxonomy):
    """Four visible portraits (newest first: Dylan, Chloé, Bilal, Amina) and four that must never
    be listed: a draft, a live page without consent, an expired and a withdrawn consent."""
    t = taxonomy
    bakery = CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", sector=t.commerce)
    amina = publish_portrait(
        neighbourhood,
        title="Amina",
        first_name="Amina",
        sector=t.commerce,
        starting_points=[t.sans_diplome],
        employer_page=bakery,
        employer_name="",
        first_published_at=days_ago(4),
        body=[parcours((datetime.date(2022, 1, 1), "Mission Locale", t.mission_locale))],
    )
    bilal = publish_portrait(
        neighbourhood,
        title="Bilal",
        first_name="Bilal",
        sector=t.btp,
        starting_points=[t.jeune_parent],
        # Same name as the company page, typed by hand: not a link, so not listed on the company page.
        employer_name="Boulangerie Soleil",
        first_published_at=days_ago(3),
        body=[parcours((datetime.date(2021, 9, 1), "E2C", t.e2c))],
    )
    chloe = publish_portrait(
        bellevue,
        title="Chloé",
        first_name="Chloé",
        sector=t.commerce,
        starting_points=[t.sans_diplome, t.jeune_parent],
        first_published_at=days_ago(2),
        body=[
            parcours(
                (datetime.date(2020, 9, 1), "E2C", t.e2c),
                (datetime.date(2021, 9, 1), "Mission Locale", t.mission_locale),
            )
        ],
    )
    dylan = publish_portrait(bellevue, title="Dylan", first_name="Dylan", sector=t.btp, first_published_at=days_ago(1))
    add_tags(amina, "alternance")
    add_tags(bilal, "apprentissage")
    add_tags(chloe, "alternance", "premier emploi")

    hidden = {"sector": t.commerce, "starting_points": [t.sans_diplome], "employer_page": bakery, "employer_name": ""}
    hidden_body = [parcours((datetime.date(2022, 1, 1), "Mission Locale", t.mission_locale))]
    eva = PortraitPageFactory(
        parent=neighbourhood, title="Eva", first_name="Eva", live=False, body=hidden_body, **hidden
    )
    PortraitConsentFactory(portrait=eva)
    add_tags(eva, "brouillon secret")
    farid = PortraitPageFactory(parent=neighbourhood, title="Farid", first_name="Farid", body=hidden_body, **hidden)
    gaelle = publish_portrait(neighbourhood, title="Gaëlle", first_name="Gaëlle", body=hidden_body, **hidden)
    hugo = publish_portrait(neighbourhood, title="Hugo", first_name="Hugo", body=hidden_body, **hidden)
    # Queryset updates skip the consent signal: the state between an expiry and the nightly job.
    PortraitConsent.objects.filter(portrait=gaelle).update(expires_on=timezone.localdate() - datetime.timedelta(1))
    PortraitConsent.objects.filter(portrait=hugo).update(withdrawn_on=timezone.localdate())
    for portrait in (farid, gaelle, hugo):
        portrait.refresh_from_db()
        assert portrait.live
    return SimpleNamespace(
        amina=amina,
        bilal=bilal,
        chloe=chloe,
        dylan=dylan,
        eva=eva,
        farid=farid,
        gaelle=gaelle,
        hugo=hugo,
        bakery=bakery,
    )


# ---------------------------------------------------------------------------------------------
# 1. Tree rules


class StoriesTreeRulesTests(WagtailPageTestCase):
    def test_portraits_live_under_a_neighbourhood_only(self):
        self.assertAllowedParentPageTypes(PortraitPage, {NeighbourhoodPage})
        self.assertAllowedSubpageTypes(PortraitPage, set())
        for parent in (HomePage, NeighbourhoodIndexPage, PortraitIndexPage, StandardPage, CompanyPage):
            self.assertCanNotCreateAt(parent, PortraitPage)

    def test_index_pages_live_under_the_home_page_only(self):
        for index in (PortraitIndexPage, CompanyIndexPage, DispositifIndexPage):
            self.assertAllowedParentPageTypes(index, {HomePage})
        self.assertAllowedSubpageTypes(PortraitIndexPage, set())
        self.assertAllowedSubpageTypes(DispositifIndexPage, set())
        self.assertAllowedSubpageTypes(CompanyIndexPage, {CompanyPage})

    def test_companies_live_under_the_company_index_only(self):
        self.assertAllowedParentPageTypes(CompanyPage, {CompanyIndexPage})
        self.assertAllowedSubpageTypes(CompanyPage, set())
        for parent in (HomePage, NeighbourhoodPage, StandardPage, PortraitIndexPage):
            self.assertCanNotCreateAt(parent, CompanyPage)

    def test_index_pages_are_singletons(self):
        home, _index = ensure_site_structure()
        for index in (PortraitIndexPage, CompanyIndexPage, DispositifIndexPage):
            assert index.objects.count() == 1
            assert not index.can_create_at(home), index


# ---------------------------------------------------------------------------------------------
# 2. Creating pages in the admin


class StoriesAdminCreateTests(WagtailPageTestCase):
    # self.login() makes a superuser: the client completes their second factor (tests/accounts.py).
    client_class = SecondFactorClient

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = ensure_site_structure()
        cls.neighbourhood = NeighbourhoodPageFactory(parent=cls.index, title="Tarascon", slug="tarascon")
        cls.company_index = CompanyIndexPage.objects.get()
        cls.commerce = SectorFactory(name="Commerce")
        cls.sans_diplome = StartingPointFactory(name="Sans diplôme")
        cls.jeune_parent = StartingPointFactory(name="Jeune parent")
        cls.unused_point = StartingPointFactory(name="Décrochage")
        cls.mission_locale = DispositifFactory(name="Mission Locale")
        cls.e2c = DispositifFactory(name="École de la 2e chance", short_name="E2C")
        cls.bakery = CompanyPageFactory(parent=cls.company_index, title="Boulangerie Soleil", sector=cls.commerce)
        cls.photo = ImageFactory(title="Inès au fournil")

    def setUp(self):
        self.login()

    def portrait_data(self, e2c_step=None, **overrides):
        e2c_step = self.e2c if e2c_step is None else e2c_step
        fields = {
            "title": "Inès Benali",
            "slug": "ines-benali",
            "first_name": "Inès",
            "last_name": "Benali",
            "privacy_level": "full",
            "age": "19",
            "photo": self.photo.pk,
            "photo_alt": "Inès sourit devant le four de la boulangerie",
            "quote": "J'ai osé pousser la porte.",
            "job_title": "Apprentie boulangère",
            "employer_page": self.bakery.pk,
            "employer_name": "",
            "sector": self.commerce.pk,
            "tags": "alternance, premier emploi",
            "easy_read_summary": "Inès a 19 ans.\nElle apprend le métier de boulangère.",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Tout a commencé <b>au collège</b>.</p>")),
                    ("quote", {"quote": "Personne ne m'avait dit que c'était possible.", "attribution": "Inès"}),
                    (
                        "parcours",
                        {
                            "heading": "Mon parcours",
                            "steps": {
                                "count": "2",
                                "0": {
                                    "deleted": "",
                                    "order": "0",
                                    "id": "",
                                    "value": {
                                        "date": "2021-09-01",
                                        "title": "Sortie du lycée",
                                        "text": "Sans diplôme.",
                                        "dispositif": "",
                                    },
                                },
                                "1": {
                                    "deleted": "",
                                    "order": "1",
                                    "id": "",
                                    "value": {
                                        "date": "2022-03-01",
                                        "title": "Entrée à l'E2C",
                                        "text": "",
                                        "dispositif": e2c_step.pk,
                                    },
                                },
                            },
                        },
                    ),
                    (
                        "video",
                        {
                            "url": "https://youtu.be/dQw4w9WgXcQ",
                            "title": "Mon premier jour",
                            "duration": "2 min",
                            "transcript": "Bonjour, je m'appelle Inès.",
                        },
                    ),
                ]
            ),
        }
        fields.update(overrides)
        data = nested_form_data(fields)
        data["starting_points"] = [str(self.sans_diplome.pk), str(self.jeune_parent.pk)]
        return data

    def assert_portrait_fields(self, portrait):
        assert (portrait.title, portrait.first_name, portrait.last_name) == ("Inès Benali", "Inès", "Benali")
        assert (portrait.privacy_level, portrait.age) == ("full", 19)
        assert portrait.photo == self.photo
        assert portrait.photo_alt == "Inès sourit devant le four de la boulangerie"
        assert portrait.photo_is_decorative is False
        assert portrait.quote == "J'ai osé pousser la porte."
        assert portrait.job_title == "Apprentie boulangère"
        assert portrait.employer_page.specific == self.bakery
        assert portrait.employer_name == ""
        assert portrait.sector == self.commerce
        assert set(portrait.starting_points.all()) == {self.sans_diplome, self.jeune_parent}
        assert sorted(tag.name for tag in portrait.tags.all()) == ["alternance", "premier emploi"]
        assert portrait.easy_read_summary == "Inès a 19 ans.\nElle apprend le métier de boulangère."
        body = portrait.body
        assert [block.block_type for block in body] == ["paragraph", "quote", "parcours", "video"]
        assert "<b>au collège</b>" in body[0].value.source
        assert body[1].value["quote"] == "Personne ne m'avait dit que c'était possible."
        assert body[1].value["attribution"] == "Inès"
        steps = body[2].value["steps"]
        assert [(s["date"], s["title"], s["text"], s["dispositif"]) for s in steps] == [
            (datetime.date(2021, 9, 1), "Sortie du lycée", "Sans diplôme.", None),
            (datetime.date(2022, 3, 1), "Entrée à l'E2C", "", self.e2c),
        ]
        video = body[3].value
        assert video["url"] == "https://youtu.be/dQw4w9WgXcQ"
        assert (video["title"], video["duration"]) == ("Mon premier jour", "2 min")
        assert video["transcript"] == "Bonjour, je m'appelle Inès."
        assert video.watch_url() == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

    def test_create_portrait_draft_saves_every_field_and_publish_derives_schemes(self):
        self.assertCanCreate(self.neighbourhood, PortraitPage, self.portrait_data(), publish=False)

        portrait = PortraitPage.objects.get(slug="ines-benali")
        assert not portrait.live
        assert portrait.get_parent().specific == self.neighbourhood
        self.assert_portrait_fields(portrait)
        self.assert_portrait_fields(portrait.get_latest_revision_as_object())
        assert self.client.get("/portraits/").content.decode().count("Inès") == 0

        PortraitConsentFactory(portrait=portrait)
        portrait.get_latest_revision().publish()
        portrait = PortraitPage.objects.get(pk=portrait.pk)
        assert portrait.live
        self.assert_portrait_fields(portrait)
        assert list(portrait.dispositifs.all()) == [self.e2c]
        soup = soup_of(self.client, f"/dispositifs/{self.e2c.slug}/")
        assert card_names(soup) == ["Inès Benali"]

    def test_schemes_follow_the_published_parcours_not_the_draft(self):
        self.assertCanCreate(self.neighbourhood, PortraitPage, self.portrait_data(), publish=False)
        portrait = PortraitPage.objects.get(slug="ines-benali")
        PortraitConsentFactory(portrait=portrait)
        portrait.get_latest_revision().publish()

        # A draft that swaps the scheme changes nothing public...
        edit_url = reverse("wagtailadmin_pages:edit", args=[portrait.pk])
        response = self.client.post(edit_url, self.portrait_data(e2c_step=self.mission_locale))
        assert response.status_code == 302
        assert list(PortraitPage.objects.get(pk=portrait.pk).dispositifs.all()) == [self.e2c]
        assert card_names(soup_of(self.client, f"/dispositifs/{self.mission_locale.slug}/")) == []

        # ...until it is published.
        PortraitPage.objects.get(pk=portrait.pk).get_latest_revision().publish()
        assert list(PortraitPage.objects.get(pk=portrait.pk).dispositifs.all()) == [self.mission_locale]
        assert card_names(soup_of(self.client, f"/dispositifs/{self.mission_locale.slug}/")) == ["Inès Benali"]
        assert card_names(soup_of(self.client, f"/dispositifs/{self.e2c.slug}/")) == []

    def post_invalid_portrait(self, **overrides):
        add_url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", self.neighbourhood.pk])
        response = self.client.post(add_url, self.portrait_data(**overrides))
        assert response.status_code == 200
        assert not PortraitPage.objects.filter(slug="ines-benali").exists()
        assert "La page ne peut être créée du fait d&#x27;erreurs de validation." in response.content.decode()
        return response.context["form"].errors

    def test_last_name_is_refused_with_first_name_only(self):
        errors = self.post_invalid_portrait(privacy_level="first")
        assert errors["last_name"] == [
            "Le nom n'est affiché qu'avec « Prénom et nom » : videz ce champ ou changez l'identité affichée."
        ]

    def test_full_name_needs_a_last_name(self):
        errors = self.post_invalid_portrait(last_name="")
        assert errors["last_name"] == ["Indiquez le nom, ou choisissez « Prénom seulement »."]

    def test_photo_needs_a_description_unless_decorative(self):
        errors = self.post_invalid_portrait(photo_alt="  ")
        assert errors["photo_alt"] == ["Décrivez la photo, ou cochez « photo décorative »."]
        # Decorative photos need no description.
        self.assertCanCreate(
            self.neighbourhood, PortraitPage, self.portrait_data(photo_alt="", photo_is_decorative="on"), publish=False
        )
        assert PortraitPage.objects.get(slug="ines-benali").photo_is_decorative is True

    def test_video_must_be_youtube_or_vimeo(self):
        data = self.portrait_data()
        data["body-3-value-url"] = "https://www.dailymotion.com/video/x8abcde"
        add_url = reverse("wagtailadmin_pages:add", args=["stories", "portraitpage", self.neighbourhood.pk])
        response = self.client.post(add_url, data)
        assert response.status_code == 200
        assert not PortraitPage.objects.filter(slug="ines-benali").exists()
        body_errors = response.context["form"].errors["body"].as_data()[0].as_json_data()
        assert body_errors["blockErrors"][3]["blockErrors"]["url"]["messages"] == [
            "Ce lien n'est pas une vidéo YouTube ou Vimeo reconnue. Copiez l'adresse de la vidéo."
        ]

    def test_employer_page_and_employer_name_are_exclusive(self):
        errors = self.post_invalid_portrait(employer_name="Boulangerie Soleil")
        assert errors["employer_name"] == ["Choisissez une page entreprise ou saisissez un nom, pas les deux."]

    def test_title_and_slug_may_not_carry_the_real_name_when_hidden(self):
        portrait = PortraitPageFactory(
            parent=self.neighbourhood, title="Inès", slug="ines", first_name="Inès", live=False
        )
        PortraitConsentFactory(portrait=portrait, subject_name="Inès Benali")
        edit_url = reverse("wagtailadmin_pages:edit", args=[portrait.pk])
        for overrides in ({"title": "Inès Benali", "slug": "ines"}, {"title": "Inès", "slug": "ines-benali"}):
            data = self.portrait_data(privacy_level="first", last_name="", **overrides)
            response = self.client.post(edit_url, data)
            assert response.status_code == 200, overrides
            errors = response.context["form"].errors
            field = "title" if overrides["title"] != "Inès" else "slug"
            assert errors[field] == [
                "Le nom inscrit au registre des consentements ne doit pas paraître dans le titre ni dans l'adresse "
                "de la page : gardez seulement le prénom affiché."
            ], overrides
        # The displayed first name itself is fine.
        data = self.portrait_data(privacy_level="first", last_name="", title="Inès", slug="ines")
        response = self.client.post(edit_url, data)
        assert response.status_code == 302

    def test_create_company_saves_every_field_and_offers(self):
        logo = ImageFactory(title="Logo Soleil")
        data = nested_form_data(
            {
                "title": "Garage Moulin",
                "slug": "garage-moulin",
                "logo": logo.pk,
                "sector": self.commerce.pk,
                "commune": "Tarascon",
                "website": "https://garage-moulin.example",
                "summary": "Un garage qui forme des apprentis depuis 1990.",
                "offers": inline_formset(
                    [
                        {"kind": "alternance", "details": "Deux places en mécanique."},
                        {"kind": "stage-3e", "details": "Une semaine en décembre."},
                    ]
                ),
                "presentation": streamfield([("paragraph", rich_text("<p>Nous <i>réparons</i> tout.</p>"))]),
            }
        )
        self.assertCanCreate(self.company_index, CompanyPage, data)

        company = CompanyPage.objects.get(slug="garage-moulin")
        assert company.live
        assert company.get_parent().specific == self.company_index
        assert (company.title, company.commune, company.website) == (
            "Garage Moulin",
            "Tarascon",
            "https://garage-moulin.example",
        )
        assert company.logo == logo
        assert company.sector == self.commerce
        assert company.summary == "Un garage qui forme des apprentis depuis 1990."
        assert [(o.kind, o.details) for o in company.offers.order_by("sort_order")] == [
            ("alternance", "Deux places en mécanique."),
            ("stage-3e", "Une semaine en décembre."),
        ]
        assert "<i>réparons</i>" in company.presentation[0].value.source
        revision = company.get_latest_revision_as_object()
        assert [(o.kind, o.details) for o in revision.offers.all()] == [
            ("alternance", "Deux places en mécanique."),
            ("stage-3e", "Une semaine en décembre."),
        ]
        soup = soup_of(self.client, company.url)
        assert [li.get_text(" ", strip=True) for li in soup.select(".offer-list li")] == [
            "Alternance, apprentissage — Deux places en mécanique.",
            "Stage de 3e — Une semaine en décembre.",
        ]

    def test_invalid_company_gets_french_errors_and_is_not_saved(self):
        data = nested_form_data(
            {
                "title": "Sans commune",
                "slug": "sans-commune",
                "commune": "",
                "summary": "",
                "website": "pas une adresse",
                "offers": inline_formset([{"kind": "stage-secret", "details": ""}]),
                "presentation": streamfield([]),
                # Drafts may leave required fields empty (Wagtail's deferred validation); publishing may not.
                "action-publish": "action-publish",
            }
        )
        add_url = reverse("wagtailadmin_pages:add", args=["stories", "companypage", self.company_index.pk])
        response = self.client.post(add_url, data)
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["commune"] == ["Champ requis."]
        assert form.errors["summary"] == ["Champ requis."]
        assert form.errors["website"] == ["Saisissez une URL valide."]
        assert form.formsets["offers"].forms[0].errors["kind"][0].startswith("Sélectionnez un choix valide.")
        assert not CompanyPage.objects.filter(slug="sans-commune").exists()


# ---------------------------------------------------------------------------------------------
# 3. Rendering every block of a portrait


@pytest.mark.django_db
def test_every_portrait_block_renders(client, neighbourhood, taxonomy):
    image = ImageFactory(credit="Studio Nord")
    portrait = publish_portrait(
        neighbourhood,
        title="Inès",
        first_name="Inès",
        body=[
            ("heading", {"text": "Le déclic", "level": "h2"}),
            ("paragraph", '<p>Un jour, <a href="https://exemple.org">une conseillère</a> m\'a appelée.</p>'),
            (
                "figure",
                {"image": {"image": image, "alt_text": "Inès au fournil", "decorative": False}, "caption": "À 5 h"},
            ),
            ("quote", {"quote": "Je n'aurais jamais cru.", "attribution": "Inès"}),
            parcours(
                (datetime.date(2023, 3, 14), "CAP en apprentissage", None),
                (datetime.date(2021, 9, 1), "Sortie du lycée", None),
                (datetime.date(2022, 1, 1), "Première visite", taxonomy.mission_locale),
            ),
            (
                "video",
                {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "title": "Mon premier jour",
                    "duration": "2 min",
                    "transcript": "Bonjour, je m'appelle Inès.\nJe fais du pain.",
                },
            ),
        ],
    )
    response = client.get(portrait.url)
    assert response.status_code == 200
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    prose = soup.select_one(".prose")

    assert prose.select_one("h2.block-heading").get_text() == "Le déclic"
    assert prose.select_one(".block-paragraph a")["href"] == "https://exemple.org"
    figure = prose.select_one(".block-figure")
    assert figure.img["alt"] == "Inès au fournil"
    assert "À 5 h" in figure.figcaption.get_text()
    assert "Photo : Studio Nord" in figure.figcaption.get_text().replace("\xa0", " ")
    assert prose.select_one(".block-quote blockquote").get_text(strip=True) == "Je n'aurais jamais cru."

    steps = prose.select(".parcours .parcours__step")
    assert [step.select_one("time").get_text() for step in steps] == ["Septembre 2021", "Janvier 2022", "Mars 2023"]
    assert [step.select_one("time")["datetime"] for step in steps] == ["2021-09", "2022-01", "2023-03"]
    assert [step.h3.get_text() for step in steps] == ["Sortie du lycée", "Première visite", "CAP en apprentissage"]
    scheme_links = prose.select(".parcours__dispositif a")
    assert [(a["href"], a.get_text()) for a in scheme_links] == [("/dispositifs/mission-locale/", "Mission Locale")]
    assert client.get(scheme_links[0]["href"]).status_code == 200

    # Click-to-load: nothing is requested from the video host until the visitor asks.
    assert soup.find("iframe") is None
    video = prose.select_one(".video-block")
    host_urls = [
        value
        for tag in soup.find_all(True)
        for attr in ("src", "srcset", "href", "data", "poster", "action")
        if (value := tag.get(attr)) and re.search(r"youtube|youtu\.be|vimeo", value)
    ]
    assert host_urls == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    assert video.select_one("a[data-video-play]")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    transcript = video.select_one("details.video-transcript")
    assert "Lire la transcription de « Mon premier jour »" in transcript.summary.get_text().replace("\xa0", " ")
    assert transcript.select_one(".video-transcript__text").get_text("|", strip=True) == (
        "Bonjour, je m'appelle Inès.|Je fais du pain."
    )
    assert [s["src"] for s in soup.select("script[src]") if "video" in s["src"]] == ["/static/js/video.js"]


@pytest.mark.django_db
def test_video_script_only_on_portraits_with_a_video(client, neighbourhood):
    portrait = publish_portrait(neighbourhood, title="Sans vidéo")
    soup = soup_of(client, portrait.url)
    assert not any("video" in s["src"] for s in soup.select("script[src]"))
    assert soup.select_one(".video-block") is None


# ---------------------------------------------------------------------------------------------
# 4. Privacy levels


def pages_showing(client, portrait):
    """Every page where a portrait appears: its own, the listing, its hub and the home page."""
    return {url: client.get(url).content.decode() for url in (portrait.url, "/portraits/", "/quartiers/tarascon/", "/")}


@pytest.mark.django_db
def test_full_name_is_shown(client, neighbourhood):
    portrait = publish_portrait(
        neighbourhood,
        title="Inès Benali",
        first_name="Inès",
        last_name="Benali",
        privacy_level="full",
        age=19,
        consent={"covers_social": True},  # sharing tags name the person only with that consent
    )
    soup = soup_of(client, portrait.url)
    assert soup.h1.get_text(strip=True) == "Inès Benali, 19 ans"
    assert soup.title.get_text().startswith("Inès Benali, 19 ans")
    assert soup.select_one('meta[property="og:title"]')["content"].startswith("Inès Benali, 19 ans")
    assert soup.select_one(".portrait-header__note") is None
    for url in ("/portraits/", "/quartiers/tarascon/", "/"):
        assert card_names(soup_of(client, url)) == ["Inès Benali"], url


@pytest.mark.django_db
def test_first_name_only_never_shows_the_last_name(client, neighbourhood):
    # The last name is known to the site (the ledger, and a field left over from an import that
    # skipped validation), but must not reach any page.
    portrait = publish_portrait(
        neighbourhood,
        title="Yanis",
        first_name="Yanis",
        privacy_level="first",
        age=24,
        consent={"subject_name": "Yanis Haddad"},
    )
    PortraitPage.objects.filter(pk=portrait.pk).update(last_name="Haddad")
    for url, html in pages_showing(client, portrait).items():
        assert "Yanis" in html, url
        assert "Haddad" not in html, url
        assert "haddad" not in html.lower(), url
    soup = soup_of(client, portrait.url)
    assert soup.h1.get_text(strip=True) == "Yanis, 24 ans"
    assert soup.title.get_text().startswith("Yanis, 24 ans")
    assert soup.select_one('meta[property="og:title"]')["content"].startswith("Yanis, 24 ans")
    assert soup.select_one(".breadcrumb [aria-current=page]").get_text() == "Yanis"
    assert soup.select_one(".portrait-header__note") is None


@pytest.mark.django_db
def test_breadcrumb_names_the_portrait_as_displayed(client, neighbourhood):
    # An editor's page title is for the admin; visitors read the displayed name.
    portrait = publish_portrait(neighbourhood, title="Portrait de Yanis (atelier 2024)", first_name="Yanis")
    soup = soup_of(client, portrait.url)
    assert soup.select_one(".breadcrumb [aria-current=page]").get_text() == "Yanis"
    assert "atelier 2024" not in soup.get_text()


@pytest.mark.django_db
def test_changed_first_name_says_so_and_hides_the_real_name(client, neighbourhood):
    portrait = publish_portrait(
        neighbourhood,
        title="Sami",
        first_name="Sami",
        privacy_level="changed",
        consent={"subject_name": "Karim Mansour"},
    )
    soup = soup_of(client, portrait.url)
    assert soup.h1.get_text(strip=True).startswith("Sami, ")
    assert soup.select_one(".portrait-header__note").get_text() == "Le prénom a été changé à sa demande."
    for url, html in pages_showing(client, portrait).items():
        assert "Karim" not in html, url
        assert "Mansour" not in html, url


@pytest.mark.django_db
def test_portrait_without_photo_renders_without_image(client, neighbourhood):
    portrait = publish_portrait(neighbourhood, title="Nour", first_name="Nour", photo=None, photo_alt="")
    soup = soup_of(client, portrait.url)
    assert soup.select_one(".portrait-header__photo") is None
    assert soup.select(".portrait-header img") == []
    # Shared links show the site's generic picture, never an uploaded one.
    assert soup.select_one('meta[property="og:image"]')["content"].endswith("og-default.png")
    assert "/media/" not in " ".join(tag["content"] for tag in soup.select('meta[property^="og:"]'))
    for url in ("/portraits/", "/quartiers/tarascon/"):
        card = soup_of(client, url).select_one(".portrait-card")
        assert card.find("img") is None, url
        assert card.find("picture") is None, url


# ---------------------------------------------------------------------------------------------
# 5. /portraits/, the hub, the home page and a portrait's way forward


@pytest.mark.django_db
def test_portraits_newest_first_without_drafts_or_invalid_consent(client, catalogue):
    soup = soup_of(client, "/portraits/")
    assert card_names(soup) == ["Dylan", "Chloé", "Bilal", "Amina"]
    assert soup.select_one(".result-count").get_text() == "4 portraits"
    html = soup.get_text()
    for hidden in ("Eva", "Farid", "Gaëlle", "Hugo"):
        assert hidden not in html
        assert client.get(getattr(catalogue, slugify(hidden).replace("-", "_")).url).status_code == 404


PORTRAIT_FILTER_CASES = [
    ("quartier=tarascon", ["Bilal", "Amina"]),
    ("quartier=bellevue", ["Dylan", "Chloé"]),
    ("secteur=commerce", ["Chloé", "Amina"]),
    ("secteur=btp", ["Dylan", "Bilal"]),
    ("depart=sans-diplome", ["Chloé", "Amina"]),
    ("depart=jeune-parent", ["Chloé", "Bilal"]),
    ("tag=alternance", ["Chloé", "Amina"]),
    ("tag=premier-emploi", ["Chloé"]),
    ("quartier=bellevue&secteur=commerce", ["Chloé"]),
    ("quartier=tarascon&depart=jeune-parent", ["Bilal"]),
    ("secteur=commerce&depart=jeune-parent&tag=alternance", ["Chloé"]),
    ("quartier=tarascon&tag=alternance", ["Amina"]),
    ("quartier=bellevue&secteur=commerce&depart=sans-diplome&tag=premier-emploi", ["Chloé"]),
    ("quartier=tarascon&secteur=btp&tag=alternance", []),
    # Unknown values are ignored, alone or next to a valid one.
    (
        "quartier=nulle-part&secteur=%3Cscript%3E&depart=x&tag=inconnu&page=abc",
        ["Dylan", "Chloé", "Bilal", "Amina"],
    ),
    ("quartier=nulle-part&secteur=btp", ["Dylan", "Bilal"]),
    # A tag used only by a draft filters nothing in (and reveals nothing).
    ("tag=brouillon-secret", []),
]


@pytest.mark.django_db
def test_portrait_filters_alone_and_combined(client, catalogue):
    for query, expected in PORTRAIT_FILTER_CASES:
        assert card_names(soup_of(client, f"/portraits/?{query}")) == expected, query


@pytest.mark.django_db
def test_filter_form_shows_the_selection(client, catalogue):
    soup = soup_of(client, "/portraits/?quartier=bellevue&secteur=commerce&depart=sans-diplome&tag=alternance")
    selected = {select["name"]: select.select_one("option[selected]")["value"] for select in soup.select("form select")}
    assert selected == {"quartier": "bellevue", "secteur": "commerce", "depart": "sans-diplome"}
    assert soup.select_one('form input[type=hidden][name="tag"]')["value"] == "alternance"
    assert soup.select_one(".filters__reset")["href"] == "/portraits/"


@pytest.mark.django_db
def test_tag_links_keep_the_other_filters(client, catalogue):
    def tag_links(query):
        soup = soup_of(client, f"/portraits/?{query}")
        return {a.contents[0].strip(): a for a in soup.select(".tag-filter a")}

    links = tag_links("quartier=tarascon&secteur=commerce")
    # Tags of visible portraits only, most used first; the draft's tag is never offered.
    assert list(links) == ["alternance", "apprentissage", "premier emploi"]
    assert links["alternance"]["href"] == "/portraits/?quartier=tarascon&secteur=commerce&tag=alternance"
    assert links["premier emploi"]["href"] == "/portraits/?quartier=tarascon&secteur=commerce&tag=premier-emploi"
    assert not any(a.has_attr("aria-current") for a in links.values())

    links = tag_links("quartier=tarascon&secteur=commerce&tag=alternance")
    selected = links["alternance"]
    assert selected["aria-current"] == "true"
    assert selected["href"] == "/portraits/?quartier=tarascon&secteur=commerce"
    assert "(retirer ce filtre)" in selected.get_text()
    assert links["apprentissage"]["href"] == "/portraits/?quartier=tarascon&secteur=commerce&tag=apprentissage"
    assert tag_links("tag=alternance")["alternance"]["href"] == "/portraits/"


@pytest.mark.django_db
def test_portrait_pagination_keeps_filters(client, neighbourhood, bellevue, taxonomy):
    photos = ImageFactory.create_batch(2)
    live_portraits(neighbourhood, 14, photos=photos, sector=taxonomy.commerce, starting_points=[taxonomy.jeune_parent])
    live_portraits(bellevue, 3, photos=photos, sector=taxonomy.commerce, starting_points=[taxonomy.jeune_parent])
    live_portraits(neighbourhood, 3, photos=photos, sector=taxonomy.btp, starting_points=[taxonomy.jeune_parent])
    query = "quartier=tarascon&secteur=commerce&depart=jeune-parent"
    expected = list(
        PortraitPage.objects.child_of(neighbourhood)
        .filter(sector=taxonomy.commerce)
        .order_by("-first_published_at")
        .values_list("first_name", flat=True)
    )
    assert len(expected) == 14

    page_one = soup_of(client, f"/portraits/?{query}")
    assert page_one.select_one(".result-count").get_text() == "14 portraits"
    assert card_names(page_one) == expected[:12]
    assert page_one.select_one('.pagination [aria-current="page"]').get_text() == "Page 1 sur 2"
    next_link = page_one.select_one('.pagination a[rel="next"]')
    assert next_link["href"] == f"?{query}&page=2"
    assert page_one.select_one('.pagination a[rel="prev"]') is None

    page_two = soup_of(client, "/portraits/" + next_link["href"])
    assert card_names(page_two) == expected[12:]
    assert page_two.select_one('.pagination a[rel="prev"]')["href"] == f"?{query}&page=1"
    assert page_two.select_one('.pagination a[rel="next"]') is None

    unfiltered = soup_of(client, "/portraits/")
    assert len(card_names(unfiltered)) == PortraitIndexPage.per_page
    assert unfiltered.select_one('.pagination a[rel="next"]')["href"] == "?page=2"


@pytest.mark.django_db
def test_neighbourhood_hub_shows_only_its_own_portraits(client, catalogue):
    soup = soup_of(client, "/quartiers/tarascon/")
    section = soup.select_one('section[aria-labelledby="neighbourhood-portraits-title"]')
    assert section.h2.get_text() == "Ils et elles ont grandi à Tarascon"
    assert card_names(section) == ["Bilal", "Amina"]
    assert section.select_one(".more-link")["href"] == "/portraits/?quartier=tarascon"
    assert card_names(soup_of(client, "/quartiers/bellevue/")) == ["Dylan", "Chloé"]


@pytest.mark.django_db
def test_home_page_features_the_newest_portrait_of_each_neighbourhood_in_turn(client, catalogue):
    soup = soup_of(client, "/")
    section = soup.select_one('section[aria-labelledby="featured-portraits-title"]')
    # Bellevue's newest, Tarascon's newest that may be public (not Gaëlle or Hugo, published later but
    # whose consent lapsed), then Bellevue's second (tests/test_home_page.py has the longer story).
    assert card_names(section) == ["Dylan", "Bilal", "Chloé"]
    # Cards off the hub say where the person grew up.
    metas = [meta.get_text(" ", strip=True) for meta in section.select(".card__meta")]
    assert metas[0].endswith("Bellevue")
    assert metas[1].endswith("Tarascon")
    assert section.select_one(".more-link")["href"] == "/portraits/"


@pytest.mark.django_db
def test_portrait_page_shows_the_way_forward(client, catalogue):
    soup = soup_of(client, catalogue.amina.url)
    job = soup.select_one(".portrait-header__job")
    assert job.a["href"] == catalogue.bakery.url
    assert job.get_text(" ", strip=True) == "Apprentie boulangère chez Boulangerie Soleil"
    starts = soup.select(".portrait-header__start a")
    assert [(a["href"], a.get_text()) for a in starts] == [("/portraits/?depart=sans-diplome", "sans diplôme")]
    assert [a["href"] for a in soup.select("ul.chips a")] == ["/portraits/?tag=alternance"]

    links = {a["href"]: a.get_text(" ", strip=True) for a in soup.select(".way-forward__links a")}
    assert links[catalogue.bakery.url].startswith("Découvrir Boulangerie Soleil")
    assert links["/quartiers/tarascon/"] == "Les associations et les prochains rendez-vous à Tarascon"
    assert "/portraits/?secteur=commerce" in links
    assert "/dispositifs/" in links
    # Related: same sector (Chloé) or same neighbourhood (Bilal); never itself nor hidden portraits.
    related = soup.select_one('section[aria-labelledby="related-title"]')
    assert card_names(related) == ["Chloé", "Bilal"]


@pytest.mark.django_db
def test_portrait_without_sector_is_not_related_to_every_other_one(client, neighbourhood, bellevue):
    # A sector is required, but deleting it from the snippets leaves its portraits without one.
    loner = publish_portrait(neighbourhood, title="Seule", first_name="Seule", sector=SectorFactory(name="Disparu"))
    publish_portrait(bellevue, title="Ailleurs", first_name="Ailleurs", sector=SectorFactory(name="Effacé"))
    Sector.objects.filter(name__in=["Disparu", "Effacé"]).delete()
    soup = soup_of(client, loner.url)
    assert soup.select_one('section[aria-labelledby="related-title"]') is None


# ---------------------------------------------------------------------------------------------
# 6. /entreprises/


@pytest.fixture
def companies(company_index, taxonomy):
    def company(title, sector, *kinds, **kwargs):
        page = CompanyPageFactory(parent=company_index, title=title, sector=sector, **kwargs)
        for kind in kinds:
            CompanyOfferFactory(page=page, kind=kind)
        return page

    return SimpleNamespace(
        boulangerie=company("Boulangerie Soleil", taxonomy.commerce, "alternance", "stage-3e"),
        chantiers=company("Chantiers Nord", taxonomy.btp, "alternance"),
        durand=company("Durand Construction", taxonomy.btp, "cdi"),
        secret=company("Enseigne Brouillon", taxonomy.btp, "alternance", live=False),
    )


COMPANY_FILTER_CASES = [
    ("", ["Boulangerie Soleil", "Chantiers Nord", "Durand Construction"]),
    ("secteur=btp", ["Chantiers Nord", "Durand Construction"]),
    ("offre=alternance", ["Boulangerie Soleil", "Chantiers Nord"]),
    ("offre=stage-3e", ["Boulangerie Soleil"]),
    ("secteur=btp&offre=alternance", ["Chantiers Nord"]),
    ("secteur=commerce&offre=cdi", []),
    ("secteur=inconnu&offre=%3Cscript%3E", ["Boulangerie Soleil", "Chantiers Nord", "Durand Construction"]),
]


@pytest.mark.django_db
def test_company_filters_alone_and_combined(client, companies):
    for query, expected in COMPANY_FILTER_CASES:
        soup = soup_of(client, f"/entreprises/?{query}")
        assert company_names(soup) == expected, query
        count = len(expected)
        assert soup.select_one(".result-count").get_text() == f"{count} entreprise{'s' if count > 1 else ''}", query


@pytest.mark.django_db
def test_company_card_lists_its_offers(client, companies):
    soup = soup_of(client, "/entreprises/")
    card = soup.select_one(".company-card")
    assert [li.get_text() for li in card.select(".chips li")] == ["Alternance, apprentissage", "Stage de 3e"]
    selected = soup_of(client, "/entreprises/?secteur=btp&offre=alternance")
    assert selected.select_one("#filter-secteur option[selected]")["value"] == "btp"
    assert selected.select_one("#filter-offre option[selected]")["value"] == "alternance"


@pytest.mark.django_db
def test_company_pagination_keeps_filters(client, company_index, taxonomy):
    for number in range(CompanyIndexPage.per_page + 2):
        page = CompanyPageFactory(parent=company_index, title=f"Atelier {number:02d}", sector=taxonomy.btp)
        CompanyOfferFactory(page=page, kind="alternance")
    CompanyOfferFactory(page=CompanyPageFactory(parent=company_index, title="Aaa Commerce"), kind="alternance")
    CompanyPageFactory(parent=company_index, title="Aab Sans offre", sector=taxonomy.btp)

    page_one = soup_of(client, "/entreprises/?secteur=btp&offre=alternance")
    assert company_names(page_one) == [f"Atelier {n:02d}" for n in range(24)]
    next_link = page_one.select_one('.pagination a[rel="next"]')
    assert next_link["href"] == "?secteur=btp&offre=alternance&page=2"
    page_two = soup_of(client, "/entreprises/" + next_link["href"])
    assert company_names(page_two) == ["Atelier 24", "Atelier 25"]
    assert page_two.select_one('.pagination a[rel="prev"]')["href"] == "?secteur=btp&offre=alternance&page=1"


@pytest.mark.django_db
def test_company_page_lists_offers_and_the_portraits_of_its_employees(client, catalogue):
    CompanyOfferFactory(page=catalogue.bakery, kind="alternance", details="Deux places par an.")
    CompanyOfferFactory(page=catalogue.bakery, kind="visite", details="")
    soup = soup_of(client, catalogue.bakery.url)
    assert [li.get_text(" ", strip=True) for li in soup.select(".offer-list li")] == [
        "Alternance, apprentissage — Deux places par an.",
        "Visite d'entreprise",
    ]
    employees = soup.select_one('section[aria-labelledby="employees-title"]')
    # Amina links the page; Bilal only typed the name; Eva (draft), Farid (no consent), Gaëlle
    # (expired) and Hugo (withdrawn) link it but are not public.
    assert card_names(employees) == ["Amina"]
    assert employees.select_one(".card__meta").get_text(" ", strip=True).endswith("Tarascon")


@pytest.mark.django_db
def test_draft_company_is_not_listed(client, companies):
    assert "Enseigne Brouillon" not in soup_of(client, "/entreprises/").get_text()
    assert client.get("/entreprises/enseigne-brouillon/").status_code == 404


# ---------------------------------------------------------------------------------------------
# 7. /dispositifs/ and the sitemap


@pytest.mark.django_db
def test_scheme_directory_counts_live_portraits(client, catalogue):
    soup = soup_of(client, "/dispositifs/")
    items = {
        li.select_one(".dispositif__title").get_text(strip=True): li.select_one(".dispositif__count")
        for li in soup.select("li.dispositif")
    }
    assert list(items) == ["École de la 2e chance (E2C)", "Mission Locale", "Service civique"]
    assert items["Mission Locale"].get_text() == "2 portraits de jeunes qui l'ont utilisé"
    assert items["École de la 2e chance (E2C)"].get_text() == "2 portraits de jeunes qui l'ont utilisé"
    assert items["Service civique"] is None
    hrefs = [a["href"] for a in soup.select(".dispositif__title a")]
    assert hrefs == [
        "/dispositifs/ecole-de-la-2e-chance/",
        "/dispositifs/mission-locale/",
        "/dispositifs/service-civique/",
    ]


@pytest.mark.django_db
def test_scheme_page_shows_only_the_portraits_that_used_it(client, catalogue):
    soup = soup_of(client, "/dispositifs/mission-locale/")
    assert soup.h1.get_text() == "Mission Locale"
    assert soup.title.get_text().startswith("Mission Locale")
    assert card_names(soup) == ["Chloé", "Amina"]
    assert [li.get_text(strip=True) for li in soup.select(".breadcrumb li")] == [
        "Accueil",
        "Dispositifs",
        "Mission Locale",
    ]

    soup = soup_of(client, "/dispositifs/ecole-de-la-2e-chance/")
    assert soup.h1.get_text() == "École de la 2e chance (E2C)"
    assert card_names(soup) == ["Chloé", "Bilal"]

    soup = soup_of(client, "/dispositifs/service-civique/")
    assert card_names(soup) == []
    assert "Pas encore de portrait qui en parle." in soup.get_text()

    assert client.get("/dispositifs/inconnu/").status_code == 404
    assert client.get("/dispositifs/mission-locale/autre/").status_code == 404


@pytest.mark.django_db
def test_sitemap_lists_schemes_and_live_portraits_but_not_drafts(client, catalogue):
    sitemap = client.get("/sitemap.xml").content.decode()
    for slug in ("mission-locale", "ecole-de-la-2e-chance", "service-civique"):
        assert f"/dispositifs/{slug}/</loc>" in sitemap
    for portrait in (catalogue.amina, catalogue.bilal, catalogue.chloe, catalogue.dylan):
        assert f"{portrait.url}</loc>" in sitemap
    assert "/eva/</loc>" not in sitemap
    assert "/entreprises/boulangerie-soleil/</loc>" in sitemap


# ---------------------------------------------------------------------------------------------
# 8. Query counts: the same with 10 and with 300 portraits and companies


@pytest.mark.django_db
def test_queries_do_not_grow_with_portraits_and_companies(client, neighbourhood, bellevue, company_index, taxonomy):
    t = taxonomy
    photos = ImageFactory.create_batch(4)
    employer = CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", sector=t.commerce, logo=photos[0])
    CompanyOfferFactory(page=employer, kind="alternance")
    tags = [Tag.objects.create(name=name, slug=slugify(name)) for name in ("alternance", "premier emploi", "CAP")]
    body = [
        parcours(
            (datetime.date(2021, 9, 1), "Mission Locale", t.mission_locale), (datetime.date(2022, 9, 1), "E2C", t.e2c)
        )
    ]

    def populate(count, newest):
        made = []
        for number, parent in enumerate((neighbourhood, bellevue)):
            made += live_portraits(
                parent,
                count // 2,
                photos=photos,
                newest=newest - datetime.timedelta(seconds=number),
                sector=(t.commerce, t.btp)[number],
                starting_points=[t.sans_diplome, t.jeune_parent],
                employer_page=employer,
                employer_name="",
                body=body,
            )
        PortraitTag.objects.bulk_create(
            [PortraitTag(content_object=portrait, tag=tag) for portrait in made for tag in tags[: 1 + len(made) % 3]]
        )
        for number in range(count):
            company = CompanyPageFactory(
                parent=company_index, sector=(t.commerce, t.btp)[number % 2], logo=photos[number % len(photos)]
            )
            CompanyOffer.objects.bulk_create(
                [CompanyOffer(page=company, kind="alternance", sort_order=0), CompanyOffer(page=company, kind="cdi")]
            )
        return made

    first = populate(10, timezone.now())
    urls = [
        "/",
        "/portraits/",
        "/portraits/?quartier=tarascon",
        "/portraits/?secteur=commerce&depart=sans-diplome&tag=alternance",
        "/quartiers/tarascon/",
        "/entreprises/",
        "/entreprises/?secteur=btp&offre=alternance",
        employer.url,
        "/dispositifs/",
        "/dispositifs/mission-locale/",
        first[0].url,
    ]
    with_ten = {url: _queries_for(client, url) for url in urls}
    populate(290, timezone.now() + datetime.timedelta(days=1))
    assert PortraitPage.objects.live().count() == 300
    with_three_hundred = {url: _queries_for(client, url) for url in urls}
    print("\nQueries with 10 / 300:", {url: (with_ten[url], with_three_hundred[url]) for url in urls})
    assert with_three_hundred == with_ten
    # Budget: routing, site settings, menus, the listing and its filters (a portrait page: ~27).
    assert max(with_ten.values()) <= 30, with_ten

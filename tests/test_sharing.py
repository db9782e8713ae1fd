"""Sharing and discovery metadata: Open Graph, social cards, canonical addresses and schema.org data,
read from the HTML a crawler or a social network receives. Portraits follow their consent's scope."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.models import Dispositif, DispositifIndexPage
from tests.factories import (
    CompanyPageFactory,
    DispositifFactory,
    EventPageFactory,
    PortraitPageFactory,
    SectorFactory,
    publish_portrait,
)

REQUIRED = ["og:title", "og:description", "og:url", "og:type", "og:locale", "og:site_name", "og:image"]
DEFAULT_IMAGE = "/static/img/og-default.png"


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    meta = {}
    for tag in soup.head.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            meta.setdefault(key, []).append(tag.get("content", ""))
    canonical = [link["href"] for link in soup.head.find_all("link", rel="canonical")]
    feeds = soup.head.find_all("link", rel="alternate", type="application/rss+xml")
    json_ld = []
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        json_ld += data if isinstance(data, list) else [data]
    return meta, canonical, feeds, json_ld


def one(meta, key):
    values = meta.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def sharing_values(meta):
    return " ".join(value for key, values in meta.items() if key.startswith(("og:", "twitter:")) for value in values)


@pytest.fixture
def portrait_parent(neighbourhood, portrait_index):
    return neighbourhood


@pytest.mark.django_db
def test_home_page_has_every_tag_the_site_data_and_the_feed(client, home_page):
    meta, canonical, feeds, json_ld = head_of(client, "/")
    for key in REQUIRED:
        assert one(meta, key)
    assert one(meta, "og:locale") == "fr_FR"
    assert one(meta, "og:site_name") == "Impact Jeunes"
    assert one(meta, "og:title") == "Impact Jeunes"
    assert one(meta, "og:url") == "http://localhost/"
    assert one(meta, "og:image") == f"http://localhost{DEFAULT_IMAGE}"
    assert one(meta, "twitter:card") == "summary_large_image"
    assert one(meta, "description")
    assert canonical == ["http://localhost/"]
    assert [feed["href"] for feed in feeds] == ["/portraits/flux.xml"]
    types = {item["@type"] for item in json_ld}
    assert types == {"WebSite", "Organization"}
    website = next(item for item in json_ld if item["@type"] == "WebSite")
    assert website["url"] == "http://localhost/"
    assert website["inLanguage"] == "fr-FR"


def test_the_default_image_exists_at_its_announced_size():
    from django.contrib.staticfiles import finders
    from PIL import Image

    path = finders.find("img/og-default.png")
    assert path is not None
    with Image.open(path) as image:
        assert image.size == (1200, 630)


@pytest.mark.django_db
def test_every_public_page_has_a_description_and_the_sharing_tags(client, neighbourhood, portrait_index, company_index):
    portrait = publish_portrait(neighbourhood, title="Inès", slug="ines", first_name="Inès")
    company = CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", slug="boulangerie-soleil")
    from events.models import EventIndexPage

    event = EventPageFactory(parent=EventIndexPage.objects.get(), title="Forum emploi", slug="forum-emploi")
    dispositif = DispositifFactory(name="Garantie jeunes", slug="garantie-jeunes")
    urls = [
        "/",
        "/portraits/",
        "/entreprises/",
        "/dispositifs/",
        f"/dispositifs/{dispositif.slug}/",
        "/evenements/",
        "/evenements/archives/",
        "/quartiers/",
        neighbourhood.url,
        portrait.url,
        company.url,
        event.url,
    ]
    for url in urls:
        meta, _, feeds, _ = head_of(client, url)
        assert one(meta, "description").strip(), url
        # Uniqueness on portrait pages: see test_portrait_pages_print_each_sharing_tag_once.
        for key in REQUIRED:
            assert meta.get(key, [""])[0].strip(), (url, key)
        assert meta["og:url"][0].startswith("http://localhost/"), url
        assert len(feeds) == 1, url


@pytest.mark.django_db
def test_route_pages_and_listings_share_their_own_address_without_parameters(client, portrait_index):
    DispositifIndexPage.objects.get()  # created by the site structure
    dispositif = DispositifFactory(name="Mission locale", slug="mission-locale", audience="Les 16-25 ans sans emploi.")
    sector = SectorFactory(slug="commerce")

    meta, _, _, _ = head_of(client, f"/dispositifs/{dispositif.slug}/")
    assert one(meta, "og:url") == "http://localhost/dispositifs/mission-locale/"
    assert one(meta, "og:title") == "Mission locale"
    assert "Les 16-25 ans sans emploi." in one(meta, "og:description")

    meta, _, _, _ = head_of(client, "/evenements/archives/")
    assert one(meta, "og:url") == "http://localhost/evenements/archives/"
    assert one(meta, "og:title") == "Événements passés"

    meta, _, _, _ = head_of(client, f"/portraits/?secteur={sector.slug}&utm_source=facebook&fbclid=abc")
    assert one(meta, "og:url") == "http://localhost/portraits/"
    # Page 2 of the whole list is a real page; page 2 of a filtered list is not.
    meta, _, _, _ = head_of(client, "/portraits/?page=2")
    assert one(meta, "og:url") == "http://localhost/portraits/?page=2"
    meta, _, _, _ = head_of(client, f"/portraits/?page=2&secteur={sector.slug}")
    assert one(meta, "og:url") == "http://localhost/portraits/"
    assert Dispositif.objects.count() == 1


@pytest.mark.django_db
def test_route_pages_have_their_own_canonical_address(client, portrait_index):
    DispositifFactory(name="Mission locale", slug="mission-locale")
    _, canonical, _, _ = head_of(client, "/dispositifs/mission-locale/")
    assert canonical == ["http://localhost/dispositifs/mission-locale/"]
    _, canonical, _, _ = head_of(client, "/evenements/archives/")
    assert canonical == ["http://localhost/evenements/archives/"]


@pytest.mark.django_db
def test_portrait_covered_for_social_networks_shares_its_photo_and_name(client, portrait_parent):
    portrait = publish_portrait(
        portrait_parent,
        title="Inès Martin",
        slug="ines-martin",
        first_name="Inès",
        last_name="Martin",
        privacy_level="full",
        consent={"covers_social": True},
    )
    meta, _, _, _ = head_of(client, portrait.url)
    rendition = portrait.photo.renditions.get(filter_spec="fill-1200x630|format-jpeg")
    assert meta["og:image"][0] == f"http://localhost{rendition.url}"
    assert rendition.url.endswith(".jpg")
    assert DEFAULT_IMAGE not in sharing_values(meta)
    assert "Inès Martin, 22 ans" in meta["og:title"][0]
    assert meta["og:type"][0] == "article"
    assert meta["og:image:alt"][0] == portrait.photo_alt
    # The rendition is really served, so the card does show a picture.
    assert client.get(rendition.url).status_code == 200


@pytest.mark.django_db
def test_portrait_covered_for_social_networks_without_a_photo_shares_the_site_image(client, portrait_parent):
    portrait = publish_portrait(portrait_parent, photo=None, consent={"covers_social": True})
    meta, _, _, _ = head_of(client, portrait.url)
    assert one(meta, "og:image") == f"http://localhost{DEFAULT_IMAGE}"


@pytest.mark.django_db
def test_portrait_pages_print_each_sharing_tag_once(client, portrait_parent):
    portrait = publish_portrait(portrait_parent, consent={"covers_social": True})
    meta, _, _, _ = head_of(client, portrait.url)
    for key in REQUIRED:
        one(meta, key)


@pytest.mark.django_db
def test_portrait_not_covered_for_social_networks_never_shares_its_photo(client, portrait_parent):
    portrait = publish_portrait(portrait_parent, first_name="Yanis", consent={"covers_social": False})
    meta, _, _, _ = head_of(client, portrait.url)
    assert meta["og:image"][0] == f"http://localhost{DEFAULT_IMAGE}"
    # Only the component's tags come first; the photo must appear in none of the component's tags.
    component = {key: values[:1] for key, values in meta.items()}
    assert "/media/" not in sharing_values(component)
    assert not portrait.photo.renditions.filter(filter_spec="fill-1200x630|format-jpeg").exists()
    assert meta["og:title"][0] == "Yanis, 22 ans — Apprentie boulangère"
    assert meta["twitter:card"] == ["summary_large_image"]


@pytest.mark.django_db
def test_portrait_not_covered_for_social_networks_is_shared_under_its_first_name_only(client, portrait_parent):
    portrait = publish_portrait(
        portrait_parent,
        title="Sofiane Benali",
        slug="sofiane-benali",
        first_name="Sofiane",
        last_name="Benali",
        privacy_level="full",
        search_description="Sofiane Benali, de Tarascon à la cuisine d'un grand restaurant.",
        consent={"covers_social": False},
    )
    response = client.get(portrait.url)
    assert "Sofiane Benali" in response.content.decode()  # the page itself shows the name
    meta, _, _, _ = head_of(client, portrait.url)
    assert meta["og:title"][0] == "Sofiane, 22 ans — Apprentie boulangère"
    assert "Benali" not in meta["og:description"][0]
    assert meta["og:description"][0] == "« J'ai osé pousser la porte. »"


@pytest.mark.django_db
def test_no_sharing_tag_of_an_uncovered_portrait_carries_its_family_name_or_photo(client, portrait_parent):
    portrait = publish_portrait(
        portrait_parent,
        first_name="Sofiane",
        last_name="Benali",
        privacy_level="full",
        consent={"covers_social": False},
    )
    meta, _, _, _ = head_of(client, portrait.url)
    assert "Benali" not in sharing_values(meta)
    assert "/media/" not in sharing_values(meta)


@pytest.mark.django_db
def test_a_portrait_with_a_hidden_family_name_never_shares_it(client, portrait_parent):
    # « Prénom seulement »: the last name field is empty by validation; the title may not carry it either.
    portrait = publish_portrait(
        portrait_parent, first_name="Lina", privacy_level="first", consent={"covers_social": True}
    )
    meta, _, _, _ = head_of(client, portrait.url)
    assert meta["og:title"][0].startswith("Lina, 22 ans")


@pytest.mark.django_db
def test_sharing_tags_cost_a_bounded_number_of_queries(client, portrait_parent):
    covered = publish_portrait(portrait_parent, slug="couvert", consent={"covers_social": True})
    not_covered = publish_portrait(portrait_parent, slug="pas-couvert", consent={"covers_social": False})
    client.get(covered.url)  # the first visit creates the rendition
    client.get(not_covered.url)
    with CaptureQueriesContext(connection) as with_photo:
        client.get(covered.url)
    with CaptureQueriesContext(connection) as without_photo:
        client.get(not_covered.url)
    # The shared photo costs at most its rendition lookup.
    assert len(with_photo) - len(without_photo) <= 2


@pytest.mark.django_db
def test_company_page_describes_the_company_for_search_engines(client, company_index):
    company = CompanyPageFactory(
        parent=company_index,
        title="Boulangerie Soleil",
        slug="boulangerie-soleil",
        commune="Tarascon",
        summary="Une boulangerie qui forme des apprentis.",
        website="https://boulangerie-soleil.example",
    )
    meta, _, _, json_ld = head_of(client, company.url)
    assert one(meta, "og:description") == "Une boulangerie qui forme des apprentis."
    assert one(meta, "og:title") == "Boulangerie Soleil"
    organisation = next(item for item in json_ld if item["@type"] == "Organization")
    assert organisation["name"] == "Boulangerie Soleil"
    assert organisation["url"] == "https://boulangerie-soleil.example"
    assert organisation["address"]["addressLocality"] == "Tarascon"
    assert organisation["mainEntityOfPage"] == "http://localhost/entreprises/boulangerie-soleil/"


@pytest.mark.django_db
def test_json_ld_cannot_close_its_script_element(client, company_index):
    company = CompanyPageFactory(parent=company_index, title="A </script><script>alert(1)</script>", slug="a")
    html = client.get(company.url).content.decode()
    assert "</script><script>alert(1)" not in html


@pytest.mark.django_db
def test_draft_portraits_share_nothing_because_they_answer_404(client, portrait_parent):
    draft = PortraitPageFactory(parent=portrait_parent, live=False)
    assert client.get(draft.url or f"/quartiers/tarascon/{draft.slug}/").status_code == 404

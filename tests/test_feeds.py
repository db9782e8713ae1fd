"""The RSS feed of new portraits and the sitemap, parsed back as a feed reader or a crawler would:
only what the site itself shows (live, public, consent valid today) is announced."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import EventIndexPage
from stories.models import PortraitConsent, PortraitPage
from tests.factories import CompanyPageFactory, EventPageFactory, PortraitPageFactory, publish_portrait

FEED_URL = "/portraits/flux.xml"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_feed(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    # Our own response, not untrusted input.
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314
    return channel, channel.findall("item")


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}


@pytest.fixture
def portraits(neighbourhood, portrait_index):
    """One portrait of each kind the site must not announce, next to two it must."""
    today = timezone.localdate()
    shown = publish_portrait(neighbourhood, title="Inès", slug="ines", first_name="Inès")
    named = publish_portrait(
        neighbourhood,
        title="Karim Haddad",
        slug="karim-haddad",
        first_name="Karim",
        last_name="Haddad",
        privacy_level="full",
    )
    draft = PortraitPageFactory(parent=neighbourhood, title="Brouillon", slug="brouillon", live=False)
    unpublished = publish_portrait(neighbourhood, title="Retiré", slug="retire")
    unpublished.unpublish()
    # Withdrawn or expired but still live: the state between the ledger change and the next
    # enforce_consents run. The database update skips the ledger's own unpublishing on save.
    withdrawn = publish_portrait(neighbourhood, title="Consentement retiré", slug="consentement-retire")
    PortraitConsent.objects.filter(portrait=withdrawn).update(withdrawn_on=today)
    expired = publish_portrait(neighbourhood, title="Consentement expiré", slug="consentement-expire")
    PortraitConsent.objects.filter(portrait=expired).update(expires_on=today - datetime.timedelta(days=1))
    private = publish_portrait(neighbourhood, title="Privé", slug="prive")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return {
        "shown": [shown, named],
        "hidden": [draft, unpublished, withdrawn, expired, private],
    }


@pytest.mark.django_db
def test_feed_lists_only_live_public_portraits_with_a_valid_consent(client, portraits):
    channel, items = read_feed(client)
    assert channel.findtext("title") == "Les nouveaux portraits · Impact Jeunes"
    assert channel.findtext("link") == "http://localhost/portraits/"
    assert channel.findtext("description")
    assert channel.findtext("language") == "fr"
    links = [item.findtext("link") for item in items]
    assert sorted(links) == sorted(p.full_url for p in portraits["shown"])
    for hidden in portraits["hidden"]:
        assert f"/{hidden.slug}/" not in ET.tostring(channel, encoding="unicode")


@pytest.mark.django_db
def test_feed_items_carry_title_summary_date_and_permanent_guid(client, portraits):
    ines = portraits["shown"][0]
    _, items = read_feed(client)
    item = next(item for item in items if item.findtext("link") == ines.full_url)
    assert item.findtext("title") == "Inès, 22 ans — Apprentie boulangère"
    assert (
        item.findtext("description")
        == "Apprentie boulangère chez Boulangerie du coin (fictive) : « J'ai osé pousser la porte. »"
    )
    guid = item.find("guid")
    assert guid.text == "http://localhost/quartiers/tarascon/ines/"
    assert guid.get("isPermaLink", "true") == "true"
    assert parsedate_to_datetime(item.findtext("pubDate")) == ines.first_published_at.replace(microsecond=0)


@pytest.mark.django_db
def test_feed_shows_a_family_name_only_when_the_privacy_level_does(client, neighbourhood, portrait_index):
    publish_portrait(neighbourhood, slug="karim", first_name="Karim", last_name="Haddad", privacy_level="full")
    # A stale last name left with « Prénom seulement » (validation refuses it in the admin) stays hidden.
    sofiane = publish_portrait(neighbourhood, slug="sofiane", first_name="Sofiane", privacy_level="first")
    PortraitPage.objects.filter(pk=sofiane.pk).update(last_name="Benali")
    publish_portrait(
        neighbourhood,
        slug="lea",
        first_name="Léa",
        privacy_level="changed",
        easy_read_summary="Léa a trouvé un apprentissage.\nElle aime son travail.",
    )
    _, items = read_feed(client)
    titles = {item.findtext("title") for item in items}
    assert "Karim Haddad, 22 ans — Apprentie boulangère" in titles
    assert "Sofiane, 22 ans — Apprentie boulangère" in titles
    assert "Benali" not in client.get(FEED_URL).content.decode()
    lea = next(item for item in items if item.findtext("title").startswith("Léa"))
    assert lea.findtext("description") == "Léa a trouvé un apprentissage.\nElle aime son travail."


@pytest.mark.django_db
def test_feed_keeps_the_twenty_latest_with_the_same_queries(client, neighbourhood, portrait_index):
    for number in range(3):
        publish_portrait(neighbourhood, slug=f"portrait-{number}")
    client.get(FEED_URL)  # the first request fills Wagtail's cache of site root paths
    with CaptureQueriesContext(connection) as few:
        client.get(FEED_URL)
    for number in range(3, 25):
        publish_portrait(neighbourhood, slug=f"portrait-{number}")
    with CaptureQueriesContext(connection) as many:
        _, items = read_feed(client)
    assert len(items) == 20
    assert len(many) == len(few)
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.django_db
def test_a_withdrawal_saved_in_the_ledger_removes_the_portrait_from_the_feed(client, neighbourhood, portrait_index):
    portrait = publish_portrait(neighbourhood, slug="nadia", first_name="Nadia")
    assert [item.findtext("link") for item in read_feed(client)[1]] == [portrait.full_url]
    consent = portrait.consent
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    assert read_feed(client)[1] == []


@pytest.mark.django_db
def test_feed_is_announced_on_the_portraits_page(client, portrait_index):
    html = client.get("/portraits/").content.decode()
    assert f'type="application/rss+xml" title="Les nouveaux portraits · Impact Jeunes" href="{FEED_URL}"' in html


@pytest.mark.django_db
def test_sitemap_lists_what_the_site_shows_and_nothing_else(client, portraits, neighbourhood, company_index):
    company = CompanyPageFactory(parent=company_index, title="Boulangerie Soleil", slug="boulangerie-soleil")
    event = EventPageFactory(parent=EventIndexPage.objects.get(), title="Forum emploi", slug="forum-emploi")
    locations = sitemap_locations(client)
    for expected in [
        "http://localhost/",
        "http://localhost/portraits/",
        "http://localhost/quartiers/",
        neighbourhood.full_url,
        company.full_url,
        event.full_url,
        "http://localhost/evenements/archives/",
        *[p.full_url for p in portraits["shown"]],
    ]:
        assert expected in locations
    for hidden in portraits["hidden"]:
        assert not any(f"/{hidden.slug}/" in location for location in locations), hidden.slug

import pytest
from wagtail.models import Site

from home.models import NeighbourhoodIndexPage
from home.site_structure import ensure_site_structure
from tests.accounts import SecondFactorClient


@pytest.fixture
def client():
    """Django's test client whose ``force_login``/``login`` also complete the second factor of
    coordinators and administrators (tests/accounts.py); ``force_login(user, second_factor=False)``
    stops after the password."""
    return SecondFactorClient()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The admin's French overrides are compiled at build time (``make``); a bare ``pytest`` does it here."""
    from home.translations import compile_catalogues

    compile_catalogues()


@pytest.fixture
def site_tree(db):
    """The real site structure: home page as the default site's root, /quartiers/ and the four
    standard pages, built by the same code that production's ``setup_site`` runs."""
    home, index = ensure_site_structure()
    return {"home": home, "index": index, "site": Site.objects.get(is_default_site=True)}


@pytest.fixture
def home_page(site_tree):
    return site_tree["home"]


@pytest.fixture
def neighbourhood_index(site_tree) -> NeighbourhoodIndexPage:
    return site_tree["index"]


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("coordinatrice", "coord@example.org", "mot-de-passe-de-test")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def portrait_index(site_tree):
    from stories.models import PortraitIndexPage

    return PortraitIndexPage.objects.get()


@pytest.fixture
def company_index(site_tree):
    from stories.models import CompanyIndexPage

    return CompanyIndexPage.objects.get()


@pytest.fixture
def neighbourhood(neighbourhood_index):
    from tests.factories import NeighbourhoodPageFactory

    return NeighbourhoodPageFactory(parent=neighbourhood_index, title="Tarascon", slug="tarascon", commune="Tarascon")

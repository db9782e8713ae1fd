"""Factories for every model and page type; the demo loader and the tests build on the same shapes."""

import datetime
import io

import factory
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from events.models import EventIndexPage, EventPage, Registration
from home.models import CustomImage, HomePage, NeighbourhoodIndexPage, NeighbourhoodPage, StandardPage, User
from stories.models import (
    CompanyIndexPage,
    CompanyOffer,
    CompanyPage,
    Dispositif,
    DispositifIndexPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    Sector,
    StartingPoint,
)


def image_bytes(width=64, height=48, colour=(200, 80, 40), fmt="JPEG", **save_options):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("mot-de-passe-de-test")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomImage

    title = factory.Sequence(lambda n: f"Image {n}")
    description = "Une illustration de test"
    credit = "Crédit de test"
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(image_bytes()), name="test.jpg"))


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under ``parent`` (required) and makes it live, like a published page."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            raise ValueError(f"{cls.__name__} needs a parent page")
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Accueil"
    hero_title = "Des jeunes de nos quartiers ont réussi"


class NeighbourhoodIndexPageFactory(PageFactory):
    class Meta:
        model = NeighbourhoodIndexPage

    title = "Quartiers"
    slug = "quartiers"
    show_in_menus = True


class NeighbourhoodPageFactory(PageFactory):
    class Meta:
        model = NeighbourhoodPage

    title = factory.Sequence(lambda n: f"Quartier {n}")
    commune = "Marseille 3e"
    department = "13"
    intro = factory.Faker("paragraph", locale="fr_FR")
    hero_image = factory.SubFactory(ImageFactory)


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page simple {n}")
    intro = "Un chapeau court."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Un paragraphe.</p>")])


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Secteur {n}")


class StartingPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartingPoint
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Point de départ {n}")
    description = "Une phrase sans jugement."


class DispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispositif
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dispositif {n}")
    audience = "Les jeunes de 16 à 25 ans."
    age_min = 16
    age_max = 25
    offer = "Un accompagnement personnalisé."
    official_url = "https://www.example.gouv.fr/"


class PortraitIndexPageFactory(PageFactory):
    class Meta:
        model = PortraitIndexPage

    title = "Portraits"
    slug = "portraits"


class CompanyIndexPageFactory(PageFactory):
    class Meta:
        model = CompanyIndexPage

    title = "Entreprises"
    slug = "entreprises"


class DispositifIndexPageFactory(PageFactory):
    class Meta:
        model = DispositifIndexPage

    title = "Dispositifs"
    slug = "dispositifs"


class CompanyPageFactory(PageFactory):
    class Meta:
        model = CompanyPage

    title = factory.Sequence(lambda n: f"Entreprise {n}")
    sector = factory.SubFactory(SectorFactory)
    commune = "Marseille 3e"
    summary = "Une entreprise qui accueille des jeunes."
    presentation = factory.LazyFunction(lambda: [("paragraph", "<p>Qui nous sommes.</p>")])


class CompanyOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyOffer

    kind = "alternance"
    details = "Deux places par an."


class PortraitPageFactory(PageFactory):
    """A portrait page. Use ``publish_portrait`` (below) to give it a consent and make it live the
    way the site does; this factory alone creates it live without checking consent."""

    class Meta:
        model = PortraitPage

    @classmethod
    def _create(cls, model_class, *args, live=True, **kwargs):
        # The consent guard refuses to save a live portrait without a valid consent. Fixtures for the
        # states time brings (a consent that lapsed while the portrait was live, a ledger row deleted
        # behind the site's back) write the flag directly, as a data import would.
        page = super()._create(model_class, *args, live=False, **kwargs)
        if live:
            PortraitPage.objects.filter(pk=page.pk).update(live=True)
            page.live = True
        return page

    title = factory.Sequence(lambda n: f"Portrait {n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    privacy_level = "first"
    age = 22
    photo = factory.SubFactory(ImageFactory)
    photo_alt = "Une personne sourit devant son lieu de travail"
    quote = "J'ai osé pousser la porte."
    job_title = "Apprentie boulangère"
    employer_name = "Boulangerie du coin (fictive)"
    sector = factory.SubFactory(SectorFactory)
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Mon histoire.</p>")])


class PortraitConsentFactory(factory.django.DjangoModelFactory):
    """A complete consent covering the site: the person's own and, for a minor, both parents'."""

    class Meta:
        model = PortraitConsent

    subject_name = factory.Faker("name", locale="fr_FR")
    subject_agreed = True
    subject_is_minor = factory.LazyAttribute(lambda o: o.portrait.age < 18)
    guardian_1_name = factory.LazyAttribute(lambda o: "Parent Un" if o.subject_is_minor else "")
    guardian_1_agreed = factory.LazyAttribute(lambda o: o.subject_is_minor)
    guardian_2_name = factory.LazyAttribute(lambda o: "Parent Deux" if o.subject_is_minor else "")
    guardian_2_agreed = factory.LazyAttribute(lambda o: o.subject_is_minor)
    covers_site = True
    covers_social = False
    covers_print = False
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


def publish_portrait(parent, consent=True, **kwargs):
    """Create a portrait as a draft, record its consent, then publish it through Wagtail (so the
    consent gate runs). ``consent`` may be a dict of PortraitConsentFactory overrides."""
    portrait = PortraitPageFactory(parent=parent, live=False, **kwargs)
    if consent:
        PortraitConsentFactory(portrait=portrait, **(consent if isinstance(consent, dict) else {}))
    portrait.save_revision().publish()
    portrait.refresh_from_db()
    return portrait


class EventIndexPageFactory(PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Événements"
    slug = "evenements"


class EventPageFactory(PageFactory):
    """A live forum starting in a week, three hours long, 20 seats."""

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Forum emploi {n}")
    kind = "forum"
    start_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7))
    end_at = factory.LazyAttribute(lambda o: o.start_at + datetime.timedelta(hours=3))
    summary = "Des entreprises qui recrutent, des conseils, des rencontres."
    venue = "Centre social (fictif)"
    address = "1 rue de l'Exemple"
    postal_code = "13150"
    commune = "Tarascon"
    capacity = 20


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    status = "confirmed"
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"jeune{n}@example.org")
    age_range = "18-25"
    neighbourhood = "Tarascon"
    companion = "seul"


PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    NeighbourhoodIndexPage: NeighbourhoodIndexPageFactory,
    NeighbourhoodPage: NeighbourhoodPageFactory,
    StandardPage: StandardPageFactory,
    PortraitIndexPage: PortraitIndexPageFactory,
    PortraitPage: PortraitPageFactory,
    CompanyIndexPage: CompanyIndexPageFactory,
    CompanyPage: CompanyPageFactory,
    DispositifIndexPage: DispositifIndexPageFactory,
    EventIndexPage: EventIndexPageFactory,
    EventPage: EventPageFactory,
}


class ImpactFigureFactory(factory.django.DjangoModelFactory):
    """One year of a hub's figures; pass ``neighbourhood`` (a NeighbourhoodPage)."""

    class Meta:
        model = "home.ImpactFigure"

    year = factory.Sequence(lambda n: 2020 + n % 80)
    young_people_accompanied = 100
    parents_reached = 40
    young_people_in_job_or_training = 30
    source = "Bilan annuel (test)"

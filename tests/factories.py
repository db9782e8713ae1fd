"""Factories for every model and page type; the demo loader and the tests build on the same shapes."""

import io

import factory
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage

from home.models import CustomImage, HomePage, NeighbourhoodIndexPage, NeighbourhoodPage, StandardPage, User


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


PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    NeighbourhoodIndexPage: NeighbourhoodIndexPageFactory,
    NeighbourhoodPage: NeighbourhoodPageFactory,
    StandardPage: StandardPageFactory,
}

from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction

from home.roles import COORDINATORS_GROUP
from home.site_structure import ensure_child
from stories.models import CONSENT_COLLECTION_NAME, CompanyIndexPage, DispositifIndexPage, PortraitIndexPage

__all__ = ["COORDINATORS_GROUP", "ensure_consent_collection", "ensure_stories_structure"]


def ensure_consent_collection():
    """The private collection for signed consent forms: documents in it are served only to
    coordinators (and administrators), through Wagtail's document view."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=CONSENT_COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=CONSENT_COLLECTION_NAME)
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    if not collection.view_restrictions.exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(coordinators)
    return collection


def ensure_stories_structure(home):
    ensure_child(
        home,
        PortraitIndexPage,
        "portraits",
        title="Portraits",
        show_in_menus=True,
        intro="Ils ont grandi dans nos quartiers et ont trouvé leur voie. Découvre leurs parcours.",
        search_description="Portraits de jeunes des quartiers qui ont trouvé un stage, une formation ou un emploi.",
    )
    ensure_child(
        home,
        CompanyIndexPage,
        "entreprises",
        title="Entreprises",
        show_in_menus=True,
        intro="Des entreprises du territoire ouvrent leurs portes aux jeunes : stage de 3e, alternance, emploi.",
        search_description="Entreprises qui proposent stages, alternances et emplois aux jeunes des quartiers.",
    )
    ensure_child(
        home,
        DispositifIndexPage,
        "dispositifs",
        title="Dispositifs",
        show_in_menus=True,
        intro="Les aides qui existent pour les jeunes, expliquées simplement, avec les jeunes qui s'en sont servis.",
        search_description="Mission Locale, apprentissage, E2C, service civique : les dispositifs pour les jeunes.",
    )
    ensure_consent_collection()

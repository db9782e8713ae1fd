"""Onboarding a neighbourhood in one step: its hub page, editors' group, image and document
collection (its documents private to the group and the coordinators) and permissions. Idempotent:
what exists is left as it is, so running it again changes nothing.

Used by the admin (creating a NeighbourhoodPage), ``manage.py onboard_neighbourhood``,
``setup_site`` (every existing hub) and the demo content."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Collection

from home.document_privacy import restrict_hub_collection
from home.french import guess_preposition
from home.models import EditorialSpace, NeighbourhoodPage, NeighbourhoodPartner
from home.roles import ensure_admin_access, free_group_name, grant_collection, grant_page, media_permissions

# "lock"/"unlock" let an editor hold a page while they work on it; "publish" is the coordinators'.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
EDITOR_IMAGE_ACTIONS = ("add", "change", "delete", "choose")
EDITOR_DOCUMENT_ACTIONS = ("add", "change", "choose")


@transaction.atomic
def onboard_neighbourhood(page):
    """Return ``(space, created)`` for this hub, creating its group, collection and grants if missing.

    Grants are re-applied on every run (get-or-create), so a space whose permissions were
    removed by mistake is repaired, and a complete one is left unchanged."""
    page = page.specific if not isinstance(page, NeighbourhoodPage) else page
    space = EditorialSpace.objects.filter(neighbourhood=page).select_related("group", "collection").first()
    created = space is None
    if created:
        group = Group.objects.create(name=free_group_name(f"Rédaction — {page.title}", page.slug))
        collection = Collection.get_first_root_node().add_child(name=f"Quartier — {page.title}")
        space = EditorialSpace.objects.create(neighbourhood=page, group=group, collection=collection)
    ensure_admin_access(space.group)
    grant_page(space.group, page, EDITOR_PAGE_PERMISSIONS)
    grant_collection(
        space.group,
        space.collection,
        media_permissions(image_actions=EDITOR_IMAGE_ACTIONS, document_actions=EDITOR_DOCUMENT_ACTIONS),
    )
    # The hub's documents are for its editors and the coordinators (home/document_privacy.py).
    restrict_hub_collection(space)
    return space, created


@transaction.atomic
def create_neighbourhood(index, *, title, slug, commune, department, intro, partners=(), publish=False, **fields):
    """Return ``(page, space, created)``: the hub with this slug under ``index`` and its space.

    An existing hub is not modified (an editor may have changed it since); only its space is
    completed if something is missing."""
    existing = NeighbourhoodPage.objects.child_of(index).filter(slug=slug).first()
    created = existing is None
    page = existing
    if created:
        fields.setdefault("preposition", guess_preposition(title))
        # Wagtail pages are created live unless told otherwise; a hub goes live only when asked.
        page = NeighbourhoodPage(
            title=title, slug=slug, commune=commune, department=department, intro=intro, live=False, **fields
        )
        for name, description in partners:
            page.partners.add(NeighbourhoodPartner(name=name, description=description))
        index.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
    space, _ = onboard_neighbourhood(page)
    return page, space, created


def onboard_all():
    """Complete the space of every hub (used by ``setup_site``); returns how many were created."""
    created = 0
    for page in NeighbourhoodPage.objects.all():
        created += onboard_neighbourhood(page)[1]
    return created


def space_collection(page):
    """The image collection of the hub ``page`` belongs to (``page`` may be the hub), or None."""
    hub = page if isinstance(page, NeighbourhoodPage) else NeighbourhoodPage.objects.ancestor_of(page).first()
    space = EditorialSpace.objects.filter(neighbourhood=hub).select_related("collection").first() if hub else None
    return space.collection if space else None

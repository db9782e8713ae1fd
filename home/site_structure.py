"""Create the site's fixed pages idempotently: used by ``setup_site`` and ``load_demo``."""

from django.apps import apps
from django.db import transaction
from wagtail.models import Page, Site

from home.links import site_address, sync_default_site
from home.models import HomePage, NeighbourhoodIndexPage, StandardPage
from home.standard_pages import STANDARD_PAGES


def ensure_child(parent, model, slug, **fields):
    """Return ``(page, created)``: the live child with this slug, or a new published one.

    An existing page is left untouched, so running a loader twice creates no revision and
    never overwrites what an editor changed since.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def ensure_home_page():
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page, and give the
    site its public address (``SITE_URL``): Wagtail's initial ``localhost:80`` would make every
    page link in e-mails, feeds and posters dead."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        sync_default_site(site)
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific, False

    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = False
    if home is None:
        home = HomePage(
            title="Accueil",
            slug="accueil",
            hero_title="Des jeunes de nos quartiers ont réussi. Et toi ?",
            hero_text=(
                "Découvre leurs parcours, les aides qui leur ont servi, les entreprises qui recrutent "
                "et les prochains forums près de chez toi."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        created = True

    if site is None:
        hostname, port = site_address()
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
    else:
        previous_root = site.root_page
        site.root_page = home
        site.site_name = "Impact Jeunes"
        site.save()
        # Wagtail's placeholder page is removed only while it is an empty, plain page.
        if type(previous_root.specific) is Page and previous_root.is_leaf() and previous_root.pk != home.pk:
            previous_root.delete()
    return home, created


def ensure_site_structure():
    """Home page, neighbourhood index and the plain-language standard pages."""
    home, _ = ensure_home_page()
    index, _ = ensure_child(
        home,
        NeighbourhoodIndexPage,
        "quartiers",
        title="Quartiers",
        show_in_menus=True,
        intro="Impact Jeunes agit dans des quartiers prioritaires. Choisis le tien pour voir ses parcours, "
        "ses associations et ses événements.",
    )
    for spec in STANDARD_PAGES:
        ensure_child(
            home,
            StandardPage,
            spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            body=spec["body"],
            search_description=spec["intro"][:160],
        )
    # Apps further up (stories, events) add their own sections; home never imports them.
    for app_config in apps.get_app_configs():
        if hasattr(app_config, "ensure_structure"):
            app_config.ensure_structure(home)
    # Last, once every app's sections exist: groups, the review workflow and each hub's space.
    from home.document_privacy import ensure_public_documents_collection
    from home.onboarding import onboard_all
    from home.roles import ensure_roles

    ensure_roles(home)
    ensure_public_documents_collection()
    onboard_all()
    return home, index

"""Fictional demo content. The three pilot neighbourhoods are real places; people and associations
are invented, and every image is drawn by code (see ``home.demo_images``)."""

import io

from django.apps import apps
from django.core.files.images import ImageFile
from wagtail.models import Site

from home.demo_images import draw_cityscape, to_jpeg_bytes
from home.demo_impact import ensure_demo_impact_figures
from home.demo_users import ensure_demo_users
from home.links import site_url
from home.models import CustomImage, SiteSettings
from home.onboarding import create_neighbourhood
from home.site_structure import ensure_site_structure

DEMO_TAG = "démo"
DEMO_CREDIT = "Illustration générée (démo)"

NEIGHBOURHOODS = [
    {
        "slug": "parc-bellevue-felix-pyat",
        "title": "Parc Bellevue – Félix Pyat",
        # « au parc Bellevue », as people there say it (see home/french.py).
        "preposition": "au",
        "commune": "Marseille 3e",
        "department": "13",
        "intro": "Au cœur du 3e arrondissement de Marseille, à deux pas de la Belle de Mai. Ici, des jeunes "
        "racontent comment ils ont trouvé un stage, une formation ou un premier emploi.",
        "partners": [
            ("Les Ateliers du Parc (fictive)", "Accompagnement scolaire et aide à la recherche de stage de 3e."),
            ("Bellevue Sport Avenir (fictive)", "Sport et insertion : le club qui ouvre des portes."),
        ],
    },
    {
        "slug": "les-lauriers-olivier-a",
        "title": "Les Lauriers – Olivier A",
        "preposition": "aux",
        "commune": "Marseille 13e",
        "department": "13",
        "intro": "Dans le 13e arrondissement de Marseille, au nord de la ville. Des parcours de jeunes du "
        "quartier, des entreprises qui recrutent et les prochains forums.",
        "partners": [
            ("Cap Lauriers (fictive)", "Permanences emploi et ateliers CV chaque semaine."),
            ("Parents Ensemble 13 (fictive)", "Rencontres entre parents sur l'orientation des enfants."),
        ],
    },
    {
        "slug": "tarascon",
        "title": "Tarascon",
        "preposition": "à",
        "commune": "Tarascon",
        "department": "13",
        "intro": "Au bord du Rhône, entre Avignon et Arles. Des jeunes de Tarascon montrent que l'on peut "
        "réussir sans partir loin, grâce à l'apprentissage et aux entreprises du territoire.",
        "partners": [
            ("Tarascon Jeunesse Active (fictive)", "Accueil des 16-25 ans et mise en relation avec les employeurs."),
        ],
    },
]


def demo_image(title, seed, description, draw=None, collection=None):
    """Return the demo image with this title, drawing and storing it the first time only.

    ``draw`` is a callable returning a Pillow image (a cityscape by default); it is called only when
    the image is missing, so a re-run draws nothing. ``collection`` is where it is filed (a hub's own
    collection, so that hub's editors can choose it); Wagtail's root collection by default."""
    image = CustomImage.objects.filter(title=title).first()
    if image is not None:
        return image, False
    drawing = draw() if draw is not None else draw_cityscape(seed)
    image = CustomImage(
        title=title,
        description=description,
        credit=DEMO_CREDIT,
        file=ImageFile(io.BytesIO(to_jpeg_bytes(drawing)), name="demo.jpg"),
    )
    if collection is not None:
        image.collection = collection
    image.save()
    image.tags.add(DEMO_TAG)
    return image, True


def load_demo_content(stdout=None):
    """Create everything the demo needs; returns how many objects were created (0 on a re-run)."""
    created = 0
    home, index = ensure_site_structure()

    hero, new = demo_image("[Démo] Accueil — immeubles au soleil levant", 7, "Dessin d'immeubles sous un grand soleil")
    created += new
    if home.hero_image_id is None:
        home.hero_image = hero
        home.save_revision().publish()
        created += 1

    # The pilots are onboarded exactly as a new neighbourhood would be: page, group, collection, rights.
    for position, spec in enumerate(NEIGHBOURHOODS):
        existing = index.get_children().filter(slug=spec["slug"]).first()
        if existing is not None:
            continue
        page, space, new = create_neighbourhood(
            index,
            title=spec["title"],
            slug=spec["slug"],
            commune=spec["commune"],
            department=spec["department"],
            intro=spec["intro"],
            partners=spec["partners"],
            preposition=spec["preposition"],
            search_description=spec["intro"][:160],
        )
        created += new
        image, new = demo_image(
            f"[Démo] {spec['title']}",
            position,
            f"Dessin d'immeubles évoquant le quartier {spec['title']}",
            collection=space.collection,
        )
        created += new
        # Published once, with its picture: the picture needed the hub's collection to exist first.
        page.hero_image = image
        page.save_revision().publish()
    created += ensure_demo_users(stdout)
    created += ensure_demo_impact_figures()

    # Apps further up (stories, events) add their demo content on top of the neighbourhoods; home
    # never imports them, it only calls the hook their AppConfig defines.
    for app_config in apps.get_app_configs():
        if hasattr(app_config, "load_demo"):
            created += app_config.load_demo(stdout)

    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    if not settings.demo_notice:
        settings.demo_notice = True
        settings.contact_email = settings.contact_email or "contact@impact-jeunes.example"
        settings.save()
        created += 1
    if stdout is not None:
        stdout.write(f"Contenu de démonstration : {created} élément(s) créé(s).")
        stdout.write(f"Adresse publique (liens des e-mails, flux et affiches) : {site_url()}/")
    return created

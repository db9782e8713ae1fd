"""Fictional demo events in the three pilot neighbourhoods and one territory-wide fair.

Communes and postal codes are real; venues, addresses and companies are invented and say so. Dates
are relative to the day the demo is loaded, in Paris wall-clock time, so the demo always has
upcoming events and one in the archive. Each event is looked up by slug before being created and
never updated: a re-run creates nothing and leaves an editor's changes alone. No registrations are
created: browser tests register on these events themselves."""

import datetime

from django.utils import timezone

from events.models import EventCompany, EventIndexPage, EventKind, EventPage
from home.models import NeighbourhoodPage
from stories.models import CompanyPage

MARSEILLE_TRANSPORT = (
    "Bus : arrêt le plus proche à 5 minutes à pied.\n"
    "Métro : station la plus proche à 10-15 minutes à pied. Itinéraire sur le site de la RTM."
)
TARASCON_TRANSPORT = (
    "Train : gare de Tarascon, desservie par les TER, puis une quinzaine de minutes à pied.\n"
    "Bus : arrêt le plus proche à 5 minutes à pied."
)
DEFAULT_TIPS = (
    "Apporte plusieurs CV imprimés (la Mission Locale peut t'aider à les imprimer).\n"
    "Prépare une phrase pour te présenter : ton prénom, ce que tu cherches, ce que tu aimes faire.\n"
    "Habille-toi simplement et proprement, comme pour un premier jour de travail.\n"
    "Note le nom des personnes rencontrées pour les recontacter."
)

EVENTS = [
    {
        "parent": "parc-bellevue-felix-pyat",
        "slug": "forum-emploi-bellevue",
        "title": "Forum emploi de Bellevue",
        "kind": EventKind.FORUM,
        "days": 10,
        "start": (14, 0),
        "end": (17, 30),
        "capacity": 60,
        "summary": "Une après-midi pour rencontrer des entreprises du 3e qui recrutent : apprentissage, stages, "
        "premiers emplois.",
        "venue": "Maison de quartier (fictive)",
        "address": "Rue Félix Pyat (adresse fictive)",
        "postal_code": "13003",
        "commune": "Marseille 3e",
        "transport": MARSEILLE_TRANSPORT,
        "access": {"wheelchair_access": True, "hearing_loop": False, "sign_language": False},
        "accessibility_notes": "Salle de plain-pied, toilettes accessibles.",
        "parents_welcome": True,
        "tips": DEFAULT_TIPS,
        "body": "<p>Des entreprises du quartier et de la Belle de Mai viennent présenter leurs métiers et "
        "leurs offres. Tu peux passer quand tu veux entre 14 h et 17 h 30, seul·e, avec un ami ou avec tes "
        "parents.</p><p>Des conseillers sont là pour relire ton CV sur place.</p>",
        "companies": [
            ("fournil-du-parc", "Un apprentissage en CAP boulanger pour la rentrée."),
            ("belle-de-mai-numerique", "Stages de 3e et une alternance de technicien·ne informatique."),
            ("transports-etoile-nord", "Jobs d'été en préparation de commandes, dès 18 ans."),
        ],
    },
    {
        "parent": "les-lauriers-olivier-a",
        "slug": "job-dating-lauriers",
        "title": "Job dating aux Lauriers",
        "kind": EventKind.JOB_DATING,
        "days": 17,
        "start": (9, 30),
        "end": (12, 30),
        "capacity": 25,
        "summary": "Dix minutes pour convaincre : des entretiens courts avec des employeurs du 13e qui "
        "recrutent maintenant.",
        "venue": "Centre social (fictif)",
        "address": "Allée des Lauriers (adresse fictive)",
        "postal_code": "13013",
        "commune": "Marseille 13e",
        "transport": MARSEILLE_TRANSPORT,
        "access": {"wheelchair_access": True, "hearing_loop": False, "sign_language": False},
        "accessibility_notes": "Entrée par la rampe à gauche du bâtiment.",
        "parents_welcome": False,
        "tips": "Apporte trois CV imprimés.\n"
        "Regarde avant la liste des entreprises et choisis celles que tu veux rencontrer.\n"
        "Prépare une question à poser à chaque employeur.\n"
        "Arrive 10 minutes en avance pour t'inscrire aux entretiens.",
        "body": "<p>Chaque entretien dure dix minutes, sans rendez-vous d'avance : tu t'inscris sur place "
        "auprès des entreprises qui t'intéressent. Pas besoin de diplôme, seulement de motivation.</p>",
        "companies": [
            ("transports-etoile-nord", "4 postes de préparateur ou préparatrice de commandes, en journée."),
            ("residence-les-oliviers", "2 apprentissages d'aide-soignant·e et des missions de service civique."),
        ],
    },
    {
        "parent": "tarascon",
        "slug": "forum-emploi-tarascon",
        "title": "Forum de l'emploi et de l'apprentissage de Tarascon",
        "kind": EventKind.FORUM,
        "days": 24,
        "start": (13, 30),
        "end": (17, 0),
        "capacity": 40,
        "deadline_day_before": (18, 0),
        "summary": "Le bâtiment, l'industrie et le soin recrutent à Tarascon : viens rencontrer les "
        "entreprises près de chez toi.",
        "venue": "Salle des fêtes (fictive)",
        "address": "Place du Marché (adresse fictive)",
        "postal_code": "13150",
        "commune": "Tarascon",
        "transport": TARASCON_TRANSPORT,
        "access": {"wheelchair_access": True, "hearing_loop": True, "sign_language": False},
        "accessibility_notes": "",
        "parents_welcome": True,
        "tips": DEFAULT_TIPS,
        "body": "<p>On croit souvent qu'il faut partir à Marseille ou à Avignon pour trouver du travail. "
        "Ce forum montre les métiers qui recrutent à Tarascon, en apprentissage ou en emploi.</p>"
        "<p>Inscription conseillée : les places sont limitées.</p>",
        "companies": [
            ("rhone-batiment", "CAP maçon et CAP peintre en apprentissage, manœuvres sur chantier."),
            ("meca-provence", "Une alternance de technicien·ne de maintenance et des jobs d'été à l'atelier."),
            ("residence-les-oliviers", "Présentation du métier d'aide-soignant·e et de l'apprentissage."),
        ],
    },
    {
        "parent": None,  # territory-wide: directly under /evenements/
        "slug": "salon-alternance-bouches-du-rhone",
        "title": "Salon de l'alternance des Bouches-du-Rhône",
        "kind": EventKind.FORUM,
        "days": 38,
        "start": (9, 30),
        "end": (16, 30),
        "capacity": None,
        "summary": "Des entreprises de tout le département et des écoles en alternance (CFA), réunies une "
        "journée pour trouver ton contrat.",
        "venue": "Grande halle d'exposition (fictive)",
        "address": "Boulevard de l'Exposition (adresse fictive)",
        "postal_code": "13003",
        "commune": "Marseille 3e",
        "transport": MARSEILLE_TRANSPORT,
        "access": {"wheelchair_access": True, "hearing_loop": True, "sign_language": True},
        "accessibility_notes": "Interprète en langue des signes présent de 10 h à 12 h.",
        "parents_welcome": True,
        "tips": DEFAULT_TIPS + "\nRenseigne-toi sur le diplôme que tu veux préparer : CAP, bac pro, BTS…",
        "body": "<p>L'alternance, c'est un vrai diplôme, un salaire chaque mois et une formation gratuite. "
        "Le plus dur est de trouver l'employeur : ce salon réunit des entreprises et des CFA au même "
        "endroit.</p><p>Entrée libre toute la journée, sans limite de places.</p>",
        "companies": [
            ("fournil-du-parc", "CAP boulanger en apprentissage."),
            ("belle-de-mai-numerique", "Technicien·ne d'assistance informatique en alternance."),
            ("rhone-batiment", "CAP maçon et CAP peintre en apprentissage."),
            ("meca-provence", "Technicien·ne de maintenance en alternance."),
        ],
    },
    {
        "parent": "tarascon",
        "slug": "atelier-cv-tarascon",
        "title": "Atelier CV et entretien à Tarascon",
        "kind": EventKind.CV_WORKSHOP,
        "days": -20,
        "start": (14, 0),
        "end": (16, 30),
        "capacity": 15,
        "summary": "Refaire son CV avec des recruteurs et s'entraîner à l'entretien d'embauche.",
        "venue": "Espace jeunesse (fictif)",
        "address": "Rue de la République (adresse fictive)",
        "postal_code": "13150",
        "commune": "Tarascon",
        "transport": TARASCON_TRANSPORT,
        "access": {"wheelchair_access": False, "hearing_loop": False, "sign_language": False},
        "accessibility_notes": "Salle à l'étage sans ascenseur : écris-nous, nous trouverons une solution.",
        "parents_welcome": False,
        "tips": "Apporte ton CV, même s'il n'est pas fini, sur papier ou sur ton téléphone.\n"
        "Pense à une expérience dont tu es fier ou fière : sport, association, baby-sitting.",
        "body": "<p>En petits groupes, des recruteurs relisent ton CV avec toi, puis tu t'entraînes à "
        "l'entretien dans les conditions réelles.</p>",
        "companies": [
            ("rhone-batiment", "Des recruteurs pour relire les CV."),
            ("meca-provence", "Des entretiens d'entraînement pour les métiers de l'industrie."),
        ],
    },
]


def paris_time(day, hour_minute):
    # make_aware uses the site's timezone (Europe/Paris): the wall-clock time the events are announced in.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def _parents():
    parents = {page.slug: page for page in NeighbourhoodPage.objects.all()}
    parents[None] = EventIndexPage.objects.first()
    return parents


def _ensure_event(parent, spec, companies):
    # Looked up across the tree: an event an editor moved elsewhere is still "there".
    if EventPage.objects.filter(slug=spec["slug"]).exists():
        return 0
    day = timezone.localdate() + datetime.timedelta(days=spec["days"])
    deadline = None
    if "deadline_day_before" in spec:
        deadline = paris_time(day - datetime.timedelta(days=1), spec["deadline_day_before"])
    page = EventPage(
        title=spec["title"],
        slug=spec["slug"],
        kind=spec["kind"],
        start_at=paris_time(day, spec["start"]),
        end_at=paris_time(day, spec["end"]),
        summary=spec["summary"],
        venue=spec["venue"],
        address=spec["address"],
        postal_code=spec["postal_code"],
        commune=spec["commune"],
        transport=spec["transport"],
        accessibility_notes=spec["accessibility_notes"],
        parents_welcome=spec["parents_welcome"],
        preparation_tips=spec["tips"],
        body=[("paragraph", spec["body"])],
        registration_enabled=True,
        capacity=spec["capacity"],
        registration_deadline=deadline,
        search_description=spec["summary"][:160],
        **spec["access"],
    )
    for slug, hiring_for in spec["companies"]:
        company = companies.get(slug)
        if company is not None:  # an editor may have deleted a demo company: leave it deleted
            page.participants.add(EventCompany(company=company, hiring_for=hiring_for))
    parent.add_child(instance=page)
    page.save_revision().publish()
    return 1


def load_events_demo(stdout=None):
    """The demo events; returns how many were created (0 on a re-run)."""
    created = 0
    parents = _parents()
    slugs = {slug for spec in EVENTS for slug, _ in spec["companies"]}
    companies = {page.slug: page for page in CompanyPage.objects.filter(slug__in=slugs)}
    for spec in EVENTS:
        parent = parents.get(spec["parent"])
        if parent is not None:  # an editor may have removed a neighbourhood: leave it removed
            created += _ensure_event(parent, spec, companies)
    if stdout is not None:
        stdout.write(f"Événements de démonstration : {created} nouveau(x).")
    return created

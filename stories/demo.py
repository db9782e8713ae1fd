"""Fictional demo content for portraits, companies and schemes.

The schemes (dispositifs) are real and described in our own words; every person and company is
invented and says so ("(fictive)", "[Démo]", a consent note), and every image is drawn by code.
Each object is looked up before being created and never updated, so a re-run creates nothing,
saves no revision and leaves an editor's changes alone."""

import datetime

from django.utils import timezone

from home.demo import demo_image
from home.demo_images import draw_logo, draw_portrait_placeholder
from home.demo_users import create_demo_account
from home.models import NeighbourhoodPage
from home.onboarding import space_collection
from stories.accounts import ensure_company_account
from stories.models import (
    CompanyIndexPage,
    CompanyOffer,
    CompanyPage,
    Dispositif,
    PortraitConsent,
    PortraitPage,
    PrivacyLevel,
    Sector,
    StartingPoint,
)

CONSENT_NOTE = "Consentement fictif, créé pour la démonstration du site : cette personne n'existe pas."

DISPOSITIFS = [
    {
        "slug": "mission-locale",
        "name": "Mission Locale",
        "short_name": "",
        "age_min": 16,
        "age_max": 25,
        "audience": "Tu as entre 16 et 25 ans et tu n'es plus à l'école ? La Mission Locale est faite pour toi, "
        "avec ou sans diplôme, que tu saches déjà ce que tu veux faire ou pas du tout.",
        "offer": "Un ou une conseillère qui te suit dans la durée, gratuitement. On t'aide à trouver une "
        "formation, un stage ou un travail, mais aussi pour le reste : logement, santé, permis de conduire, "
        "démarches. C'est souvent la première porte à pousser : il y en a une près de chez toi.",
        "official_url": "https://www.unml.info/",
    },
    {
        "slug": "contrat-engagement-jeune",
        "name": "Contrat d'engagement jeune",
        "short_name": "CEJ",
        "age_min": 16,
        "age_max": 25,
        "audience": "Pour les jeunes de 16 à 25 ans (jusqu'à 29 ans si tu as une reconnaissance de handicap) "
        "qui n'ont ni emploi ni formation et veulent s'y mettre sérieusement.",
        "offer": "Un programme de plusieurs mois, avec 15 à 20 heures d'activités par semaine : ateliers, "
        "stages, formations, aide pour les candidatures. Tu as un conseiller ou une conseillère rien que pour "
        "toi et, selon ton âge et tes ressources, une allocation chaque mois (jusqu'à environ 500 €). "
        "Ça se signe avec la Mission Locale ou France Travail.",
        "official_url": "https://www.1jeune1solution.gouv.fr/contrat-engagement-jeune",
    },
    {
        "slug": "apprentissage",
        "name": "Apprentissage",
        "short_name": "",
        "age_min": 16,
        "age_max": 29,
        "audience": "De 16 à 29 ans, et dès 15 ans si tu as fini ta 3e. Il n'y a pas de limite d'âge dans "
        "certains cas, par exemple si tu as une reconnaissance de handicap.",
        "offer": "Tu prépares un vrai diplôme (du CAP jusqu'au master) en alternant l'école, appelée CFA, et "
        "une entreprise. C'est un contrat de travail : tu es payé·e chaque mois, selon ton âge et ton année "
        "de formation, et la formation ne te coûte rien. Le plus dur, c'est de trouver l'employeur : la "
        "Mission Locale et les CFA peuvent t'aider.",
        "official_url": "https://www.alternance.emploi.gouv.fr/",
    },
    {
        "slug": "ecole-de-la-2e-chance",
        "name": "École de la 2e chance",
        "short_name": "E2C",
        "age_min": 16,
        "age_max": 25,
        "audience": "Pour les jeunes de 16 à 25 ans sortis de l'école sans diplôme ni qualification, qui "
        "veulent rebondir.",
        "offer": "Ce n'est pas l'école comme avant : on avance à ton rythme. Tu reprends les bases (français, "
        "maths, numérique), tu fais des stages en entreprise pour découvrir des métiers et tu construis ton "
        "projet. Tu touches une petite rémunération pendant la formation. À la fin, l'objectif est une "
        "formation qualifiante ou un emploi.",
        "official_url": "https://reseau-e2c.fr/",
    },
    {
        "slug": "epide",
        "name": "EPIDE",
        "short_name": "",
        "age_min": 17,
        "age_max": 25,
        "audience": "Pour les jeunes de 17 à 25 ans avec peu ou pas de diplôme, volontaires pour changer de "
        "cadre pendant quelques mois.",
        "offer": "Tu vis en internat dans un centre, en uniforme, avec des règles de vie collective strictes. "
        "Au programme : remise à niveau, sport, citoyenneté, préparation du permis de conduire et "
        "construction d'un projet professionnel avec des stages. Tu es logé·e, nourri·e et tu reçois une "
        "allocation chaque mois.",
        "official_url": "https://www.epide.fr/",
    },
    {
        "slug": "service-civique",
        "name": "Service civique",
        "short_name": "",
        "age_min": 16,
        "age_max": 25,
        "audience": "De 16 à 25 ans, jusqu'à 30 ans si tu as une reconnaissance de handicap. Aucun diplôme "
        "n'est demandé : ce qui compte, c'est ta motivation.",
        "offer": "Une mission utile aux autres, de 6 à 12 mois, dans une association, une mairie, une école… "
        "Tu es indemnisé·e chaque mois (autour de 600 €), tu es formé·e et accompagné·e par un tuteur ou une "
        "tutrice. C'est une vraie expérience à mettre sur ton CV.",
        "official_url": "https://www.service-civique.gouv.fr/",
    },
    {
        "slug": "france-travail",
        "name": "France Travail",
        "short_name": "",
        "age_min": None,
        "age_max": None,
        "audience": "Pour toutes les personnes qui cherchent un emploi, quel que soit leur âge. C'est "
        "l'ancien Pôle emploi.",
        "offer": "En t'inscrivant, tu as accès à des offres d'emploi, à des ateliers (CV, entretien), à des "
        "formations qui peuvent être payées pour toi et, si tu as assez travaillé avant, à des allocations "
        "chômage. Un conseiller ou une conseillère t'aide à avancer.",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "slug": "prepa-apprentissage",
        "name": "Prépa apprentissage",
        "short_name": "",
        "age_min": 16,
        "age_max": 29,
        "audience": "Pour les jeunes de 16 à 29 ans qui aimeraient entrer en apprentissage mais ne se sentent "
        "pas encore prêts, ou n'ont pas encore trouvé d'employeur.",
        "offer": "Quelques semaines ou quelques mois pour découvrir des métiers, reprendre confiance, "
        "revoir les bases et décrocher un contrat d'apprentissage. C'est gratuit. Demande à la Mission "
        "Locale ou à un CFA près de chez toi.",
        "official_url": "",
    },
    {
        "slug": "stage-de-3e",
        "name": "Stage d'observation de 3e",
        "short_name": "",
        "age_min": 14,
        "age_max": 16,
        "audience": "Pour tous les élèves de 3e : c'est obligatoire, et c'est souvent le premier contact avec "
        "le monde du travail.",
        "offer": "Une semaine dans une entreprise, une association ou un service public pour voir comment on "
        "y travaille. Tu ne fais pas le travail à la place des salariés : tu observes et tu poses des "
        "questions. Pas de réseau ? Les entreprises de ce site accueillent des élèves des quartiers.",
        "official_url": "",
    },
]

SECTORS = [
    ("commerce", "Commerce"),
    ("btp", "BTP"),
    ("sante-et-social", "Santé et social"),
    ("logistique-et-transport", "Logistique et transport"),
    ("hotellerie-restauration", "Hôtellerie-restauration"),
    ("numerique", "Numérique"),
    ("industrie", "Industrie"),
    ("services-a-la-personne", "Services à la personne"),
]

STARTING_POINTS = [
    ("sans-diplome", "Sans diplôme", "Tu as quitté l'école sans diplôme : beaucoup de chemins restent ouverts."),
    (
        "decrochage-scolaire",
        "Décrochage scolaire",
        "L'école s'est arrêtée plus tôt que prévu, pour une raison ou pour une autre.",
    ),
    (
        "jeune-parent",
        "Jeune parent",
        "Tu élèves un enfant et tu cherches un travail compatible avec ta vie de famille.",
    ),
    (
        "arrivee-recemment-en-france",
        "Arrivé·e récemment en France",
        "Tu vis en France depuis peu et tu construis ton avenir ici, parfois en apprenant le français.",
    ),
    ("reconversion", "Reconversion", "Tu as déjà travaillé et tu as envie ou besoin de changer de métier."),
    (
        "encore-au-college-ou-au-lycee",
        "Encore au collège ou au lycée",
        "Tu es encore élève et tu découvres les métiers à ton rythme.",
    ),
    (
        "longtemps-sans-emploi",
        "Longtemps sans emploi",
        "Tu as cherché longtemps sans trouver : ça arrive à beaucoup de monde, et ça peut changer.",
    ),
]

# (company slug, username, first name, last name): the demo's company account. An invented person.
DEMO_COMPANY_ACCOUNT = ("fournil-du-parc", "entreprise-fournil", "Lucie", "Ferrand (démo)")

COMPANIES = [
    {
        "slug": "fournil-du-parc",
        "title": "Le Fournil du Parc (fictive)",
        "initials": "FP",
        "sector": "commerce",
        "commune": "Marseille 3e",
        "summary": "Une boulangerie de quartier qui forme chaque année des apprentis du 3e arrondissement.",
        "presentation": [
            (
                "paragraph",
                "<p>Au pied des immeubles, le four s'allume à 4 heures du matin. L'équipe compte six "
                "personnes, dont deux apprentis en CAP boulanger.</p>",
            ),
            ("heading", {"text": "Ce que l'on attend de toi", "level": "h2"}),
            (
                "paragraph",
                "<p>Pas besoin d'expérience : de la ponctualité, l'envie d'apprendre et de bonnes "
                "chaussures. On t'apprend le reste.</p>",
            ),
        ],
        "offers": [
            ("stage-3e", "Deux élèves de 3e par an, en décembre ou en février."),
            ("alternance", "Un contrat d'apprentissage en CAP boulanger chaque rentrée."),
        ],
    },
    {
        "slug": "belle-de-mai-numerique",
        "title": "Belle de Mai Numérique (fictive)",
        "initials": "BN",
        "sector": "numerique",
        "commune": "Marseille 3e",
        "summary": "Un atelier de réparation d'ordinateurs et de création de sites web pour les commerces du quartier.",
        "presentation": [
            (
                "paragraph",
                "<p>Nous réparons des ordinateurs et des téléphones, et nous créons des sites pour les "
                "petits commerces et les associations.</p>",
            ),
            (
                "paragraph",
                "<p>La moitié de l'équipe a appris le métier en alternance. Nous prenons volontiers des "
                "jeunes sans diplôme qui ont la curiosité de démonter et de comprendre.</p>",
            ),
        ],
        "offers": [
            ("stage-3e", "Une semaine pour démonter, réparer et tester des ordinateurs."),
            ("alternance", "Technicien·ne d'assistance informatique, en alternance sur deux ans."),
            ("visite", "Visite de l'atelier pour les groupes, sur rendez-vous."),
        ],
    },
    {
        "slug": "transports-etoile-nord",
        "title": "Transports Étoile Nord (fictive)",
        "initials": "EN",
        "sector": "logistique-et-transport",
        "commune": "Marseille 13e",
        "summary": "Un entrepôt et une flotte de camionnettes qui livrent les magasins du nord de Marseille.",
        "presentation": [
            (
                "paragraph",
                "<p>Quarante personnes travaillent chez nous, à l'entrepôt ou sur la route. Beaucoup "
                "ont commencé par un job d'été.</p>",
            ),
            ("heading", {"text": "Se former chez nous", "level": "h2"}),
            (
                "paragraph",
                "<p>Nous finançons le CACES (le permis pour conduire un chariot élévateur) à nos "
                "préparateurs de commandes après leur période d'essai.</p>",
            ),
        ],
        "offers": [
            ("job-ete", "Préparation de commandes en juillet et en août, dès 18 ans."),
            ("alternance", "Bac pro logistique et titre professionnel de cariste."),
            ("cdi", "Préparateur ou préparatrice de commandes, horaires de journée."),
        ],
    },
    {
        "slug": "residence-les-oliviers",
        "title": "Résidence Les Oliviers (fictive)",
        "initials": "RO",
        "sector": "sante-et-social",
        "commune": "Marseille 13e",
        "summary": "Une maison de retraite où l'on peut apprendre le métier d'aide-soignant·e en alternance.",
        "presentation": [
            (
                "paragraph",
                "<p>Quatre-vingts résidents, une équipe de soins et d'animation, et beaucoup de "
                "temps passé à écouter.</p>",
            ),
            (
                "paragraph",
                "<p>Chaque année, nous accueillons des apprentis aides-soignants et des jeunes en "
                "service civique pour l'animation.</p>",
            ),
        ],
        "offers": [
            ("alternance", "Diplôme d'État d'aide-soignant·e en apprentissage."),
            ("stage", "Stages de bac pro accompagnement, soins et services à la personne."),
        ],
    },
    {
        "slug": "rhone-batiment",
        "title": "Rhône Bâtiment (fictive)",
        "initials": "RB",
        "sector": "btp",
        "commune": "Tarascon",
        "summary": "Une entreprise de maçonnerie et de rénovation qui recrute et forme des jeunes de Tarascon.",
        "presentation": [
            (
                "paragraph",
                "<p>Nous rénovons des maisons et des petits immeubles entre Tarascon, Arles et "
                "Avignon. Sur nos chantiers, les anciens transmettent le métier aux plus jeunes.</p>",
            ),
        ],
        "offers": [
            ("alternance", "CAP maçon et CAP peintre en apprentissage."),
            ("cdd", "Manœuvre sur chantier, pour commencer."),
            ("visite", "Une matinée sur un chantier pour voir les métiers du bâtiment."),
        ],
    },
    {
        "slug": "meca-provence",
        "title": "Méca-Provence (fictive)",
        "initials": "MP",
        "sector": "industrie",
        "commune": "Tarascon",
        "summary": "Un atelier de mécanique qui fabrique et répare des pièces pour les usines de la région.",
        "presentation": [
            (
                "paragraph",
                "<p>Tournage, fraisage, soudure, maintenance : l'industrie recrute, et pas seulement "
                "des ingénieurs.</p>",
            ),
            (
                "paragraph",
                "<p>Nos techniciens de maintenance viennent souvent d'autres métiers. Nous les formons "
                "en alternance.</p>",
            ),
        ],
        "offers": [
            ("stage-3e", "Découverte de l'atelier, avec équipement de sécurité fourni."),
            ("job-ete", "Manutention et rangement de l'atelier, en juillet."),
            ("cdi", "Technicien·ne de maintenance, après une alternance chez nous."),
        ],
    },
]

# ``first_name`` is what the page shows: a pseudonym when privacy is "changed", in which case the
# consent's ``subject_name`` is a different (still fictional) name. ``steps`` are
# (months before today, title, text, dispositif slug or None), so ages and dates stay consistent
# whatever the day the demo is loaded.
PORTRAITS = [
    {
        "neighbourhood": "parc-bellevue-felix-pyat",
        "slug": "yanis-stage-de-3e-informatique",
        "first_name": "Yanis",
        "privacy": PrivacyLevel.FIRST_NAME,
        "age": 15,
        "job_title": "Élève de 3e, stagiaire en réparation informatique",
        "employer": "belle-de-mai-numerique",
        "sector": "numerique",
        "starting_points": ["encore-au-college-ou-au-lycee"],
        "tags": ["stage de 3e"],
        "quote": "Je croyais que l'informatique, c'était juste les jeux. J'ai réparé mon premier ordinateur.",
        "photo": "silhouette sur fond de cercles dorés, sans visage",
        "consent": {
            "subject_name": "Yanis Amrouche",
            "guardians": ("Farid Amrouche", "Leïla Amrouche"),
            "social": False,
            "days_ago": 40,
        },
        "easy_read": "Yanis a 15 ans.\nIl est en 3e.\nIl a fait son stage dans un atelier d'informatique.\n"
        "Il a aimé réparer des ordinateurs.",
        "paragraphs": [
            "Pour mon stage de 3e, je ne connaissais personne. C'est le professeur principal qui m'a parlé de "
            "l'atelier, à dix minutes à pied de chez moi.",
            "Le premier jour, j'ai surtout regardé. Le troisième, on m'a laissé changer un disque dur tout seul. "
            "Maintenant je veux faire un bac pro dans le numérique.",
        ],
        "body_quote": "Le patron m'a dit : si tu veux revenir en alternance, la porte est ouverte.",
        "steps": [
            (3, "Recherche d'un stage", "Sans réseau, c'est le collège qui m'a mis en contact.", None),
            (1, "Une semaine à l'atelier", "Démontage, diagnostic, réparation.", "stage-de-3e"),
        ],
    },
    {
        "neighbourhood": "parc-bellevue-felix-pyat",
        "slug": "ines-haddad-apprentie-boulangere",
        "first_name": "Inès",
        "last_name": "Haddad",
        "privacy": PrivacyLevel.FULL_NAME,
        "age": 19,
        "job_title": "Apprentie boulangère",
        "employer": "fournil-du-parc",
        "sector": "commerce",
        "starting_points": ["sans-diplome", "decrochage-scolaire"],
        "tags": ["apprentissage", "alternance"],
        "quote": "J'ai arrêté le lycée à 16 ans. Aujourd'hui, c'est moi qui ouvre la boulangerie le samedi.",
        "photo": "silhouette devant des formes rondes orange, comme des pains, sans visage",
        "consent": {"subject_name": "Inès Haddad", "social": True, "days_ago": 120},
        "easy_read": "Inès a 19 ans.\nElle a quitté le lycée sans diplôme.\nLa Mission Locale l'a aidée.\n"
        "Aujourd'hui, elle apprend le métier de boulangère.",
        "paragraphs": [
            "Après le lycée, je suis restée presque un an sans rien faire. Ma cousine m'a emmenée à la Mission "
            "Locale : ma conseillère m'a proposé une prépa apprentissage.",
            "J'y ai découvert la boulangerie. Trois mois plus tard, je signais mon contrat au Fournil du Parc, "
            "en bas de chez moi.",
        ],
        "body_quote": "Se lever tôt, je pensais ne pas y arriver. Mais quand tu es fière de ton travail, tu te lèves.",
        # A made-up video address: the demo shows how click-to-load works, it links to no real film.
        "video": {
            "url": "https://youtu.be/Demo0Fictiv",
            "title": "Une matinée au fournil (vidéo de démonstration, lien fictif)",
            "duration": "2 min",
            "transcript": "Il est cinq heures, le fournil est encore calme. Je sors les pâtes de la chambre de pousse, "
            "je façonne les baguettes, puis j'enfourne la première fournée.\nÀ sept heures, les premiers clients "
            "arrivent : souvent des voisins de la cité. Ils me disent bonjour par mon prénom.",
        },
        "steps": [
            (40, "Sortie du lycée", "J'arrête en première, sans diplôme.", None),
            (
                30,
                "Première visite à la Mission Locale",
                "Une conseillère m'écoute et me propose des pistes.",
                "mission-locale",
            ),
            (26, "Prépa apprentissage", "Je découvre plusieurs métiers de bouche.", "prepa-apprentissage"),
            (22, "CAP boulanger en apprentissage", "Deux semaines au fournil, une semaine au CFA.", "apprentissage"),
        ],
    },
    {
        "neighbourhood": "parc-bellevue-felix-pyat",
        "slug": "samir-employe-libre-service",
        "first_name": "Samir",
        "privacy": PrivacyLevel.CHANGED,
        "age": 24,
        "job_title": "Employé de libre-service",
        "employer_name": "Supermarché du boulevard (fictif)",
        "sector": "commerce",
        "starting_points": ["jeune-parent", "longtemps-sans-emploi"],
        "tags": ["premier emploi"],
        "quote": "Avec ma fille, il me fallait des horaires fixes. On a cherché ensemble, et on a trouvé.",
        "photo": None,
        "consent": {"subject_name": "Karim Meziane", "social": False, "days_ago": 200},
        "easy_read": "",
        "paragraphs": [
            "Je suis devenu papa à 20 ans. J'ai enchaîné les petits boulots sans contrat, souvent la nuit.",
            "Avec le contrat d'engagement jeune, j'avais rendez-vous chaque semaine avec mon conseiller. Il m'a "
            "aidé à refaire mon CV et à préparer mes entretiens. Le supermarché m'a pris à l'essai, puis en CDI.",
        ],
        "body_quote": "Aujourd'hui, je sais à quelle heure je rentre. Je récupère ma fille à l'école.",
        "steps": [
            (
                30,
                "Inscription à France Travail",
                "Je m'inscris enfin, après deux ans de petits boulots.",
                "france-travail",
            ),
            (
                24,
                "Contrat d'engagement jeune",
                "Des ateliers chaque semaine et un conseiller qui me suit.",
                "contrat-engagement-jeune",
            ),
            (14, "Embauche au supermarché", "D'abord un CDD, puis un CDI.", None),
        ],
    },
    {
        "neighbourhood": "parc-bellevue-felix-pyat",
        "slug": "aminata-diallo-aide-soignante",
        "first_name": "Aminata",
        "last_name": "Diallo",
        "privacy": PrivacyLevel.FULL_NAME,
        "age": 25,
        "job_title": "Apprentie aide-soignante",
        "employer": "residence-les-oliviers",
        "sector": "sante-et-social",
        "starting_points": ["arrivee-recemment-en-france"],
        "tags": ["alternance", "apprentissage"],
        "quote": "En arrivant, je parlais peu le français. Aujourd'hui, les résidents me demandent par mon prénom.",
        "photo": "silhouette sur fond violet et rose, sans visage",
        "consent": {"subject_name": "Aminata Diallo", "social": True, "days_ago": 90},
        "easy_read": "Aminata a 25 ans.\nElle est arrivée en France il y a quelques années.\n"
        "Elle a appris le français.\nElle apprend maintenant le métier d'aide-soignante.",
        "paragraphs": [
            "Je suis arrivée à Marseille il y a quatre ans. J'ai d'abord suivi des cours de français dans une "
            "association du quartier.",
            "La Mission Locale m'a proposé un service civique dans une maison de retraite, pour l'animation. "
            "C'est là que j'ai su que je voulais soigner.",
        ],
        "body_quote": "Le service civique m'a donné confiance : j'ai vu que j'étais utile.",
        "steps": [
            (48, "Arrivée à Marseille", "Cours de français trois fois par semaine.", None),
            (36, "Accompagnement à la Mission Locale", "", "mission-locale"),
            (
                30,
                "Service civique en maison de retraite",
                "Huit mois d'animation auprès des résidents.",
                "service-civique",
            ),
            (14, "Formation d'aide-soignante en apprentissage", "", "apprentissage"),
        ],
    },
    {
        "neighbourhood": "les-lauriers-olivier-a",
        "slug": "lina-lyceenne-logistique",
        "first_name": "Lina",
        "privacy": PrivacyLevel.FIRST_NAME,
        "age": 17,
        "job_title": "Lycéenne en bac pro logistique",
        "employer": "transports-etoile-nord",
        "sector": "logistique-et-transport",
        "starting_points": ["encore-au-college-ou-au-lycee"],
        "tags": ["stage de 3e", "alternance"],
        "quote": "Tout le monde me disait que la logistique, c'était pour les garçons. J'adore organiser.",
        "photo": "silhouette sur fond vert avec des formes jaunes, sans visage",
        "consent": {
            "subject_name": "Lina Benkhelifa",
            "guardians": ("Nadia Benkhelifa", "Omar Benkhelifa"),
            "social": False,
            "days_ago": 60,
        },
        "easy_read": "",
        "paragraphs": [
            "J'ai fait mon stage de 3e dans un entrepôt, un peu par hasard. J'ai aimé voir comment un colis "
            "arrive au bon endroit, au bon moment.",
            "Maintenant je suis en bac pro et je fais mes stages chez Transports Étoile Nord. L'an prochain, "
            "j'aimerais continuer en alternance.",
        ],
        "body_quote": "Mon tuteur m'a appris à lire un plan de stockage. C'est comme un jeu de Tetris géant.",
        "steps": [
            (26, "Stage de 3e dans un entrepôt", "", "stage-de-3e"),
            (14, "Entrée en bac pro logistique", "", None),
            (4, "Stage chez Transports Étoile Nord", "Six semaines à la préparation des commandes.", None),
        ],
    },
    {
        "neighbourhood": "les-lauriers-olivier-a",
        "slug": "mehdi-bouzid-cariste",
        "first_name": "Mehdi",
        "last_name": "Bouzid",
        "privacy": PrivacyLevel.FULL_NAME,
        "age": 22,
        "job_title": "Cariste en CDI",
        "employer": "transports-etoile-nord",
        "sector": "logistique-et-transport",
        "starting_points": ["decrochage-scolaire", "sans-diplome"],
        "tags": ["premier emploi"],
        "quote": "À l'E2C, personne ne m'a demandé pourquoi j'avais arrêté. On m'a demandé ce que je voulais faire.",
        "photo": "silhouette sur fond bleu nuit et ciel, sans visage",
        "consent": {"subject_name": "Mehdi Bouzid", "social": True, "days_ago": 150},
        "easy_read": "Mehdi a 22 ans.\nIl a arrêté l'école tôt.\nIl est allé à l'École de la 2e chance.\n"
        "Aujourd'hui, il conduit un chariot dans un entrepôt.",
        "paragraphs": [
            "J'ai décroché en seconde. Pendant deux ans, je n'ai rien fait de mes journées, et je n'étais pas "
            "fier de moi.",
            "À l'École de la 2e chance, j'ai repris les maths à mon rythme et j'ai fait trois stages. Le dernier, "
            "dans un entrepôt, s'est transformé en job d'été, puis en CDI.",
        ],
        "body_quote": "Mon premier bulletin de salaire, je l'ai montré à ma mère avant de l'ouvrir moi-même.",
        "steps": [
            (60, "Décrochage en seconde", "", None),
            (36, "Entrée à l'E2C", "Remise à niveau et stages en entreprise.", "ecole-de-la-2e-chance"),
            (28, "Job d'été à l'entrepôt", "Préparation de commandes.", None),
            (20, "CACES et CDI", "L'entreprise finance ma formation de cariste.", None),
        ],
    },
    {
        "neighbourhood": "les-lauriers-olivier-a",
        "slug": "sarah-auxiliaire-de-vie",
        "first_name": "Sarah",
        "privacy": PrivacyLevel.CHANGED,
        "age": 26,
        "job_title": "Auxiliaire de vie",
        "employer_name": "Association d'aide à domicile Nord 13 (fictive)",
        "sector": "services-a-la-personne",
        "starting_points": ["jeune-parent", "reconversion"],
        "tags": ["alternance", "reconversion"],
        "quote": "J'ai toujours aidé les autres sans que ça compte. Maintenant, c'est mon métier.",
        "photo": None,
        "consent": {"subject_name": "Nora Khelifi", "social": False, "days_ago": 300},
        "easy_read": "Sarah a 26 ans.\nElle a deux enfants.\nElle a changé de métier.\n"
        "Elle aide des personnes âgées chez elles.",
        "paragraphs": [
            "J'ai travaillé dans la vente, mais les horaires du soir n'allaient plus avec mes deux enfants.",
            "France Travail m'a parlé du titre d'assistante de vie aux familles, en alternance. L'association "
            "adapte mon planning aux heures d'école.",
        ],
        "body_quote": "Madame Rose, 91 ans, m'attend tous les mardis avec le café prêt.",
        "steps": [
            (18, "Rendez-vous à France Travail", "Je parle de mon envie de changer de métier.", "france-travail"),
            (12, "Titre d'assistante de vie en alternance", "", "apprentissage"),
        ],
    },
    {
        "neighbourhood": "les-lauriers-olivier-a",
        "slug": "rayan-commis-de-cuisine",
        "first_name": "Rayan",
        "privacy": PrivacyLevel.FIRST_NAME,
        "age": 20,
        "job_title": "Commis de cuisine",
        "employer_name": "Restaurant Le Petit Olivier (fictif)",
        "sector": "hotellerie-restauration",
        "starting_points": ["sans-diplome"],
        "tags": ["apprentissage"],
        "quote": "À l'EPIDE, j'ai appris à me lever, à tenir parole. En cuisine, ça sert tous les jours.",
        "photo": "silhouette sur fond de cercles bleu clair, sans visage",
        "photo_is_decorative": True,
        "consent": {"subject_name": "Rayan Cherif", "social": True, "days_ago": 75},
        "easy_read": "",
        "paragraphs": [
            "À 18 ans, je n'avais ni diplôme ni projet. Un ami m'a parlé de l'EPIDE : l'internat, l'uniforme, "
            "les règles. J'ai hésité, puis j'ai signé.",
            "Pendant mes stages, j'ai découvert la cuisine. Aujourd'hui je prépare un CAP cuisine en "
            "apprentissage, dans un restaurant du quartier.",
        ],
        "body_quote": "Le chef ne crie pas. Il montre une fois, deux fois, et après il te fait confiance.",
        "steps": [
            (26, "Entrée à l'EPIDE", "Huit mois en internat, avec le permis à la clé.", "epide"),
            (17, "Stage en cuisine", "", None),
            (13, "CAP cuisine en apprentissage", "", "apprentissage"),
        ],
    },
    {
        "neighbourhood": "tarascon",
        "slug": "manon-apprentie-macon",
        "first_name": "Manon",
        "privacy": PrivacyLevel.FIRST_NAME,
        "age": 16,
        "job_title": "Apprentie en CAP maçon",
        "employer": "rhone-batiment",
        "sector": "btp",
        "starting_points": ["encore-au-college-ou-au-lycee"],
        "tags": ["apprentissage", "alternance"],
        "quote": "Sur le chantier, personne ne s'étonne plus qu'une fille monte un mur.",
        "photo": "silhouette sur fond orange et brique, sans visage",
        "consent": {
            "subject_name": "Manon Roux",
            "guardians": ("Sandrine Roux", "Julien Roux"),
            "social": True,
            "days_ago": 30,
        },
        "easy_read": "Manon a 16 ans.\nElle apprend le métier de maçonne.\nElle travaille sur des chantiers "
        "à Tarascon.",
        "paragraphs": [
            "Après la 3e, je ne voulais pas rester assise toute la journée. Mon oncle est maçon : je l'ai suivi "
            "un samedi, et j'ai compris.",
            "Rhône Bâtiment m'a prise en apprentissage. Je suis la seule fille de ma classe au CFA, et ça ne me "
            "dérange pas.",
        ],
        "body_quote": "Ma mère avait peur que ce soit trop dur. Maintenant, elle montre mes photos de chantier à tous.",
        "steps": [
            (15, "Stage de 3e sur un chantier", "", "stage-de-3e"),
            (3, "CAP maçon en apprentissage", "Une semaine au CFA, deux semaines sur les chantiers.", "apprentissage"),
        ],
    },
    {
        "neighbourhood": "tarascon",
        "slug": "noah-job-d-ete-atelier",
        "first_name": "Noah",
        "privacy": PrivacyLevel.FIRST_NAME,
        "age": 17,
        "job_title": "Lycéen, job d'été en atelier",
        "employer": "meca-provence",
        "sector": "industrie",
        "starting_points": ["encore-au-college-ou-au-lycee"],
        "tags": ["premier emploi"],
        "quote": "Mon premier salaire, je l'ai gagné à dix minutes de chez moi.",
        "photo": None,
        "consent": {
            "subject_name": "Noah Garcia",
            "guardians": ("Élodie Garcia", "David Garcia"),
            "social": False,
            "days_ago": 100,
        },
        "easy_read": "",
        "paragraphs": [
            "Je suis en première, en bac pro maintenance. L'été dernier, j'ai travaillé un mois chez Méca-Provence "
            "pour ranger l'atelier et aider aux livraisons.",
            "J'ai vu les techniciens réparer une machine d'usine. C'est ce que je veux faire.",
        ],
        "body_quote": "On croit qu'il faut partir à Marseille pour trouver du travail. Pas forcément.",
        "steps": [
            (16, "Entrée en bac pro maintenance", "", None),
            (4, "Job d'été chez Méca-Provence", "Un mois de manutention à l'atelier.", None),
        ],
    },
    {
        "neighbourhood": "tarascon",
        "slug": "sofiane-amrani-technicien-de-maintenance",
        "first_name": "Sofiane",
        "last_name": "Amrani",
        "privacy": PrivacyLevel.FULL_NAME,
        "age": 29,
        "job_title": "Technicien de maintenance",
        "employer": "meca-provence",
        "sector": "industrie",
        "starting_points": ["reconversion"],
        "tags": ["reconversion", "alternance"],
        "quote": "À 27 ans, je suis retourné à l'école. Ce n'est jamais trop tard pour apprendre un métier.",
        "photo": "silhouette sur fond vert et jaune, sans visage",
        "consent": {"subject_name": "Sofiane Amrani", "social": True, "days_ago": 180},
        "easy_read": "",
        "paragraphs": [
            "J'ai travaillé huit ans dans le bâtiment. J'aimais réparer les machines du chantier plus que le reste.",
            "Avec France Travail, j'ai monté un projet de reconversion. Méca-Provence m'a pris en alternance, "
            "puis m'a embauché.",
        ],
        "body_quote": "Quand une machine repart grâce à toi, c'est une vraie satisfaction.",
        "steps": [
            (30, "Bilan avec France Travail", "", "france-travail"),
            (24, "Alternance chez Méca-Provence", "Titre de technicien de maintenance.", "apprentissage"),
            (6, "Embauche en CDI", "", None),
        ],
    },
    {
        "neighbourhood": "tarascon",
        "slug": "jade-vendeuse",
        "first_name": "Jade",
        "privacy": PrivacyLevel.CHANGED,
        "age": 21,
        "job_title": "Vendeuse",
        "employer_name": "Magasin de sport du centre-ville (fictif)",
        "sector": "commerce",
        "starting_points": ["decrochage-scolaire"],
        "tags": ["premier emploi"],
        "quote": "Le service civique, c'était ma première ligne sur un CV. Et pas la dernière.",
        "photo": "silhouette sur fond bleu et blanc, sans visage",
        "consent": {"subject_name": "Camille Fabre", "social": False, "days_ago": 240},
        "easy_read": "Jade a 21 ans.\nElle a fait un service civique dans un club de sport.\n"
        "Maintenant, elle est vendeuse.",
        "paragraphs": [
            "J'ai quitté le lycée en terminale. J'avais l'impression de ne savoir rien faire.",
            "J'ai fait un service civique dans un club de sport de Tarascon : accueil, inscriptions, tournois. "
            "Le magasin de sport où j'achetais les équipements m'a proposé un poste.",
        ],
        "body_quote": "Parler aux gens, conseiller, je faisais déjà ça au club sans savoir que c'était un métier.",
        "steps": [
            (36, "Arrêt du lycée", "", None),
            (28, "Service civique au club de sport", "Dix mois d'accueil et d'animation.", "service-civique"),
            (12, "Embauche comme vendeuse", "", None),
        ],
    },
]


def months_ago(months):
    """First day of the month ``months`` before today: parcours show only month and year."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ensure_term(model, slug, name, **fields):
    # An editor may have renamed the term or changed its slug: either match means "already there".
    existing = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    return model.objects.create(slug=slug, name=name, **fields), True


def _ensure_company(index, spec, sectors):
    existing = CompanyPage.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing, 0
    created = 0
    logo, new = demo_image(
        f"[Démo] Logo de {spec['title']}",
        sum(map(ord, spec["slug"])),
        f"Logo fictif de {spec['title']} : ses initiales dans un cercle",
        draw=lambda: draw_logo(sum(map(ord, spec["slug"])), spec["initials"]),
    )
    created += new
    page = CompanyPage(
        title=spec["title"],
        slug=spec["slug"],
        logo=logo,
        sector=sectors.get(spec["sector"]),
        commune=spec["commune"],
        summary=spec["summary"],
        presentation=spec["presentation"],
        website="",
        search_description=spec["summary"][:160],
    )
    for kind, details in spec["offers"]:
        page.offers.add(CompanyOffer(kind=kind, details=details))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page, created + 1


def _portrait_body(spec, display_name, dispositifs):
    body = [("paragraph", f"<p>{text}</p>") for text in spec["paragraphs"][:1]]
    body.append(("quote", {"quote": spec["body_quote"], "attribution": display_name}))
    body += [("paragraph", f"<p>{text}</p>") for text in spec["paragraphs"][1:]]
    steps = [
        {
            "date": months_ago(months),
            "title": title,
            "text": text,
            "dispositif": dispositifs.get(slug) if slug else None,
        }
        for months, title, text, slug in spec["steps"]
    ]
    body.append(("parcours", {"heading": "Mon parcours", "steps": steps}))
    if "video" in spec:
        body.append(("video", spec["video"]))
    return body


def _ensure_portrait(neighbourhood, spec, position, refs):
    # Looked up across the tree: a portrait an editor moved to another neighbourhood is still "there".
    if PortraitPage.objects.filter(slug=spec["slug"]).exists():
        return 0
    created = 0
    last_name = spec.get("last_name", "")
    display_name = f"{spec['first_name']} {last_name}".strip()
    photo = None
    if spec["photo"]:
        photo, new = demo_image(
            f"[Démo] Portrait de {display_name}",
            position,
            f"Illustration fictive : {spec['photo']}",
            draw=lambda: draw_portrait_placeholder(position),
            collection=space_collection(neighbourhood),
        )
        created += new
    decorative = spec.get("photo_is_decorative", False)
    employer = refs["companies"].get(spec.get("employer"))
    page = PortraitPage(
        title=f"{display_name}, {spec['job_title'][:1].lower()}{spec['job_title'][1:]}",
        slug=spec["slug"],
        live=False,
        first_name=spec["first_name"],
        last_name=last_name,
        privacy_level=spec["privacy"],
        age=spec["age"],
        photo=photo,
        photo_alt="" if photo is None or decorative else f"Illustration fictive : {spec['photo']}",
        photo_is_decorative=photo is not None and decorative,
        quote=spec["quote"],
        job_title=spec["job_title"],
        employer_page=employer,
        employer_name="" if employer is not None else spec.get("employer_name", ""),
        sector=refs["sectors"].get(spec["sector"]),
        easy_read_summary=spec["easy_read"],
        body=_portrait_body(spec, display_name, refs["dispositifs"]),
        search_description=spec["quote"][:160],
    )
    page.starting_points.set([refs["starting_points"][slug] for slug in spec["starting_points"]])
    page.tags.add(*spec["tags"])
    neighbourhood.add_child(instance=page)
    created += 1

    consent = spec["consent"]
    guardians = consent.get("guardians", ("", ""))
    given_on = timezone.localdate() - datetime.timedelta(days=consent["days_ago"])
    PortraitConsent.objects.create(
        portrait=page,
        subject_name=consent["subject_name"],
        subject_is_minor=spec["age"] < 18,
        subject_agreed=True,
        guardian_1_name=guardians[0],
        guardian_1_agreed=bool(guardians[0]),
        guardian_2_name=guardians[1],
        guardian_2_agreed=bool(guardians[1]),
        covers_site=True,
        covers_social=consent["social"],
        given_on=given_on,
        expires_on=given_on + datetime.timedelta(days=2 * 365),
        notes=CONSENT_NOTE,
    )
    created += 1
    # Published only now, through PortraitPage.publish: the consent gate the demo is meant to show.
    page.save_revision().publish()
    return created


def _ensure_demo_company_account(company, stdout):
    """The company account of one fictional company, as ``create_company_account`` would make it, with a
    demo person whose password is printed once. An editor may have deleted the company: then nothing."""
    if company is None:
        return 0
    _, username, first_name, last_name = DEMO_COMPANY_ACCOUNT
    account, created = ensure_company_account(company)
    role = f"compte de l'entreprise « {company.title} »"
    return created + create_demo_account(username, first_name, last_name, account.group, role, stdout)


def load_stories_demo(stdout=None):
    """Schemes, sectors, starting points, companies and portraits; returns how many objects were created."""
    created = 0
    dispositifs = {}
    for spec in DISPOSITIFS:
        fields = {key: value for key, value in spec.items() if key not in {"slug", "name"}}
        dispositifs[spec["slug"]], new = _ensure_term(Dispositif, spec["slug"], spec["name"], **fields)
        created += new
    sectors = {}
    for slug, name in SECTORS:
        sectors[slug], new = _ensure_term(Sector, slug, name)
        created += new
    starting_points = {}
    for slug, name, description in STARTING_POINTS:
        starting_points[slug], new = _ensure_term(StartingPoint, slug, name, description=description)
        created += new

    companies = {}
    index = CompanyIndexPage.objects.first()
    if index is not None:
        for spec in COMPANIES:
            companies[spec["slug"]], new = _ensure_company(index, spec, sectors)
            created += new
        created += _ensure_demo_company_account(companies.get(DEMO_COMPANY_ACCOUNT[0]), stdout)

    refs = {"dispositifs": dispositifs, "sectors": sectors, "starting_points": starting_points, "companies": companies}
    neighbourhoods = {page.slug: page for page in NeighbourhoodPage.objects.all()}
    for position, spec in enumerate(PORTRAITS):
        neighbourhood = neighbourhoods.get(spec["neighbourhood"])
        if neighbourhood is not None:  # an editor may have removed a neighbourhood: leave it removed
            created += _ensure_portrait(neighbourhood, spec, position, refs)

    if stdout is not None:
        stdout.write(f"Portraits, entreprises et dispositifs de démonstration : {created} nouveau(x).")
    return created

"""Plain-language texts for the standard pages, written so that a 13-year-old can follow them."""


def _paragraphs(*texts):
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def _section(title, *texts):
    return [("heading", {"text": title, "level": "h2"}), *_paragraphs(*texts)]


STANDARD_PAGES = [
    {
        "slug": "a-propos",
        "title": "À propos",
        "intro": "Impact Jeunes aide les jeunes de 13 à 30 ans et leurs parents à trouver leur voie vers "
        "un métier : de l'envie à la réussite.",
        "body": [
            *_section(
                "Pourquoi ce site ?",
                "Quand on grandit dans un quartier prioritaire, on entend souvent que certains métiers "
                "« ne sont pas pour nous ». Ce site montre le contraire : des jeunes qui ont grandi au même "
                "endroit que toi racontent comment ils y sont arrivés.",
                "Tu y trouves aussi les aides qui existent (Mission Locale, apprentissage, service civique…), "
                "les entreprises qui accueillent des jeunes et les forums où les rencontrer.",
            ),
            *_section(
                "Trois quartiers pour commencer",
                "Le programme démarre dans trois quartiers des Bouches-du-Rhône : Parc Bellevue – Félix Pyat "
                "(Marseille 3e), Les Lauriers – Olivier A (Marseille 13e) et Tarascon. L'objectif : accompagner "
                "3 000 jeunes, puis étendre le modèle à d'autres quartiers partout en France.",
            ),
            *_section(
                "Qui écrit les contenus ?",
                "Les associations partenaires de chaque quartier rédigent les portraits et annoncent les "
                "événements. Les coordinateurs du programme relisent tout avant publication.",
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Qui publie ce site, qui l'héberge et qui contacter.",
        "body": [
            *_section(
                "Qui publie le site ?",
                "Le site est publié par le programme Impact Jeunes. Le directeur de la publication est la "
                "personne qui coordonne le programme. Ses coordonnées complètes sont indiquées ici avant la "
                "mise en ligne publique.",
            ),
            *_section(
                "Qui héberge le site ?",
                "L'hébergeur du site est indiqué ici avant la mise en ligne publique, avec son adresse.",
            ),
            *_section(
                "Les textes et les photos",
                "Les textes et les photos appartiennent à leurs auteurs. Les personnes photographiées ont "
                "donné leur accord, et pour les mineurs, leurs parents aussi. Tu ne peux pas réutiliser une "
                "photo sans demander la permission.",
            ),
        ],
    },
    {
        "slug": "confidentialite",
        "title": "Confidentialité",
        "intro": "Ce que nous savons de toi, pourquoi, combien de temps nous le gardons, et tes droits.",
        "body": [
            *_section(
                "En bref",
                "Pour lire le site, tu n'as pas besoin de compte et nous ne te suivons pas : pas de publicité, "
                "pas de cookie de pistage, pas de réseau social caché dans les pages.",
            ),
            *_section(
                "Quand tu t'inscris à un événement",
                "Nous demandons seulement ce qu'il faut pour t'accueillir : ton prénom, ton nom, ton adresse "
                "e-mail et, si tu veux, ton téléphone. Si tu as moins de 15 ans, nous demandons aussi l'e-mail "
                "d'un parent. Ces informations servent uniquement à organiser l'événement et sont effacées "
                "quelques mois après.",
            ),
            *_section(
                "Les portraits",
                "Une personne n'apparaît sur le site que si elle a dit oui, par écrit. Si elle a moins de 18 ans, "
                "ses parents doivent aussi dire oui. Elle peut changer d'avis à tout moment : le portrait est "
                "alors retiré et sa photo effacée.",
            ),
            *_section(
                "Tes droits",
                "Tu peux demander à voir, corriger ou effacer les informations qui te concernent. Écris-nous à "
                "l'adresse indiquée en bas de page. Si tu n'es pas satisfait de notre réponse, tu peux "
                "t'adresser à la CNIL (cnil.fr).",
            ),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Accessibilité",
        "intro": "Ce site doit pouvoir être utilisé par tout le monde, y compris avec un lecteur d'écran ou "
        "uniquement au clavier.",
        "body": [
            *_section(
                "Notre engagement",
                "Nous visons le niveau AA du Référentiel général d'amélioration de l'accessibilité (RGAA), "
                "qui reprend les règles internationales WCAG 2.2.",
            ),
            *_section(
                "Comment nous vérifions",
                "Chaque type de page est testé automatiquement avec l'outil axe-core dans un vrai navigateur, "
                "à chaque modification du site. Ces tests ne remplacent pas un audit complet, prévu avant la "
                "mise en ligne publique.",
            ),
            *_section(
                "Un problème ?",
                "Si tu n'arrives pas à utiliser une page ou un formulaire, écris-nous à l'adresse indiquée en "
                "bas de page : nous te répondrons et nous te donnerons l'information autrement. Si tu n'as pas "
                "de réponse, tu peux saisir le Défenseur des droits (defenseurdesdroits.fr).",
            ),
        ],
    },
]

"""Plain-language texts for the standard pages, written so that a 13-year-old can follow them: short
sentences, « tu » as everywhere else on the site, one idea per paragraph.

They are only the starting text: ensure_site_structure creates the pages once and never overwrites
them, so coordinators can complete the « à compléter » details in the admin."""

from django.conf import settings

# Read once at import: the privacy page states the same delays as purge_registrations and purge_proposals.
RETENTION_DAYS = settings.REGISTRATION_RETENTION_DAYS
PROPOSAL_RETENTION_DAYS = settings.PROPOSAL_RETENTION_DAYS

CONTACT = "le lien « Nous écrire » en bas de chaque page"


def _paragraphs(*texts):
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def _section(title, *texts):
    return [("heading", {"text": title, "level": "h2"}), *_paragraphs(*texts)]


def _list(*items):
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


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
        "intro": "Qui publie ce site, qui l'héberge et à qui écrire. La loi oblige chaque site à le dire.",
        "body": [
            *_section(
                "Qui publie ce site ?",
                "Le site est publié par le programme Impact Jeunes. Sur ce site de démonstration, les "
                "coordonnées ci-dessous sont fictives : elles sont à compléter avant la mise en ligne publique.",
            ),
            _list(
                "Éditeur : association Impact Jeunes (fictive, pour la démonstration).",
                "Adresse du siège : à compléter.",
                "Numéro d'enregistrement (RNA ou SIRET) : à compléter.",
                "Téléphone : à compléter.",
                f"Pour nous écrire : {CONTACT}.",
                "Directeur ou directrice de la publication : la personne qui coordonne le programme "
                "(nom à compléter). C'est elle qui répond de ce qui est publié.",
            ),
            *_section(
                "Qui héberge le site ?",
                "L'hébergeur, c'est l'entreprise dont les ordinateurs gardent le site et l'envoient sur ton téléphone.",
            ),
            _list(
                "Nom de l'hébergeur : à compléter.",
                "Adresse : à compléter.",
                "Téléphone : à compléter.",
            ),
            *_section(
                "Les textes et les photos",
                "Les textes et les photos appartiennent à leurs auteurs et aux personnes qui y figurent.",
                "Chaque personne photographiée a donné son accord. Pour les mineurs, les parents aussi.",
                "Tu peux partager le lien d'une page. Mais tu ne peux pas copier une photo ou un texte pour "
                "l'utiliser ailleurs sans demander la permission.",
            ),
            *_section(
                "Tes informations",
                'Ce que nous faisons de tes informations est expliqué sur la page <a href="/confidentialite/">'
                "Confidentialité</a>.",
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
                "Pour lire le site, tu n'as pas besoin de compte.",
                "Nous ne te suivons pas : pas de publicité, pas de cookie de pistage, pas de bouton de réseau "
                "social caché dans les pages.",
                "Nous demandons des informations seulement quand tu t'inscris à un événement. Et nous les "
                "effaçons peu de temps après.",
            ),
            *_section(
                "Qui est responsable ?",
                "Le programme Impact Jeunes. C'est lui qui décide ce qui est fait de tes informations. Pour lui "
                f"écrire, utilise {CONTACT}.",
            ),
            *_section(
                "Quand tu envoies un formulaire",
                "Des robots remplissent parfois les formulaires en masse. Pour les bloquer, le site retient "
                "l'adresse de ta connexion internet (l'adresse IP) quand tu envoies un formulaire. Il l'oublie "
                "au bout d'une heure au plus.",
            ),
            *_section(
                "Quand tu t'inscris à un événement",
                "Nous te demandons seulement ce qu'il faut pour t'accueillir :",
            ),
            _list(
                "ton prénom et ton nom ;",
                "ton adresse e-mail ;",
                "ton téléphone, si tu veux (ce n'est pas obligatoire) ;",
                "ton âge, par tranche (par exemple « 15 à 17 ans ») : jamais ta date de naissance ;",
                "ton quartier ou ta commune ;",
                "si tu viens seul·e, avec un parent ou avec un conseiller ;",
                "si tu as moins de 15 ans, l'e-mail d'un parent.",
            ),
            *_paragraphs(
                "<b>Pourquoi ?</b> Pour t'envoyer la confirmation, un rappel la veille et le lien pour "
                "annuler. Et pour compter les places.",
                "<b>Qui les voit ?</b> Seulement les personnes qui organisent cet événement. Nous ne les "
                "vendons pas et nous ne les donnons à personne d'autre.",
                f"<b>Combien de temps ?</b> {RETENTION_DAYS} jours après l'événement, nous effaçons ton nom, "
                "ton e-mail, ton téléphone et ta commune. Nous gardons seulement des chiffres sans nom (par "
                "exemple : « 40 jeunes de 15 à 17 ans sont venus »), pour montrer ce que le programme apporte.",
                "<b>Ton accord.</b> Tu donnes ton accord en cochant la case du formulaire. Tu peux changer "
                "d'avis : le lien reçu par e-mail annule ton inscription.",
                "<b>Si tu as moins de 15 ans.</b> En France, avant 15 ans, un parent doit être d'accord. C'est "
                "pour ça que nous demandons son e-mail : il reçoit une copie de nos messages.",
            ),
            *_section(
                "Quand une entreprise propose un événement",
                "Le nom, l'e-mail et le téléphone de la personne qui propose l'événement servent seulement à la "
                "recontacter. Ils ne sont jamais publiés sur le site.",
                f"Nous les effaçons {PROPOSAL_RETENTION_DAYS} jours après l'événement, ou après notre réponse si "
                "l'événement ne se fait pas.",
            ),
            *_section(
                "Les portraits",
                "Une personne apparaît sur le site seulement si elle a dit oui, par écrit.",
                "Si elle a moins de 18 ans, ses parents doivent aussi dire oui. S'il y a une photo, il faut "
                "l'accord des deux parents, sauf si un seul parent a l'autorité parentale.",
                "Elle choisit ce qu'on montre : son prénom et son nom, son prénom seulement, ou un autre "
                "prénom. Nous ne publions jamais son adresse, sa date de naissance ni ses coordonnées.",
                "Son accord a une date de fin. Elle peut aussi changer d'avis à tout moment : le portrait est "
                "alors retiré tout de suite et sa photo est effacée.",
            ),
            *_section(
                "Tes droits",
                "Tu peux nous demander :",
            ),
            _list(
                "de voir les informations que nous avons sur toi ;",
                "de les corriger si elles sont fausses ;",
                "de les effacer ;",
                "de retirer ton accord, par exemple pour un portrait.",
            ),
            *_paragraphs(
                f"Pour cela, écris-nous avec {CONTACT}. Dis-nous ce que tu veux et pour quel événement ou quel "
                "portrait. Tu n'as pas besoin de te justifier. Un parent peut aussi écrire pour son enfant.",
                "Nous te répondons dans un délai d'un mois au plus.",
                "Si notre réponse ne te convient pas, ou si tu n'as pas de réponse, tu peux te plaindre auprès "
                'de la CNIL. C\'est gratuit : <a href="https://www.cnil.fr/fr/plaintes">cnil.fr/fr/plaintes</a>. '
                "La CNIL est l'organisme public qui protège les données personnelles en France.",
            ),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Accessibilité",
        "intro": "Tout le monde doit pouvoir utiliser ce site : avec un lecteur d'écran, avec le clavier seulement, "
        "en agrandissant le texte ou sur un petit téléphone.",
        "body": [
            *_section(
                "Notre engagement",
                "Le programme Impact Jeunes veut rendre son site accessible, comme le demande l'article 47 de "
                "la loi du 11 février 2005.",
                "Nous suivons le RGAA (Référentiel général d'amélioration de l'accessibilité), version 4.1.2. "
                "C'est la règle française. Elle reprend les règles internationales WCAG, niveau AA.",
            ),
            *_section(
                "Où en est ce site ?",
                "<b>Ce site est non conforme au RGAA.</b> Cela ne veut pas dire qu'il est inutilisable. Cela "
                "veut dire qu'aucun audit complet n'a encore été fait : sans audit, la règle nous oblige à "
                "écrire « non conforme ».",
                "Un audit complet par des spécialistes est prévu avant la mise en ligne publique. Cette page "
                "donnera alors le résultat.",
            ),
            *_section(
                "Ce que nous vérifions déjà",
                "À chaque modification du site, des tests automatiques passent sur chaque sorte de page et "
                "chaque formulaire, y compris quand il affiche une erreur. Ils utilisent l'outil axe-core dans "
                "un vrai navigateur, à la taille d'un téléphone.",
                "Un test vérifie aussi qu'on peut s'inscrire à un événement avec le clavier seulement, en "
                "voyant toujours où on se trouve dans la page.",
                "Ces tests ne trouvent pas tout. C'est pour ça que l'audit reste nécessaire.",
            ),
            *_section(
                "Ce qui n'est peut-être pas accessible",
                "Certains portraits ont une vidéo qui vient d'un autre site (YouTube, Vimeo…). Nous ne pouvons "
                "pas encore garantir que chaque vidéo a des sous-titres. Si une vidéo te pose problème, "
                "écris-nous : nous t'enverrons ce qu'elle raconte, par écrit.",
            ),
            *_section(
                "Un problème ?",
                "Si tu n'arrives pas à utiliser une page ou un formulaire, dis-le-nous. Écris-nous avec "
                f"{CONTACT}. Dis-nous sur quelle page, et ce qui ne marche pas.",
                "Nous te répondrons. Nous te donnerons l'information autrement, par exemple par e-mail ou par "
                "téléphone, et nous corrigerons la page.",
            ),
            *_section(
                "Si tu n'as pas de réponse",
                "Si tu nous as écrit et que tu n'as pas eu de réponse, ou pas de solution, tu peux contacter le "
                "Défenseur des droits. C'est gratuit. Tu peux :",
            ),
            _list(
                'écrire avec le formulaire en ligne : <a href="https://formulaire.defenseurdesdroits.fr/">'
                "formulaire.defenseurdesdroits.fr</a> ;",
                'trouver une personne près de chez toi : <a href="https://www.defenseurdesdroits.fr/carte-des-'
                'delegues">defenseurdesdroits.fr/carte-des-delegues</a> ;',
                "envoyer une lettre gratuite, sans timbre, à : Défenseur des droits, Libre réponse 71120, "
                "75342 Paris CEDEX 07.",
            ),
            *_section(
                "Cette déclaration",
                "Cette déclaration a été écrite en 2026. Elle sera mise à jour après l'audit, et au moins tous "
                "les trois ans.",
            ),
        ],
    },
]

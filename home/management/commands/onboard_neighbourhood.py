from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from home.departments import DEPARTMENT_NAMES
from home.french import PREPOSITIONS, guess_preposition, of_place
from home.invitations import needs_invitation, send_invitation
from home.links import site_address_problem
from home.models import NeighbourhoodIndexPage
from home.onboarding import create_neighbourhood, onboard_all


class Command(BaseCommand):
    help = (
        "Onboard a neighbourhood in one step: its hub page under /quartiers/ (a draft unless --publish), "
        "its editors' group, its image collection and their permissions. Idempotent: run it again and "
        "nothing changes. --editor adds existing or new accounts (by e-mail) to the editors' group; a new "
        "account has no password and is e-mailed a link to choose one (« Mot de passe oublié ? » on /admin/ "
        "sends another). --all completes the space of every existing hub."
    )

    def add_arguments(self, parser):
        parser.add_argument("title", nargs="?", help="Nom du quartier, ex. « Les Tilleuls »")
        parser.add_argument("--commune", help="ex. « Marseille 14e »")
        parser.add_argument("--department", help="code du département, ex. 13, 2A, 974")
        parser.add_argument("--slug", help="adresse du quartier (par défaut tirée du nom)")
        parser.add_argument(
            "--preposition",
            choices=list(PREPOSITIONS),
            help="ce que le site écrit devant le nom : « à », « au », « aux »… (par défaut deviné d'après le nom)",
        )
        parser.add_argument("--intro", help="quelques phrases de présentation")
        parser.add_argument("--publish", action="store_true", help="publier la page du quartier")
        parser.add_argument("--editor", action="append", default=[], metavar="EMAIL")
        parser.add_argument("--all", action="store_true", help="compléter l'espace de chaque quartier existant")

    def handle(self, *args, **options):
        if options["all"]:
            created = onboard_all()
            self.stdout.write(f"{created} espace(s) de rédaction créé(s) ; les autres étaient déjà en place.")
            return
        title = options["title"]
        if not title or not options["commune"] or not options["department"]:
            raise CommandError("Indiquez le nom du quartier, --commune et --department (ou --all).")
        department = options["department"].upper()
        if department not in DEPARTMENT_NAMES:
            raise CommandError(f"Département inconnu : {options['department']}.")
        index = NeighbourhoodIndexPage.objects.first()
        if index is None:
            raise CommandError("La page /quartiers/ n'existe pas : lancez d'abord « manage.py setup_site ».")

        preposition = options["preposition"] or guess_preposition(title)
        page, space, created = create_neighbourhood(
            index,
            title=title,
            slug=options["slug"] or slugify(title),
            commune=options["commune"],
            department=department,
            intro=options["intro"]
            or f"Les parcours, les associations et les événements {of_place(preposition, title)}.",
            publish=options["publish"],
            preposition=preposition,
        )
        verb = "créé" if created else "déjà en place, inchangé"
        self.stdout.write(f"Quartier « {page.title} » ({page.get_url() or page.url_path}) : {verb}.")
        self.stdout.write(f"Groupe « {space.group.name} », collection « {space.collection.name} ».")

        # Invitations carry links: say so when this process's address is not the one the site serves.
        problem = site_address_problem() if options["editor"] else None
        if problem:
            self.stderr.write(problem)
        User = get_user_model()
        for email in options["editor"]:
            email = User.objects.normalize_email(email)
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(username=email, email=email)
                user.set_unusable_password()
                user.save()
                self.stdout.write(f"Compte créé pour {email}.")
            if user.groups.filter(pk=space.group.pk).exists():
                self.stdout.write(f"{email} rédige déjà pour {page.title}.")
                continue
            user.groups.add(space.group)
            self.stdout.write(f"{email} peut rédiger pour {page.title}.")
            if needs_invitation(user):
                purpose = (
                    f"rédiger les pages du quartier {page.title} sur le site (portraits, événements), "
                    "relues par la coordination avant publication"
                )
                send_invitation(user, purpose, report=self.stdout.write)

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from home.invitations import needs_invitation, send_invitation
from home.links import site_address_problem
from stories.accounts import ensure_company_account
from stories.models import CompanyPage


class Command(BaseCommand):
    help = (
        "Give a company an account: a group whose members may edit its page (submitted for review, never "
        "published directly) and see the event proposals made under it. --email adds existing or new "
        "accounts to the group; a new account has no password and is e-mailed a link to choose one "
        "(« Mot de passe oublié ? » on /admin/ sends another). Idempotent: run it again and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="adresse de la page de l'entreprise, ex. « garage-moulin »")
        parser.add_argument("--email", action="append", default=[], metavar="EMAIL")

    @transaction.atomic
    def handle(self, *args, slug, email, **options):
        company = CompanyPage.objects.filter(slug=slug).first()
        if company is None:
            raise CommandError(
                f"Aucune entreprise avec l'adresse « {slug} ». Vérifiez la fin de l'adresse de sa page "
                "(par exemple /entreprises/garage-moulin/ → garage-moulin)."
            )
        addresses = [address.strip() for address in email]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                # Checked before anything is created, so a typo leaves no half-done account behind.
                raise CommandError(f"Adresse e-mail invalide : « {address} ».") from None
        account, created = ensure_company_account(company)
        verb = "créé" if created else "déjà en place, inchangé"
        self.stdout.write(f"Compte de « {company.title} » : {verb} (groupe « {account.group.name} »).")

        # Invitations carry links: say so when this process's address is not the one the site serves.
        problem = site_address_problem() if addresses else None
        if problem:
            self.stderr.write(problem)
        User = get_user_model()
        for address in addresses:
            address = User.objects.normalize_email(address)
            # New accounts take the address as username: an account created that way whose e-mail was
            # changed since is still the same person, and creating it again would clash.
            user = (
                User.objects.filter(email__iexact=address).first()
                or User.objects.filter(username__iexact=address).first()
            )
            if user is None:
                user = User.objects.create_user(username=address, email=address)
                user.set_unusable_password()
                user.save()
                self.stdout.write(f"Compte créé pour {address}.")
            if user.groups.filter(pk=account.group.pk).exists():
                self.stdout.write(f"{address} peut déjà modifier la page de {company.title}.")
                continue
            user.groups.add(account.group)
            self.stdout.write(f"{address} peut modifier la page de {company.title}.")
            if needs_invitation(user):
                purpose = (
                    f"modifier la page de {company.title} (chaque modification est relue par la coordination "
                    "avant publication) et suivre les événements que vous proposez"
                )
                # Sent once the transaction commits, so the link never points at an account rolled back.
                send_invitation(user, purpose, report=self.stdout.write)

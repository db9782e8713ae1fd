import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from home.links import absolute_url


class Command(BaseCommand):
    help = (
        "Create a local administrator with a generated password, printed once. Does nothing if the "
        "account exists. Refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, username, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("ensure_local_admin is for local development (DEBUG off); use createsuperuser.")
        User = get_user_model()
        admin_url = absolute_url(reverse("wagtailadmin_home"))
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Administrateur local « {username} » déjà présent, sur {admin_url}. Mot de passe oublié ? "
                f"Lancez : .venv/bin/python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser(username=username, email="", password=password)
        line = "=" * 64
        self.stdout.write(
            f"{line}\nAdministrateur local créé — notez ce mot de passe, il ne sera plus affiché.\n"
            f"  Adresse        : {admin_url}\n"
            f"  Identifiant    : {username}\n"
            f"  Mot de passe   : {password}\n{line}"
        )

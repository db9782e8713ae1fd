from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.two_factor import needs_second_factor, reset_second_factor


class Command(BaseCommand):
    help = (
        "Forget a person's authenticator app and recovery codes (lost or replaced phone). At their next "
        "login they set up a new app; their sessions verified with the old one end at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun compte « {username} ».")
        removed = reset_second_factor(user)
        then = (
            "À sa prochaine connexion, il ou elle installera une nouvelle application."
            if needs_second_factor(user)
            else "La double authentification est désormais désactivée pour ce compte."
        )
        self.stdout.write(f"Double authentification de « {username} » réinitialisée ({removed} appareil(s)). {then}")

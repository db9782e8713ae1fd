"""Anonymise registrations some days after their event ended, as the privacy notice promises.

Rows are kept, emptied of everything that identifies a person: status, age range and
accompaniment survive so the number of participants per event is still there for impact figures.
Running it again finds nothing left to do."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events.models import Registration


class Command(BaseCommand):
    help = "Anonymise les inscriptions des événements terminés depuis plus de N jours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Délai après la fin de l'événement, en jours (par défaut REGISTRATION_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = settings.REGISTRATION_RETENTION_DAYS
        if days < 0:
            raise CommandError("--days doit être positif ou nul.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        due = Registration.objects.filter(anonymised_at__isnull=True, event__end_at__lt=cutoff)
        events = due.values("event").distinct().count()
        if dry_run:
            count = due.count()
            self.stdout.write(
                f"Simulation : {count} inscription(s) de {events} événement(s) terminés depuis plus de "
                f"{days} jours seraient anonymisées. Rien n'a été modifié."
            )
            return
        count = due.anonymise()
        self.stdout.write(
            f"{count} inscription(s) de {events} événement(s) terminés depuis plus de {days} jours anonymisées."
        )

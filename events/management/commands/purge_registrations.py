"""Anonymise registrations some days after their event ended, as the privacy notice promises.

Rows are kept, emptied of everything that identifies a person: status, age range and
accompaniment survive so the number of participants per event is still there for impact figures.
Running it again finds nothing left to do."""

import datetime

from django.utils import timezone

from events.models import Registration
from home.retention import RetentionCommand


class Command(RetentionCommand):
    help = "Anonymise les inscriptions des événements terminés depuis plus de N jours."
    days_setting = "REGISTRATION_RETENTION_DAYS"
    days_help = "Délai après la fin de l'événement, en jours"

    def purge(self, days, *, dry_run):
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

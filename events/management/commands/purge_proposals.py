"""Erase the contact of company event proposals some days after they were decided, as the
privacy notice promises.

Decided: the proposed event has ended, or the proposal was closed without it (its draft deleted,
or declined). The proposal row stays with the company's name and its event, so what companies
proposed can still be counted; the contact's name, e-mail and phone are emptied. Running it again
finds nothing left to do."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.models import EventProposal


class Command(BaseCommand):
    help = "Efface les coordonnées des contacts des propositions d'événements décidées depuis plus de N jours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Délai après la fin de l'événement ou le refus, en jours (par défaut PROPOSAL_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = settings.PROPOSAL_RETENTION_DAYS
        if days < 0:
            raise CommandError("--days doit être positif ou nul.")
        due = EventProposal.objects.due_for_anonymisation(days)
        if dry_run:
            self.stdout.write(
                f"Simulation : les coordonnées de {due.count()} proposition(s) décidées depuis plus de {days} jours "
                "seraient effacées. Rien n'a été modifié."
            )
            return
        count = due.anonymise()
        self.stdout.write(f"Coordonnées effacées pour {count} proposition(s) décidées depuis plus de {days} jours.")

"""Erase the contact of company event proposals some days after they were decided, as the
privacy notice promises.

Decided: the proposed event has ended, or the proposal was closed without it (its draft deleted,
or declined). The proposal row stays with the company's name and its event, so what companies
proposed can still be counted; the contact's name, e-mail and phone are emptied. Running it again
finds nothing left to do."""

from events.models import EventProposal
from home.retention import RetentionCommand


class Command(RetentionCommand):
    help = "Efface les coordonnées des contacts des propositions d'événements décidées depuis plus de N jours."
    days_setting = "PROPOSAL_RETENTION_DAYS"
    days_help = "Délai après la fin de l'événement ou le refus, en jours"

    def purge(self, days, *, dry_run):
        due = EventProposal.objects.due_for_anonymisation(days)
        if dry_run:
            self.stdout.write(
                f"Simulation : les coordonnées de {due.count()} proposition(s) décidées depuis plus de {days} jours "
                "seraient effacées. Rien n'a été modifié."
            )
            return
        count = due.anonymise()
        self.stdout.write(f"Coordonnées effacées pour {count} proposition(s) décidées depuis plus de {days} jours.")

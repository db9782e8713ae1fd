"""The shape every retention command shares (``purge_registrations``, ``purge_proposals``, and those of
later apps): a delay in days read from a setting unless ``--days`` is given, and ``--dry-run``, which
counts without changing anything. A subclass only says what is due and what erasing it means."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class RetentionCommand(BaseCommand):
    days_setting = ""  # e.g. "REGISTRATION_RETENTION_DAYS"
    days_help = ""  # what the delay counts from, in French

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help=f"{self.days_help} (par défaut {self.days_setting})."
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = getattr(settings, self.days_setting)
        if days < 0:
            raise CommandError("--days doit être positif ou nul.")
        self.purge(days, dry_run=dry_run)

    def purge(self, days, *, dry_run):
        raise NotImplementedError

"""Send again the confirmations and "a seat is free" e-mails that failed when the mail server was
down. Safe to run often: each e-mail is claimed in the database before it goes out."""

from django.core.management.base import BaseCommand
from django.db.models import F, Q
from django.utils import timezone

from events.models import Registration, RegistrationStatus
from events.registration import send_confirmation, send_promotion


class Command(BaseCommand):
    help = "Renvoie les e-mails de confirmation et de place libérée qui n'ont pas pu partir."

    def handle(self, *args, **options):
        upcoming = Registration.objects.filter(
            anonymised_at__isnull=True, event__end_at__gte=timezone.now()
        ).select_related("event")
        confirmations = upcoming.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING], confirmation_sent_at__isnull=True
        )
        counts = {"sent": 0, "failed": 0}
        for registration in confirmations.order_by("pk"):
            self._count(counts, send_confirmation(registration))
        # A confirmation that went out after the promotion already says "confirmée": no second e-mail.
        promotions = upcoming.filter(
            status=RegistrationStatus.CONFIRMED,
            promoted_at__isnull=False,
            promotion_sent_at__isnull=True,
        ).filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=F("promoted_at")))
        for registration in promotions.order_by("pk"):
            self._count(counts, send_promotion(registration))
        self.stdout.write(f"E-mails renvoyés : {counts['sent']}. Toujours en échec : {counts['failed']}.")

    @staticmethod
    def _count(counts, result):
        if result is True:
            counts["sent"] += 1
        elif result is False:
            counts["failed"] += 1

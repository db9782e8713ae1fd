"""Remind confirmed registrants the day before their event. Meant for a daily cron job; each
registration is claimed in the database before its e-mail goes out, so running it twice, or from
two hosts at the same time, sends each reminder once."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.models import Registration, RegistrationStatus
from events.registration import send_reminder


def day_bounds(day):
    """Start and end of a calendar day in the site's time zone (Europe/Paris), so "tomorrow" is
    the day people live in, not a UTC day."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), tz)
    return start, end


class Command(BaseCommand):
    help = "Envoie le rappel de la veille aux inscrits confirmés des événements qui ont lieu demain."

    def handle(self, *args, **options):
        start, end = day_bounds(timezone.localdate() + datetime.timedelta(days=1))
        pending = (
            Registration.objects.filter(
                status=RegistrationStatus.CONFIRMED,
                reminder_sent_at__isnull=True,
                anonymised_at__isnull=True,
                event__live=True,
                event__start_at__gte=start,
                event__start_at__lt=end,
            )
            .select_related("event")
            .order_by("pk")
        )
        sent = failed = 0
        for registration in pending:
            result = send_reminder(registration)
            if result is True:
                sent += 1
            elif result is False:
                failed += 1
        self.stdout.write(f"Rappels envoyés : {sent}. Échecs (réessayés au prochain passage) : {failed}.")

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Revision

from stories.models import PortraitPage, enforce_consent


class Command(BaseCommand):
    help = (
        "Take offline every portrait whose consent has expired, been withdrawn or no longer covers the "
        "site, cancel their scheduled publication, and delete every image of the person when the consent "
        "was withdrawn (photo, images of the story, with their renditions; not those another live page shows). "
        "Run it from cron every few minutes; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be done.")

    def handle(self, *args, dry_run=False, **options):
        from stories.models import go_live_problems
        from stories.models.consent import get_consent
        from stories.withdrawal import images_to_delete

        scheduled_ids = {
            int(object_id)
            for object_id in Revision.objects.filter(
                approved_go_live_at__isnull=False, content_type=ContentType.objects.get_for_model(PortraitPage)
            ).values_list("object_id", flat=True)
        }
        # Withdrawn consents also reach drafts: the images must go even if the portrait was already
        # offline when the withdrawal date arrived (images may hide in any revision, so every
        # withdrawn portrait is looked at; once cleaned, it reports nothing).
        withdrawn = Q(consent__withdrawn_on__lte=timezone.localdate())
        candidates = PortraitPage.objects.filter(Q(live=True) | Q(pk__in=scheduled_ids) | withdrawn)
        handled = 0
        for portrait in candidates.select_related("consent").order_by("pk"):
            if dry_run:
                problems = go_live_problems(portrait)
                if problems and not portrait.live and portrait.pk not in scheduled_ids:
                    problems = []
                consent = get_consent(portrait)
                if consent is not None and consent.is_withdrawn:
                    count = len(images_to_delete(portrait))
                    if count:
                        problems.append(
                            f"{count} image{'s' if count > 1 else ''} de la personne à supprimer (consentement retiré)."
                        )
                if problems:
                    handled += 1
                    self.stdout.write(f"{portrait.title} (#{portrait.pk}) : {' '.join(problems)}")
                continue
            with transaction.atomic():
                done = enforce_consent(portrait)
            if done:
                handled += 1
                self.stdout.write(f"{portrait.title} (#{portrait.pk}) : {', '.join(done)}")
        verb = "à traiter" if dry_run else "traité(s)"
        self.stdout.write(f"Consentements vérifiés : {handled} portrait(s) {verb}.")

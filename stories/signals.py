"""Consent changes take effect at once: saving a withdrawal in the ledger unpublishes the portrait
and deletes its photo in the same request, without waiting for the cron job."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from stories.models import PortraitConsent, PortraitPage, enforce_consent


@receiver(post_save, sender=PortraitConsent)
def apply_consent_change(sender, instance, **kwargs):
    portrait = PortraitPage.objects.get(pk=instance.portrait_id)
    enforce_consent(portrait)


@receiver(post_delete, sender=PortraitConsent)
def apply_consent_deletion(sender, instance, **kwargs):
    portrait_id = instance.portrait_id

    def unpublish_if_still_there():
        # When the portrait itself is being deleted the ledger row goes first: nothing to do then.
        portrait = PortraitPage.objects.filter(pk=portrait_id).first()
        if portrait is not None:
            enforce_consent(portrait)

    transaction.on_commit(unpublish_if_still_there)

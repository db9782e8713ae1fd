"""Consent changes take effect at once: saving a withdrawal in the ledger unpublishes the portrait
and deletes its photo in the same request, without waiting for the cron job."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model

from stories.models import ConsentHandover, PortraitConsent, PortraitPage, enforce_consent


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


@receiver(post_delete, sender=ConsentHandover)
def delete_unfiled_form(sender, instance, **kwargs):
    """A hand-over goes when its portrait is deleted: its scan goes too, unless a ledger record still uses it."""
    document_id = instance.document_id
    if document_id and not PortraitConsent.objects.filter(document_id=document_id).exists():
        get_document_model().objects.filter(pk=document_id).delete()

"""Proposal retention needs to know when a proposal ended without its event: deleting the draft
(how a coordinator turns a proposal down today) empties ``EventProposal.event``, so the date is
recorded on the way (see ``EventProposalQuerySet.decided_before``)."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from events.models import EventPage, EventProposal


@receiver(pre_delete, sender=EventPage)
def close_proposals_of_deleted_event(sender, instance, **kwargs):
    EventProposal.objects.filter(event=instance, closed_at__isnull=True).update(closed_at=timezone.now())

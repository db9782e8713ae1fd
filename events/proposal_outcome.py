"""What a company hears after proposing an event, in the « vous » it is addressed in.

Three e-mails to the contact of an ``EventProposal``, each saying what happens next:

* an acknowledgement as soon as the proposal is stored;
* « en ligne » the first time the proposal's draft is published, whatever the path (publish button,
  workflow approval, scheduled publishing): a ``page_published`` receiver, once per proposal;
* « déclinée » when a coordinator declines it in « Propositions d'événements » (``decline``), with the
  coordinator's reason when one is given. Declining cancels the draft's review, so it leaves the
  coordinators' queue; the draft stays, unpublished, in case the decision changes.

Each decision is recorded on the proposal (``outcome``, ``outcome_at``) so that no contact is told twice.
Mail leaves after the transaction commits; a failing mail server is logged, never raised: the
decision is already stored."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.signals import page_published

from events.models import EventPage, EventProposal, ProposalOutcome
from home.links import absolute_url
from home.models import SiteSettings
from home.typography import french_spacing

logger = logging.getLogger(__name__)


def team_addresses():
    """Where a company's reply should go: the site's contact address, else ``COORDINATORS_EMAIL``."""
    site = Site.objects.filter(is_default_site=True).first()
    contact = SiteSettings.for_site(site).contact_email if site else ""
    if contact:
        return [contact]
    extra = getattr(settings, "COORDINATORS_EMAIL", "")
    return [address.strip() for address in extra.split(",") if address.strip()]


def proposal_form_url():
    from events.models import EventIndexPage

    index = EventIndexPage.objects.live().first()
    if index is None:
        return ""
    return index.get_full_url() + index.reverse_subpage("propose")


def _send(proposal, subject, template, context):
    if not proposal.contact_email:  # erased (retention or a person's request): nobody left to tell
        return
    context = {"proposal": proposal, "event": proposal.event, **context}
    message = EmailMessage(
        subject=french_spacing(subject),
        body=french_spacing(render_to_string(template, context)),
        to=[proposal.contact_email],
        reply_to=team_addresses() or None,
    )

    def send():
        try:
            message.send()
        except Exception:
            logger.exception("E-mail %s for event proposal %s not sent", template, proposal.pk)

    transaction.on_commit(send)


def acknowledge_proposal(proposal):
    event = proposal.event
    context = {
        "start": timezone.localtime(event.start_at),
        "proposals_url": absolute_url(reverse("propositions:index")) if proposal.company_id else "",
    }
    subject = f"Nous avons bien reçu votre proposition : {event.title}"
    _send(proposal, subject, "events/emails/proposal-received.txt", context)


@receiver(page_published)
def tell_the_company_it_is_online(sender, instance, **kwargs):
    if not isinstance(instance, EventPage):
        return
    # Row-level "first time only": a later republication (a corrected time) tells nobody again.
    pending = EventProposal.objects.filter(event=instance, outcome=ProposalOutcome.PENDING)
    proposals = list(pending.exclude(contact_email=""))
    if not pending.update(outcome=ProposalOutcome.PUBLISHED, outcome_at=timezone.now()):
        return
    url = instance.get_full_url()
    for proposal in proposals:
        context = {
            "event": instance,
            "start": timezone.localtime(instance.start_at),
            "url": url,
            "poster_url": f"{url}{instance.reverse_subpage('poster')}" if url else "",
            "propose_url": proposal_form_url(),
        }
        subject = f"Votre événement est en ligne : {instance.title}"
        _send(proposal, subject, "events/emails/proposal-published.txt", context)


@transaction.atomic
def decline(proposal, *, user, reason=""):
    """Record a coordinator's « non », stop the draft's review and tell the company. Returns False when
    the proposal was already decided (published or declined): nothing is done twice."""
    now = timezone.now()
    # closed_at starts the contact's retention period (EventProposalQuerySet.decided_before).
    updated = EventProposal.objects.filter(pk=proposal.pk, outcome=ProposalOutcome.PENDING).update(
        outcome=ProposalOutcome.DECLINED, outcome_at=now, decline_reason=reason.strip(), closed_at=now
    )
    if not updated:
        return False
    proposal.refresh_from_db()
    event = proposal.event
    if event is not None:
        state = event.current_workflow_state
        if state is not None:
            state.cancel(user=user)
    context = {
        "reason": proposal.decline_reason,
        "propose_url": proposal_form_url(),
        "start": timezone.localtime(event.start_at) if event else None,
        "title": event.title if event else proposal.company_name,
    }
    _send(
        proposal,
        f"Votre proposition d'événement : {context['title']}",
        "events/emails/proposal-declined.txt",
        context,
    )
    return True

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventProposalQuerySet(models.QuerySet):
    def decided_before(self, cutoff):
        """Proposals decided before ``cutoff`` whose contact is still stored.

        Decided means the proposed event has ended (held, or its date simply passed) or the proposal
        was closed without it (``closed_at``: its draft deleted, or declined). A proposal still being
        reviewed is never due, and every proposal becomes due at the latest when its date has passed."""
        return self.filter(anonymised_at__isnull=True).filter(Q(event__end_at__lt=cutoff) | Q(closed_at__lt=cutoff))

    def due_for_anonymisation(self, days, now=None):
        return self.decided_before((now or timezone.now()) - datetime.timedelta(days=days))

    def anonymise(self):
        """Erase the contact person, keep the proposal: the company's name and the event stay (they
        are not a person's data), so what companies proposed can still be counted."""
        return self.update(contact_name="", contact_email="", contact_phone="", anonymised_at=timezone.now())


class ProposalOutcome(models.TextChoices):
    PENDING = "", _("en attente")
    PUBLISHED = "published", _("publiée")
    DECLINED = "declined", _("déclinée")


class EventProposal(models.Model):
    """Who proposed an event. Kept apart from the draft EventPage so that the contact's details
    never enter page revisions, and can be deleted on their own."""

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement créé"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Set when a company account proposes while logged in, or by a coordinator afterwards: what lets
    # the company see its own proposals in the admin. The typed name below stays as it was sent.
    company = models.ForeignKey(
        "stories.CompanyPage",
        verbose_name=_("entreprise (compte)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    company_name = models.CharField(_("entreprise ou organisme"), max_length=150)
    contact_name = models.CharField(_("contact"), max_length=120)
    contact_email = models.EmailField(_("e-mail du contact"))
    contact_phone = models.CharField(_("téléphone du contact"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    # When the proposal ended without its event: set when the draft is deleted (events.signals);
    # a decline that keeps the draft sets it too. Retention counts from here or from the event's end.
    closed_at = models.DateTimeField(_("classée sans suite le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("contact effacé le"), null=True, blank=True)

    # What became of it, told once to the contact by e-mail (events.proposal_outcome).
    outcome = models.CharField(
        _("suite donnée"), max_length=10, choices=ProposalOutcome.choices, default=ProposalOutcome.PENDING, blank=True
    )
    outcome_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decline_reason = models.TextField(
        _("raison du refus"),
        max_length=1000,
        blank=True,
        help_text=_("Envoyée à l'entreprise dans l'e-mail qui l'informe."),
    )

    objects = EventProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition d'événement")
        verbose_name_plural = _("propositions d'événements")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.company_name} — {self.created_at:%d/%m/%Y}"

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("proposition d'événement")
        verbose_name_plural = _("propositions d'événements")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.company_name} — {self.created_at:%d/%m/%Y}"

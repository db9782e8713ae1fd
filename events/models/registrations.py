"""Registrations for an event: no account, the least data, a waiting list, and retention.

Seats are decided inside a transaction that locks the event row (``select_for_update``), so two
workers can never both take the last seat on PostgreSQL; on SQLite writers are serialised by
``transaction_mode = IMMEDIATE`` (see settings)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgeRange(models.TextChoices):
    UNDER_15 = "moins-15", _("Moins de 15 ans")
    FROM_15_TO_17 = "15-17", _("15 à 17 ans")
    FROM_18_TO_25 = "18-25", _("18 à 25 ans")
    FROM_26_TO_30 = "26-30", _("26 à 30 ans")
    OVER_30 = "plus-30", _("Plus de 30 ans (parent, accompagnant…)")


class Companion(models.TextChoices):
    ALONE = "seul", _("Je viens seul·e")
    PARENT = "parent", _("Avec un parent")
    ADVISER = "conseiller", _("Avec un conseiller ou un éducateur")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class RegistrationQuerySet(models.QuerySet):
    def anonymise(self):
        """Erase everything that identifies the person, keep the row: status, age range and
        accompaniment stay, so the number of participants per event survives for impact figures.
        The one rule for ``purge_registrations`` and for an erasure request."""
        return self.update(
            first_name="",
            last_name="",
            email="",
            phone="",
            guardian_email="",
            neighbourhood="",
            anonymised_at=timezone.now(),
        )


class Registration(models.Model):
    event = models.ForeignKey(
        "events.EventPage", verbose_name=_("événement"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("statut"), max_length=12, choices=RegistrationStatus.choices)
    first_name = models.CharField(_("prénom"), max_length=60)
    last_name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    age_range = models.CharField(_("âge"), max_length=10, choices=AgeRange.choices)
    guardian_email = models.EmailField(_("e-mail d'un parent"), blank=True)
    neighbourhood = models.CharField(_("quartier ou commune"), max_length=120)
    companion = models.CharField(_("accompagnement"), max_length=12, choices=Companion.choices)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True, db_index=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("sortie de la liste d'attente le"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    promotion_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "created_at"]
        constraints = [
            # One live registration per e-mail and event; cancelled and anonymised rows do not count.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_registration_per_email_and_event",
            )
        ]

    def __str__(self):
        if self.anonymised_at:
            return f"Inscription anonymisée #{self.pk}"
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

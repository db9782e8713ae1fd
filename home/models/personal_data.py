"""The audit log of what coordinators did about one person's data (see ``home.personal_data``).

It answers « who looked up, exported or erased data, and when », and nothing about whom: no e-mail,
no name, not even a hash of the address. A hash of an e-mail is still personal data (anyone holding
the address recomputes it and finds the person's entries: pseudonymised, not anonymous), and keeping
it would let the log re-identify the very person who asked to be forgotten."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAction(models.TextChoices):
    SEARCH = "search", _("Recherche")
    EXPORT_HTML = "export-html", _("Export (page lisible)")
    EXPORT_JSON = "export-json", _("Export (JSON)")
    ERASE = "erase", _("Effacement")


class PersonalDataAuditEntry(models.Model):
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    # SET_NULL: closing a coordinator's account must stay possible; accounts are usually deactivated.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=PersonalDataAction.choices)
    # {kind: {outcome: number}}, keys from code only (checked by home.personal_data.record).
    counts = models.JSONField(_("nombres par type"), default=dict)

    class Meta:
        verbose_name = _("action sur des données personnelles")
        verbose_name_plural = _("journal des demandes sur les données personnelles")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        permissions = [("handle_personal_data_requests", _("Traiter les demandes d'accès et d'effacement"))]

    def __str__(self):
        return f"{self.get_action_display()} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def counts_text(self):
        from home.personal_data import describe_counts  # the registry knows each kind's label

        return " ; ".join(describe_counts(self.counts))

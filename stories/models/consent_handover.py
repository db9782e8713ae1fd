"""Signed consent forms handed over by a neighbourhood's editors for the coordinators to file.

Partner editors meet the families and collect the paper; only coordinators keep the ledger. A hand-over
is the paper changing hands: the scan, filed at once in the private collection, and who brought it
when. The editor never sees it again, nor anyone else's (``stories.consent_handover``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentHandover(models.Model):
    portrait = models.ForeignKey(
        "stories.PortraitPage", verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="consent_handovers"
    )
    # CASCADE: a hand-over without its document has nothing left to hand over.
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("formulaire signé"), on_delete=models.CASCADE, related_name="+"
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remis par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("remis le"), auto_now_add=True)
    note = models.CharField(
        _("remarque pour la coordination"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : « le père signe la semaine prochaine ». Rien de sensible."),
    )
    filed_at = models.DateTimeField(_("classé le"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("formulaire remis")
        verbose_name_plural = _("formulaires remis")
        ordering = ["-handed_over_at"]

    def __str__(self):
        return f"Formulaire remis le {self.handed_over_at:%d/%m/%Y} — {self.portrait.title}"

    @property
    def is_pending(self):
        return self.filed_at is None

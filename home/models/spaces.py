from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection


class EditorialSpace(models.Model):
    """What onboarding created for one neighbourhood: its editors' group and image collection.

    Kept as rows rather than found by name, so renaming a hub (or its group) never breaks the link,
    and onboarding can tell "already done" from "missing" without guessing."""

    neighbourhood = models.OneToOneField(
        "home.NeighbourhoodPage",
        verbose_name=_("quartier"),
        on_delete=models.CASCADE,
        related_name="editorial_space",
    )
    group = models.OneToOneField(
        Group, verbose_name=_("groupe des rédacteurs"), on_delete=models.PROTECT, related_name="editorial_space"
    )
    collection = models.OneToOneField(
        Collection, verbose_name=_("collection d'images"), on_delete=models.PROTECT, related_name="editorial_space"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("espace de rédaction")
        verbose_name_plural = _("espaces de rédaction")

    def __str__(self):
        return str(self.group)

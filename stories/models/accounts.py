from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyAccount(models.Model):
    """A company that may edit its own page: the group its people belong to.

    Kept as a row rather than found by the group's name, so renaming the company (or its group)
    never breaks the link, and ``stories.accounts`` can tell "already set up" from "missing"."""

    company = models.OneToOneField(
        "stories.CompanyPage", verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="account"
    )
    # PROTECT: deleting the group by hand would silently leave the account without members' rights.
    group = models.OneToOneField(
        Group, verbose_name=_("groupe"), on_delete=models.PROTECT, related_name="company_account"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte entreprise")
        verbose_name_plural = _("comptes entreprises")

    def __str__(self):
        return str(self.group)

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Site-wide information editors can change without a deployment."""

    demo_notice = models.BooleanField(
        _("afficher le bandeau « démonstration »"),
        default=False,
        help_text=_("À cocher tant que le site montre des contenus fictifs."),
    )
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    beneficiaries_goal = models.PositiveIntegerField(
        _("objectif de jeunes accompagnés"),
        default=3000,
        help_text=_("Objectif commun des quartiers, affiché avec les chiffres d'impact."),
    )
    footer_text = models.CharField(
        _("texte du pied de page"),
        max_length=255,
        blank=True,
        default="Impact Jeunes — de l'envie à la réussite.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("footer_text")], heading=_("Contact")),
        FieldPanel("beneficiaries_goal"),
        FieldPanel("demo_notice"),
    ]

    class Meta:
        verbose_name = _("réglages du site")

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def current_year():
    return datetime.date.today().year


class ImpactFigure(models.Model):
    """One year of one neighbourhood's results, as the programme reports them to its funders.

    Entered by coordinators, never by the neighbourhood's own editors: these are the figures the
    programme is judged on. Aggregates only, no personal data."""

    neighbourhood = models.ForeignKey(
        "home.NeighbourhoodPage",
        verbose_name=_("quartier"),
        on_delete=models.CASCADE,
        related_name="impact_figures",
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        default=current_year,
        validators=[MinValueValidator(2020), MaxValueValidator(2100)],
    )
    young_people_accompanied = models.PositiveIntegerField(
        _("jeunes accompagnés"), default=0, help_text=_("Jeunes de 13 à 30 ans suivis pendant l'année.")
    )
    parents_reached = models.PositiveIntegerField(_("parents touchés"), default=0)
    young_people_in_job_or_training = models.PositiveIntegerField(
        _("jeunes en emploi ou en formation"),
        default=0,
        help_text=_("Parmi les jeunes accompagnés : ceux qui ont trouvé un emploi, une alternance ou une formation."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("D'où viennent ces chiffres (bilan annuel, tableau de suivi…)."),
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("chiffres d'impact")
        verbose_name_plural = _("chiffres d'impact")
        ordering = ["-year", "neighbourhood__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "year"],
                name="one_impact_figure_per_neighbourhood_year",
                violation_error_message=_(
                    "Les chiffres de ce quartier pour cette année existent déjà : modifiez-les plutôt."
                ),
            )
        ]

    def __str__(self):
        return f"{self.neighbourhood} — {self.year}"

    def clean(self):
        super().clean()
        if self.young_people_in_job_or_training > self.young_people_accompanied:
            raise ValidationError(
                {
                    "young_people_in_job_or_training": _(
                        "Ce nombre ne peut pas dépasser celui des jeunes accompagnés la même année."
                    )
                }
            )

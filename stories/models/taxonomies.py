"""Taxonomies that coordinators keep up to date: sectors, starting points and schemes (dispositifs)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class SluggedModel(models.Model):
    """A named term with a URL-safe slug used in public filter links (``?secteur=btp``)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(
        _("identifiant dans l'adresse"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Laissez vide : il est calculé à partir du nom."),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Sector(SluggedModel):
    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(SluggedModel.Meta):
        verbose_name = _("secteur d'activité")
        verbose_name_plural = _("secteurs d'activité")


class StartingPoint(SluggedModel):
    """Where a young person started from (sans diplôme, jeune parent…): editable, never hard-coded,
    because the words that feel respectful change and differ between neighbourhoods."""

    description = models.CharField(
        _("description"),
        max_length=250,
        blank=True,
        help_text=_("Une phrase, sans jugement, qui explique ce point de départ."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(SluggedModel.Meta):
        verbose_name = _("point de départ")
        verbose_name_plural = _("points de départ")


class Dispositif(index.Indexed, SluggedModel):
    """A public scheme that helps young people (Mission Locale, apprentissage, E2C…), described in
    our own words. Portraits link their parcours steps to it."""

    short_name = models.CharField(
        _("sigle"), max_length=30, blank=True, help_text=_("Par exemple : E2C, CEJ. Facultatif.")
    )
    audience = models.TextField(_("pour qui ?"), max_length=600)
    age_min = models.PositiveSmallIntegerField(
        _("âge minimum"), null=True, blank=True, validators=[MinValueValidator(11), MaxValueValidator(99)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("âge maximum"), null=True, blank=True, validators=[MinValueValidator(11), MaxValueValidator(99)]
    )
    offer = models.TextField(_("ce que ça apporte"), max_length=1200)
    official_url = models.URLField(_("site officiel"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")])],
            heading=_("Public"),
        ),
        FieldPanel("offer"),
        FieldPanel("official_url"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.SearchField("audience"),
        index.SearchField("offer"),
    ]

    class Meta(SluggedModel.Meta):
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")

    def clean(self):
        super().clean()
        if self.age_min and self.age_max and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")})

    @property
    def age_range(self):
        if self.age_min and self.age_max:
            return f"de {self.age_min} à {self.age_max} ans"
        if self.age_min:
            return f"à partir de {self.age_min} ans"
        if self.age_max:
            return f"jusqu'à {self.age_max} ans"
        return ""

"""Companies that open their doors to young people, and what they offer."""

from django.db import models
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.models.pages import attach_neighbourhoods, image_foreign_key, paginate

OFFER_KINDS = [
    ("stage-3e", _("Stage de 3e")),
    ("stage", _("Stage (lycée, études)")),
    ("alternance", _("Alternance, apprentissage")),
    ("job-ete", _("Job d'été")),
    ("cdd", _("CDD")),
    ("cdi", _("CDI")),
    ("visite", _("Visite d'entreprise")),
    ("parrainage", _("Parrainage, mentorat")),
]
OFFER_LABELS = dict(OFFER_KINDS)


class CompanyIndexPage(Page):
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.CompanyPage"]
    per_page = 24

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("liste des entreprises")

    def get_context(self, request, *args, **kwargs):
        from stories.models.taxonomies import Sector

        context = super().get_context(request, *args, **kwargs)
        companies = CompanyPage.listing_queryset().child_of(self)
        sectors = list(Sector.objects.filter(companies__in=companies).distinct())

        selected_sector = next((s for s in sectors if s.slug == request.GET.get("secteur")), None)
        selected_offer = request.GET.get("offre", "")
        if selected_sector is not None:
            companies = companies.filter(sector=selected_sector)
        if selected_offer in OFFER_LABELS:
            companies = companies.filter(offers__kind=selected_offer).distinct()
        else:
            selected_offer = ""

        filters = {"secteur": selected_sector.slug if selected_sector else "", "offre": selected_offer}
        context.update(
            companies=paginate(request, companies, self.per_page),
            sectors=sectors,
            offer_kinds=OFFER_KINDS,
            selected_sector=selected_sector,
            selected_offer=selected_offer,
            filter_query=urlencode({name: value for name, value in filters.items() if value}),
        )
        return context


class CompanyPage(Page):
    """A company's presentation. The portraits of people who work there are derived from the
    portraits' employer field, never typed twice."""

    parent_page_types = ["stories.CompanyIndexPage"]
    subpage_types = []

    logo = image_foreign_key(_("logo"))
    sector = models.ForeignKey(
        "stories.Sector",
        verbose_name=_("secteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    commune = models.CharField(_("commune"), max_length=100)
    summary = models.TextField(
        _("en une phrase"), max_length=300, help_text=_("Affichée dans la liste des entreprises.")
    )
    presentation = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("présentation"))
    website = models.URLField(_("site web"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("sector"), FieldPanel("commune"), FieldPanel("website")],
            heading=_("L'entreprise"),
        ),
        FieldPanel("summary"),
        InlinePanel("offers", heading=_("Ce que l'entreprise propose aux jeunes"), label=_("Offre")),
        FieldPanel("presentation"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("presentation"),
        index.AutocompleteField("commune"),
        index.FilterField("sector"),
    ]

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")

    @classmethod
    def listing_queryset(cls):
        return (
            cls.objects.live()
            .public()
            .select_related("logo", "sector")
            .prefetch_related("logo__renditions", "offers")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        from stories.models.portraits import PortraitPage

        context = super().get_context(request, *args, **kwargs)
        context["offers"] = self.offers.all()
        # Cards say where each person grew up, as in every other portrait list.
        context["portraits"] = attach_neighbourhoods(PortraitPage.listing_queryset().filter(employer_page=self)[:12])
        return context


class CompanyOffer(Orderable):
    page = ParentalKey(CompanyPage, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("type d'offre"), max_length=20, choices=OFFER_KINDS)
    details = models.CharField(
        _("précisions"),
        max_length=250,
        blank=True,
        help_text=_("Par exemple : 4 places par an au service maintenance, candidature en mars."),
    )

    panels = [FieldPanel("kind"), FieldPanel("details")]

    class Meta(Orderable.Meta):
        verbose_name = _("offre")
        verbose_name_plural = _("offres")

    def __str__(self):
        return self.get_kind_display()

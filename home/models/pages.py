from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.departments import DEPARTMENT_CHOICES, DEPARTMENT_NAMES
from home.french import DEFAULT_PREPOSITION, PREPOSITION_CHOICES, in_place, of_place

# Rendition specs used by listings; prefetching exactly these keeps listing queries constant.
CARD_IMAGE_SPECS = ("fill-480x270|format-avif", "fill-480x270|format-webp", "fill-480x270|format-jpeg")


def image_foreign_key(verbose_name, **kwargs):
    return models.ForeignKey(
        "home.CustomImage",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


def paginate(request, queryset, per_page):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class HomePage(Page):
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    # Strings, not imports: home never imports stories or events (see docs/conventions.md).
    subpage_types = [
        "home.NeighbourhoodIndexPage",
        "home.StandardPage",
        "stories.PortraitIndexPage",
        "stories.CompanyIndexPage",
        "stories.DispositifIndexPage",
        "events.EventIndexPage",
    ]

    hero_title = models.CharField(_("titre d'accroche"), max_length=120)
    hero_text = models.TextField(_("texte d'accroche"), max_length=400, blank=True)
    hero_image = image_foreign_key(_("image d'accroche"))
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Accroche"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("hero_text")]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["neighbourhoods"] = NeighbourhoodPage.listing_queryset()[:6]
        return context


class NeighbourhoodIndexPage(Page):
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NeighbourhoodPage"]
    per_page = 24

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("liste des quartiers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        neighbourhoods = NeighbourhoodPage.listing_queryset().descendant_of(self)
        communes = sorted(set(neighbourhoods.values_list("commune", flat=True)))
        department_codes = set(neighbourhoods.values_list("department", flat=True))
        departments = [(code, label) for code, label in DEPARTMENT_CHOICES if code in department_codes]

        selected_commune = request.GET.get("commune", "")
        selected_department = request.GET.get("departement", "")
        if selected_commune in communes:
            neighbourhoods = neighbourhoods.filter(commune=selected_commune)
        else:
            selected_commune = ""
        if selected_department in department_codes:
            neighbourhoods = neighbourhoods.filter(department=selected_department)
        else:
            selected_department = ""

        # Pagination links carry the active filters, so page 2 is page 2 of the same selection.
        filter_query = urlencode(
            {
                name: value
                for name, value in (("commune", selected_commune), ("departement", selected_department))
                if value
            }
        )
        context.update(
            neighbourhoods=paginate(request, neighbourhoods, self.per_page),
            communes=communes,
            departments=departments,
            selected_commune=selected_commune,
            selected_department=selected_department,
            filter_query=filter_query,
        )
        return context


class NeighbourhoodPage(RoutablePageMixin, Page):
    """The hub of one neighbourhood. Its portraits and local events live below it in the tree, so
    the editors' permission on this subtree is the whole of "who edits this cité"."""

    parent_page_types = ["home.NeighbourhoodIndexPage"]
    subpage_types = ["stories.PortraitPage", "events.EventPage"]

    preposition = models.CharField(
        _("on dit"),
        max_length=10,
        choices=PREPOSITION_CHOICES,
        default=DEFAULT_PREPOSITION,
        help_text=_(
            "Ce que le site écrit devant le nom : « ils ont grandi à Tarascon », « au Parc Bellevue », « aux "
            "Lauriers ». Un article au début du nom (« Les Lauriers ») est remplacé par « aux », « au »…"
        ),
    )
    commune = models.CharField(_("commune"), max_length=100, help_text=_("Par exemple : Marseille 3e, Tarascon."))
    department = models.CharField(_("département"), max_length=3, choices=DEPARTMENT_CHOICES)
    intro = models.TextField(_("présentation"), max_length=800, help_text=_("Quelques phrases sur le quartier."))
    hero_image = image_foreign_key(_("image principale"))
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("preposition"),
        MultiFieldPanel(
            [FieldPanel("commune"), FieldPanel("department")],
            heading=_("Où se trouve le quartier"),
        ),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("partners", heading=_("Associations partenaires"), label=_("Association")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.AutocompleteField("commune"),
        index.FilterField("commune"),
        index.FilterField("department"),
    ]

    class Meta:
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")

    @property
    def department_name(self):
        return DEPARTMENT_NAMES.get(self.department, self.department)

    @property
    def in_name(self):
        """« à Tarascon », « aux Lauriers – Olivier A »: wherever the site says where something is."""
        return in_place(self.preposition, self.title)

    @property
    def of_name(self):
        """« de Tarascon », « des Lauriers – Olivier A »."""
        return of_place(self.preposition, self.title)

    @classmethod
    def listing_queryset(cls):
        return (
            cls.objects.live()
            .public()
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .order_by("title")
        )

    @classmethod
    def filter_options(cls):
        """The hubs offered in listings' « Quartier » filters (and used to label their cards)."""
        return list(cls.objects.live().public().order_by("title").only("id", "title", "slug", "path", "preposition"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.all()
        return context

    @path("affiche/")
    def poster(self, request):
        from home.posters import neighbourhood_poster

        return neighbourhood_poster(self, request)


def attach_neighbourhoods(pages, neighbourhoods=None):
    """Set ``page.neighbourhood`` to each page's parent hub (None when the parent is not a
    neighbourhood, e.g. a territory-wide event) with one query for the whole list, instead of one
    ``get_parent()`` per card. Portraits and local events both live directly under their hub."""
    pages = list(pages)
    if neighbourhoods is None:
        parent_paths = {page.path[: -Page.steplen] for page in pages}
        neighbourhoods = NeighbourhoodPage.objects.filter(path__in=parent_paths).only(
            "id", "title", "slug", "path", "preposition"
        )
    by_path = {neighbourhood.path: neighbourhood for neighbourhood in neighbourhoods}
    for page in pages:
        page.neighbourhood = by_path.get(page.path[: -Page.steplen])
    return pages


class NeighbourhoodPartner(Orderable):
    page = ParentalKey(NeighbourhoodPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("nom"), max_length=150)
    description = models.CharField(_("ce qu'elle fait"), max_length=300, blank=True)
    website = models.URLField(_("site web"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("website")]

    class Meta(Orderable.Meta):
        verbose_name = _("association partenaire")
        verbose_name_plural = _("associations partenaires")

    def __str__(self):
        return self.name


class StandardPage(Page):
    """Plain editorial pages: à propos, mentions légales, confidentialité, accessibilité."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    intro = models.TextField(_("chapeau"), max_length=500, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")

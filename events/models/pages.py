"""Job forums and other events: pages under a neighbourhood (local) or under /evenements/
(territory-wide). Dates are timezone-aware and filtered in the database."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.blocks import BodyStreamBlock
from home.models import NeighbourhoodPage
from home.models.pages import attach_neighbourhoods, image_foreign_key, paginate


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum emploi")
    JOB_DATING = "job-dating", _("Job dating")
    COMPANY_VISIT = "visite", _("Visite d'entreprise")
    CV_WORKSHOP = "atelier-cv", _("Atelier CV et entretien")
    INFORMATION = "information", _("Réunion d'information")
    OTHER = "autre", _("Autre rendez-vous")


MONTH_NAMES = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def month_bounds(year, month):
    """Start and end (exclusive) of a month in the site's timezone, as aware datetimes: a month
    filter must follow Paris midnight, not UTC's, or events on the 1st at 00:30 land in the wrong month."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    last_day = calendar.monthrange(year, month)[1]
    end = datetime.datetime(year, month, last_day, tzinfo=tz) + datetime.timedelta(days=1)
    return start, end


class EventQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        # An event still running counts as upcoming: it ends in the future.
        return self.filter(end_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(end_at__lt=now or timezone.now())

    def next_change(self, now):
        """The first instant after ``now`` when one of these events starts, ends or closes its
        registrations — when listings and event pages change without anything being saved."""
        instants = self.aggregate(
            start=Min("start_at", filter=Q(start_at__gt=now)),
            end=Min("end_at", filter=Q(end_at__gt=now)),
            deadline=Min("registration_deadline", filter=Q(registration_deadline__gt=now)),
        )
        return min((instant for instant in instants.values() if instant is not None), default=None)


EventManager = PageManager.from_queryset(EventQuerySet)


class EventIndexPage(RoutablePageMixin, Page):
    """/evenements/: every upcoming event, local or territory-wide, with filters, an archive, calendar
    feeds and the companies' proposal form."""

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    per_page = 20

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("liste des événements")

    def filtered_events(self, request, events):
        neighbourhoods = NeighbourhoodPage.filter_options()
        selected = {}
        neighbourhood = next((n for n in neighbourhoods if n.slug == request.GET.get("quartier")), None)
        if neighbourhood is not None:
            events = events.descendant_of(neighbourhood)
            selected["quartier"] = neighbourhood.slug
        kind = request.GET.get("type", "")
        if kind in EventKind.values:
            events = events.filter(kind=kind)
            selected["type"] = kind
        month = request.GET.get("mois", "")
        try:
            year, month_number = (int(part) for part in month.split("-"))
            # Years at the edge of what datetime holds overflow once shifted to UTC: ignore them
            # like any other unknown value rather than answer 500.
            if not 1900 <= year <= 9000:
                raise ValueError(month)
            start, end = month_bounds(year, month_number)
        except (ValueError, TypeError):
            pass
        else:
            # Events overlapping the month; one ending exactly at midnight on the 1st belongs to the month before.
            events = events.filter(start_at__lt=end, end_at__gt=start)
            selected["mois"] = f"{year:04d}-{month_number:02d}"
        return events, neighbourhoods, selected

    def month_choices(self, events):
        """The months that have events in ``events``, for the filter: computed in the database."""
        months = events.datetimes("start_at", "month", tzinfo=timezone.get_current_timezone())
        return [(f"{m.year:04d}-{m.month:02d}", f"{MONTH_NAMES[m.month - 1]} {m.year}") for m in months]

    def render_listing(self, request, events, archive):
        base = EventPage.objects.live().public()
        events, neighbourhoods, selected = self.filtered_events(request, events)
        page_obj = paginate(request, events, self.per_page)
        attach_neighbourhoods(page_obj.object_list, neighbourhoods)
        return self.render(
            request,
            context_overrides={
                "events": page_obj,
                "archive": archive,
                "neighbourhoods": neighbourhoods,
                "kinds": EventKind.choices,
                "months": self.month_choices(base.past() if archive else base.upcoming()),
                "selected": selected,
                "filter_query": urlencode(selected),
            },
        )

    @path("")
    def upcoming_events(self, request):
        # The pk breaks ties between events starting at the same time, so pages never overlap.
        return self.render_listing(request, EventPage.listing_queryset().upcoming().order_by("start_at", "pk"), False)

    @path("archives/")
    def past_events(self, request):
        return self.render_listing(request, EventPage.listing_queryset().past().order_by("-start_at", "-pk"), True)

    @path("proposer/")
    def propose(self, request):
        from events.proposals import proposal_view

        return proposal_view(self, request)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        urls.append({"location": f"{self.get_full_url(request)}archives/"})
        return urls


class EventPage(RoutablePageMixin, Page):
    parent_page_types = ["home.NeighbourhoodPage", "events.EventIndexPage"]
    subpage_types = []

    kind = models.CharField(_("type d'événement"), max_length=20, choices=EventKind.choices, default=EventKind.FORUM)
    start_at = models.DateTimeField(_("début"))
    end_at = models.DateTimeField(_("fin"))
    summary = models.TextField(_("en une phrase"), max_length=300, help_text=_("Affichée dans les listes."))
    image = image_foreign_key(_("image"))
    venue = models.CharField(_("lieu"), max_length=150, help_text=_("Par exemple : Centre social Bellevue."))
    address = models.CharField(_("adresse"), max_length=250)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=100)
    transport = models.TextField(
        _("y aller en transports en commun"),
        max_length=600,
        blank=True,
        help_text=_("Lignes de bus, tram ou métro et arrêt le plus proche."),
    )
    wheelchair_access = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    hearing_loop = models.BooleanField(_("boucle magnétique"), default=False)
    sign_language = models.BooleanField(_("interprète en langue des signes (LSF)"), default=False)
    accessibility_notes = models.CharField(_("autres informations d'accessibilité"), max_length=300, blank=True)
    parents_welcome = models.BooleanField(_("les parents sont les bienvenus"), default=True)
    preparation_tips = models.TextField(
        _("conseils pour se préparer"),
        max_length=1500,
        blank=True,
        help_text=_("Un conseil par ligne, par exemple : « Apporte plusieurs CV imprimés »."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("présentation"))
    registration_enabled = models.BooleanField(_("inscription en ligne"), default=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Laissez vide si les places ne sont pas limitées.")
    )
    registration_deadline = models.DateTimeField(
        _("date limite d'inscription"), null=True, blank=True, help_text=_("Laissez vide : jusqu'au début.")
    )

    objects = EventManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")], heading=_("Dates")),
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("commune")]),
                FieldPanel("transport"),
            ],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("wheelchair_access"),
                FieldPanel("hearing_loop"),
                FieldPanel("sign_language"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibilité du lieu"),
        ),
        InlinePanel("participants", heading=_("Entreprises présentes"), label=_("Entreprise")),
        FieldPanel("preparation_tips"),
        FieldPanel("parents_welcome"),
        MultiFieldPanel(
            [FieldPanel("registration_enabled"), FieldPanel("capacity"), FieldPanel("registration_deadline")],
            heading=_("Inscriptions"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("commune"),
        index.FilterField("kind"),
        index.FilterField("start_at"),
        index.FilterField("end_at"),
    ]

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            errors["end_at"] = _("La fin doit être après le début.")
        if self.registration_deadline and self.end_at and self.registration_deadline > self.end_at:
            errors["registration_deadline"] = _("La date limite d'inscription doit précéder la fin de l'événement.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def listing_queryset(cls):
        return (
            cls.objects.live()
            .public()
            # Cards show no image (lighter lists on weak data plans): only the event page does.
            # distinct: callers filter on participants (a multi-valued join) after this annotation, which
            # would otherwise count each registration once per matching company.
            .annotate(
                confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed"), distinct=True)
            )
        )

    @classmethod
    def feed_queryset(cls):
        # Feeds keep recent past events so calendars that already hold them do not lose them at once.
        since = timezone.now() - datetime.timedelta(days=90)
        return cls.objects.live().public().filter(end_at__gte=since).order_by("start_at")

    @property
    def is_past(self):
        return self.end_at < timezone.now()

    @property
    def accessibility_features(self):
        features = []
        if self.wheelchair_access:
            features.append("Accessible en fauteuil roulant")
        if self.hearing_loop:
            features.append("Boucle magnétique")
        if self.sign_language:
            features.append("Interprète en langue des signes (LSF)")
        return features

    @property
    def tips(self):
        return [line.strip(" -•") for line in self.preparation_tips.splitlines() if line.strip(" -•")]

    def confirmed_seats(self):
        if hasattr(self, "confirmed_count"):
            return self.confirmed_count
        return self.registrations.filter(status="confirmed").count()

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_seats(), 0)

    def registration_closes_at(self):
        return self.registration_deadline or self.start_at

    def registration_is_open(self, now=None):
        return self.registration_enabled and (now or timezone.now()) < self.registration_closes_at()

    @path("")
    def event(self, request):
        from events.views import event_page_view

        return event_page_view(self, request)

    @path("affiche/")
    def poster(self, request):
        from home.posters import event_poster

        return event_poster(self, request)


class EventCompany(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="participants")
    company = models.ForeignKey(
        "stories.CompanyPage",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="event_participations",
    )
    hiring_for = models.CharField(
        _("ce qu'elle recrute"),
        max_length=250,
        blank=True,
        help_text=_("Par exemple : 5 alternances en logistique, jobs d'été en magasin."),
    )

    panels = [FieldPanel("company"), FieldPanel("hiring_for")]

    class Meta(Orderable.Meta):
        verbose_name = _("entreprise présente")
        verbose_name_plural = _("entreprises présentes")

    def __str__(self):
        return str(self.company)

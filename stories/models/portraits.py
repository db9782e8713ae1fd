"""Portraits of young people who made it, and the listing that lets others find them."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.models import NeighbourhoodPage
from home.models.pages import attach_neighbourhoods, image_foreign_key, paginate
from stories.blocks import PortraitStreamBlock
from stories.models.consent import ConsentRequired, get_consent, go_live_problems
from stories.panels import ConsentStatusPanel

NAME_PARTICLES = {"des", "del", "der", "den", "van", "von", "dos", "das", "les"}


class PrivacyLevel(models.TextChoices):
    FULL_NAME = "full", _("Prénom et nom")
    FIRST_NAME = "first", _("Prénom seulement")
    CHANGED = "changed", _("Prénom modifié")


class PortraitTag(TaggedItemBase):
    content_object = ParentalKey("stories.PortraitPage", on_delete=models.CASCADE, related_name="tagged_items")


def site_consent_filter(prefix=""):
    """Queryset condition for portraits whose consent covers the site today. Publishing already
    requires it; this makes expiry and withdrawal immediate, before the cron job unpublishes."""
    today = timezone.localdate()
    # A withdrawal dated in the future (recorded ahead of time) takes effect on that day, as on the page.
    not_withdrawn = Q(**{f"{prefix}consent__withdrawn_on__isnull": True}) | Q(
        **{f"{prefix}consent__withdrawn_on__gt": today}
    )
    return not_withdrawn & Q(
        **{
            f"{prefix}consent__covers_site": True,
            f"{prefix}consent__subject_agreed": True,
            f"{prefix}consent__given_on__lte": today,
            f"{prefix}consent__expires_on__gte": today,
        }
    )


class PortraitPageForm(WagtailAdminPageForm):
    """Says, before anything is saved, why a publish or an approval would be refused."""

    def clean(self):
        cleaned_data = super().clean()
        wants_live = "action-publish" in self.data or (
            "action-workflow-action" in self.data
            and self.data.get("workflow-action-name") == "approve"
            and self._approval_finishes_workflow()
        )
        if wants_live:
            candidate = PortraitPage(
                pk=self.instance.pk,
                age=cleaned_data.get("age"),
                photo=cleaned_data.get("photo"),
                go_live_at=cleaned_data.get("go_live_at"),
            )
            problems = go_live_problems(candidate)
            if problems:
                self.add_error(None, ConsentRequired(self.instance.pk, problems).message)
        return cleaned_data

    def _approval_finishes_workflow(self):
        """Only the last task's approval publishes. Earlier reviewers (e.g. proofreading) may
        approve their step before the consent is recorded; the last step stays gated."""
        from wagtail.models import Task

        state = self.instance.current_workflow_state if self.instance.pk else None
        if state is None or state.current_task_state is None:
            return True  # Wagtail will refuse the action itself; check anyway
        # Same rule as WorkflowState.get_next_task, minus the task being approved now.
        remaining = (
            Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True)
            .exclude(task_states__in=state.successful_task_states)
            .exclude(pk=state.current_task_state.task_id)
        )
        return not remaining.exists()


class PortraitIndexPage(Page):
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    per_page = 12

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("liste des portraits")

    def get_context(self, request, *args, **kwargs):
        from stories.models.taxonomies import Sector, StartingPoint

        context = super().get_context(request, *args, **kwargs)
        portraits = PortraitPage.listing_queryset()
        neighbourhoods = NeighbourhoodPage.filter_options()
        sectors = list(Sector.objects.all())
        starting_points = list(StartingPoint.objects.all())
        tags = list(
            Tag.objects.filter(stories_portraittag_items__content_object__in=portraits)
            .annotate(uses=Count("stories_portraittag_items"))
            .order_by("-uses", "name")[:20]
        )

        selected = {}
        neighbourhood = next((n for n in neighbourhoods if n.slug == request.GET.get("quartier")), None)
        if neighbourhood is not None:
            portraits = portraits.descendant_of(neighbourhood)
            selected["quartier"] = neighbourhood.slug
        sector = next((s for s in sectors if s.slug == request.GET.get("secteur")), None)
        if sector is not None:
            portraits = portraits.filter(sector=sector)
            selected["secteur"] = sector.slug
        starting_point = next((s for s in starting_points if s.slug == request.GET.get("depart")), None)
        if starting_point is not None:
            portraits = portraits.filter(starting_points=starting_point)
            selected["depart"] = starting_point.slug
        tag_slug = request.GET.get("tag", "")
        tag = next((t for t in tags if t.slug == tag_slug), None) or (
            Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
        )
        if tag is not None:
            portraits = portraits.filter(tags=tag)
            selected["tag"] = tag.slug
            if tag not in tags:
                tags.append(tag)

        page_obj = paginate(request, portraits, self.per_page)
        attach_neighbourhoods(page_obj.object_list, neighbourhoods)
        # Tag links keep the other filters, so "apprentissage" narrows the current selection.
        others = {name: value for name, value in selected.items() if name != "tag"}
        tag_links = [
            (t, urlencode({**others, "tag": t.slug}) if t.slug != selected.get("tag") else urlencode(others))
            for t in tags
        ]
        context.update(
            portraits=page_obj,
            neighbourhoods=neighbourhoods,
            sectors=sectors,
            starting_points=starting_points,
            tag_links=tag_links,
            selected=selected,
            filter_query=urlencode(selected),
        )
        return context


class PortraitPage(Page):
    """One young person's story. Its neighbourhood is its parent page; its consent lives in the
    ledger (``PortraitConsent``), never in the page or its revisions."""

    parent_page_types = ["home.NeighbourhoodPage"]
    subpage_types = []
    base_form_class = PortraitPageForm

    first_name = models.CharField(
        _("prénom affiché"),
        max_length=60,
        help_text=_(
            "Si le prénom est modifié, saisissez le prénom d'emprunt : le vrai nom ne figure que dans "
            "le registre des consentements."
        ),
    )
    last_name = models.CharField(
        _("nom"), max_length=80, blank=True, help_text=_("Seulement si la personne accepte que son nom paraisse.")
    )
    privacy_level = models.CharField(
        _("identité affichée"), max_length=10, choices=PrivacyLevel.choices, default=PrivacyLevel.FIRST_NAME
    )
    age = models.PositiveSmallIntegerField(
        _("âge"),
        validators=[MinValueValidator(11), MaxValueValidator(99)],
        help_text=_("L'âge affiché sur le portrait."),
    )
    photo = image_foreign_key(_("photo"), help_text=_("Facultative. Réglez le point focal sur le visage."))
    photo_alt = models.CharField(
        _("description de la photo"),
        max_length=250,
        blank=True,
        help_text=_(
            "Ce que montre la photo, pour les personnes aveugles. Exemple : « Inès sourit devant le four "
            "de la boulangerie »."
        ),
    )
    photo_is_decorative = models.BooleanField(
        _("photo décorative"), default=False, help_text=_("Cochez seulement si la photo n'apporte aucune information.")
    )
    quote = models.CharField(
        _("citation"), max_length=280, help_text=_("Une phrase à la première personne, par exemple « J'ai osé… ».")
    )
    job_title = models.CharField(_("métier actuel"), max_length=120)
    employer_page = models.ForeignKey(
        "stories.CompanyPage",
        verbose_name=_("employeur (page entreprise)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    employer_name = models.CharField(
        _("employeur (sans page)"),
        max_length=150,
        blank=True,
        help_text=_("Si l'employeur n'a pas de page sur le site."),
    )
    sector = models.ForeignKey(
        "stories.Sector",
        verbose_name=_("secteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="portraits",
    )
    starting_points = ParentalManyToManyField(
        "stories.StartingPoint", verbose_name=_("points de départ"), blank=True, related_name="portraits"
    )
    tags = ClusterTaggableManager(through=PortraitTag, blank=True, verbose_name=_("mots-clés"))
    easy_read_summary = models.TextField(
        _("en bref (facile à lire)"),
        max_length=800,
        blank=True,
        help_text=_("Résumé en Facile à lire et à comprendre (FALC) : phrases courtes, mots simples."),
    )
    body = StreamField(PortraitStreamBlock(), verbose_name=_("récit"))
    # Derived from the parcours steps on every save, so /dispositifs/ can list who used a scheme
    # with one query instead of reading every portrait's StreamField.
    dispositifs = ParentalManyToManyField(
        "stories.Dispositif", blank=True, editable=False, related_name="portraits", verbose_name=_("dispositifs")
    )

    content_panels = [
        *Page.content_panels,
        ConsentStatusPanel(heading=_("Consentement")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
                FieldPanel("privacy_level"),
                FieldPanel("age"),
            ],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_alt"), FieldPanel("photo_is_decorative")],
            heading=_("Photo"),
        ),
        FieldPanel("quote"),
        MultiFieldPanel(
            [
                FieldPanel("job_title"),
                FieldPanel("employer_page"),
                FieldPanel("employer_name"),
                FieldPanel("sector"),
            ],
            heading=_("Aujourd'hui"),
        ),
        FieldPanel("starting_points", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("easy_read_summary"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("quote"),
        index.SearchField("job_title"),
        index.SearchField("easy_read_summary"),
        index.SearchField("body"),
        index.AutocompleteField("job_title"),
        index.FilterField("sector"),
    ]

    class Meta:
        verbose_name = _("portrait")
        verbose_name_plural = _("portraits")

    def clean(self):
        super().clean()
        errors = {}
        if self.privacy_level != PrivacyLevel.FULL_NAME and self.last_name.strip():
            errors["last_name"] = _(
                "Le nom n'est affiché qu'avec « Prénom et nom » : videz ce champ ou changez l'identité affichée."
            )
        if self.privacy_level == PrivacyLevel.FULL_NAME and not self.last_name.strip():
            errors["last_name"] = _("Indiquez le nom, ou choisissez « Prénom seulement ».")
        if self.photo_id and not self.photo_is_decorative and not self.photo_alt.strip():
            errors["photo_alt"] = _("Décrivez la photo, ou cochez « photo décorative ».")
        if self.employer_page_id and self.employer_name.strip():
            errors["employer_name"] = _("Choisissez une page entreprise ou saisissez un nom, pas les deux.")
        for field in self.fields_showing_hidden_name():
            errors.setdefault(
                field,
                _(
                    "Le nom inscrit au registre des consentements ne doit pas paraître dans le titre ni dans "
                    "l'adresse de la page : gardez seulement le prénom affiché."
                ),
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.dispositifs.set(self.parcours_dispositif_ids())
            self.dispositifs.commit()
        return result

    def fields_showing_hidden_name(self):
        """``title`` and/or ``slug`` when they carry a word of the real name in the consent ledger that
        the privacy level hides. The admin derives the slug from the title, so a title typed as the
        full name would put the last name in every link to the portrait and in the sitemap."""
        if self.privacy_level == PrivacyLevel.FULL_NAME:
            return []
        consent = get_consent(self)
        if consent is None:
            return []
        shown = set(slugify(self.first_name).split("-"))
        # Short words and particles ("de", "el", "van") are too common in titles to mean the name.
        hidden = {
            word for word in slugify(consent.subject_name).split("-") if len(word) > 2 and word not in NAME_PARTICLES
        } - shown
        return [field for field in ("title", "slug") if hidden & set(slugify(getattr(self, field) or "").split("-"))]

    @property
    def display_name(self):
        if self.privacy_level == PrivacyLevel.FULL_NAME and self.last_name:
            return f"{self.first_name} {self.last_name}"
        return self.first_name

    @property
    def name_is_changed(self):
        return self.privacy_level == PrivacyLevel.CHANGED

    @property
    def employer_label(self):
        return self.employer_page.title if self.employer_page_id else self.employer_name

    @classmethod
    def listing_queryset(cls):
        return (
            cls.objects.live()
            .public()
            .filter(site_consent_filter())
            .select_related("photo", "sector", "employer_page")
            .prefetch_related("photo__renditions")
            .order_by("-first_published_at", "-pk")
        )

    def parcours_dispositif_ids(self):
        ids = set()
        for block in self.body or []:
            if block.block_type == "parcours":
                for step in block.value.get("steps") or []:
                    if step.get("dispositif") is not None:
                        ids.add(step["dispositif"].pk)
        return sorted(ids)

    def publish(self, revision, *args, **kwargs):
        # Every way of going live (button, workflow approval, schedule, bulk action, revert) ends here.
        problems = go_live_problems(revision.as_object())
        if problems:
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                # publish_scheduled publishes every due revision in one loop with no error handling:
                # raising here would abort it for every other page, on every cron run. Cancel this
                # schedule instead; the portrait stays offline and the editor sees it as a draft.
                import logging  # local: keeps this gate self-contained

                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                logging.getLogger(__name__).warning(
                    "Scheduled publication of portrait pk=%s cancelled: %s", self.pk, " ".join(problems)
                )
                return None
            raise ConsentRequired(self.pk, problems)
        return super().publish(revision, *args, **kwargs)

    def serve(self, request, *args, **kwargs):
        consent = get_consent(self)
        problems = go_live_problems(self) if consent is not None else ["no consent"]
        if problems and not getattr(request, "is_preview", False):
            raise Http404
        request.portrait_consent = consent
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        neighbourhood = self.get_parent().specific
        same_place_or_sector = Q(path__startswith=neighbourhood.path)
        # A portrait whose sector was deleted must not be "related" to every other sector-less one.
        if self.sector_id is not None:
            same_place_or_sector |= Q(sector_id=self.sector_id)
        related = PortraitPage.listing_queryset().exclude(pk=self.pk).filter(same_place_or_sector).distinct()[:3]
        context.update(
            neighbourhood=neighbourhood,
            related_portraits=attach_neighbourhoods(related),
            has_video=any(block.block_type == "video" for block in self.body),
        )
        return context

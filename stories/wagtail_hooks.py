"""Admin: taxonomies as snippets, the consent ledger as a plain model viewset (no revisions, so
personal data is never copied into history), the hand-over of signed forms, and the consent gate on
bulk publishing, copies and Wagtail's admin API."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from stories import consent_handover
from stories.models import (
    ConsentRequired,
    Dispositif,
    PortraitConsent,
    PortraitPage,
    Sector,
    StartingPoint,
    go_live_problems,
)
from stories.panels import HandoversPanel


class DispositifViewSet(SnippetViewSet):
    model = Dispositif
    icon = "help"
    list_display = ["name", "short_name", "age_range"]
    search_fields = ["name", "short_name", "audience"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"


class StartingPointViewSet(SnippetViewSet):
    model = StartingPoint
    icon = "tag"
    list_display = ["name", "description"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Parcours et secteurs")
    menu_icon = "list-ul"
    menu_order = 300
    items = (DispositifViewSet, SectorViewSet, StartingPointViewSet)


register_snippet(TaxonomyGroup)


class ConsentLedgerForm(WagtailAdminModelForm):
    """The ledger record, plus an upload that files the signed form in the private collection."""

    signed_form_file = forms.FileField(
        label=_("Déposer le formulaire signé"),
        required=False,
        help_text=_(
            "Un PDF ou une photo nette. Il est rangé dans la collection privée « Consentements (privé) » et "
            "devient le document signé de ce registre."
        ),
    )

    def clean_signed_form_file(self):
        uploaded = self.cleaned_data.get("signed_form_file")
        return consent_handover.signed_form_content(uploaded) if uploaded else None

    def save(self, commit=True):
        content = self.cleaned_data.get("signed_form_file")
        if content is not None:
            self.instance.document = consent_handover.file_signed_form(content, self.instance.portrait)
        instance = super().save(commit=commit)
        if commit and self.for_user is not None:
            # The coordinator has the record in front of them: the forms handed over for it are dealt with.
            consent_handover.mark_filed(instance.portrait, self.for_user)
        return instance


class ConsentIndexView(generic.IndexView):
    add_item_label = _("Ajouter un consentement")


class ConsentCreateView(generic.CreateView):
    def get_initial_form_instance(self):
        """``?portrait=<id>`` (the links on the portrait and in the hand-over e-mail): the portrait is chosen
        and the form its editors handed over is already the record's document."""
        portrait_id = self.request.GET.get("portrait", "")
        if self.request.method != "GET" or not portrait_id.isdigit():
            return super().get_initial_form_instance()
        portrait = PortraitPage.objects.filter(pk=portrait_id, consent__isnull=True).first()
        if portrait is None:
            return super().get_initial_form_instance()
        handover = portrait.consent_handovers.filter(filed_at__isnull=True).select_related("document").first()
        return PortraitConsent(portrait=portrait, document=handover.document if handover else None)


class PortraitConsentViewSet(ModelViewSet):
    model = PortraitConsent
    icon = "lock"
    menu_label = _("Consentements")
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = ConsentIndexView
    add_view_class = ConsentCreateView
    list_display = ["portrait", "status", "expires_on"]
    list_filter = ["covers_social", "covers_print", "subject_is_minor"]
    ordering = ["expires_on"]
    panels = [
        HandoversPanel(),
        FieldPanel("portrait"),
        MultiFieldPanel(
            [FieldPanel("subject_name"), FieldPanel("subject_is_minor"), FieldPanel("subject_agreed")],
            heading=_("La personne"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("guardian_1_name"), FieldPanel("guardian_1_agreed")]),
                FieldRowPanel([FieldPanel("guardian_2_name"), FieldPanel("guardian_2_agreed")]),
                FieldPanel("sole_guardian"),
            ],
            heading=_("Si elle est mineure : les titulaires de l'autorité parentale"),
        ),
        MultiFieldPanel(
            [FieldPanel("covers_site"), FieldPanel("covers_social"), FieldPanel("covers_print")],
            heading=_("Ce qui est autorisé"),
        ),
        MultiFieldPanel(
            [FieldPanel("given_on"), FieldPanel("expires_on"), FieldPanel("withdrawn_on")],
            heading=_("Dates"),
        ),
        FieldPanel("document"),
        FieldPanel("signed_form_file"),
        FieldPanel("notes"),
    ]
    edit_handler = ObjectList(panels, base_form_class=ConsentLedgerForm)


@hooks.register("register_admin_viewset")
def register_consent_ledger():
    return PortraitConsentViewSet("consentements")


@hooks.register("register_admin_urls")
def register_consent_handover():
    # Outside the ledger's URLs: editors reach this view, never the ledger.
    return [
        path(
            "remise-consentement/<int:portrait_id>/",
            consent_handover.HandoverView.as_view(),
            name="consent_handover",
        )
    ]


@hooks.register("before_bulk_action")
def refuse_bulk_publish_without_consent(request, action_type, objects, action_class_instance):
    """Bulk publishing would stop at the first refused portrait, half done: refuse it up front."""
    if action_type != "publish":
        return None
    pages = list(objects)
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages += list(PortraitPage.objects.descendant_of(page))
    blocked = []
    for page in pages:
        specific = page.specific
        if isinstance(specific, PortraitPage):
            candidate = specific.get_latest_revision_as_object()
            if go_live_problems(candidate):
                blocked.append(specific.title)
    if not blocked:
        return None
    messages.error(
        request,
        "Publication refusée : ces portraits n'ont pas de consentement complet et valide dans le registre : "
        + ", ".join(sorted(set(blocked)))
        + ".",
    )
    return redirect(action_class_instance.next_url)


@hooks.register("before_copy_page")
def refuse_live_copies_of_portraits(request, page):
    """A copy is a new page without a ledger record (consent is given for one portrait), yet
    "Publier la copie" and aliases make it live without going through ``PortraitPage.publish``.
    Refuse both when a portrait is among the pages copied; a plain copy stays a draft."""
    if request.method != "POST" or not (request.POST.get("publish_copies") or request.POST.get("alias")):
        return None
    copied = Q(pk=page.pk)
    if request.POST.get("copy_subpages"):
        copied |= Q(path__startswith=page.path)
    if not PortraitPage.objects.filter(copied).exists():
        return None
    messages.error(
        request,
        "Copie refusée : un portrait copié n'a pas de consentement dans le registre, il ne peut donc être ni "
        "publié ni créé comme alias. Décochez « Publier la copie » et « Alias » : la copie restera un brouillon "
        "et un coordinateur enregistrera son consentement.",
    )
    return redirect(request.get_full_path())


@hooks.register("construct_admin_api")
def guard_admin_api_actions(router):
    """Wagtail's admin API (``/admin/api/main/pages/<id>/action/<name>/``) calls publish, copy, alias
    and revert actions directly. The consent guard (``stories.consent_guard``) refuses the write; here
    each action runs in one transaction, so a refused copy of a tree leaves nothing behind, and the
    refusal is a 400 answer with the French reason instead of a server error."""
    name, endpoint = router.get_model_endpoint(Page)

    class ConsentGuardedPagesEndpoint(endpoint):
        def action_view(self, request, pk, action_name):
            try:
                with transaction.atomic():
                    return super().action_view(request, pk, action_name)
            except ConsentRequired as refused:
                return Response({"message": refused.message}, status=400)

    router.register_endpoint(name, ConsentGuardedPagesEndpoint)

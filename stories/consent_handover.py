"""Handing a signed consent form over to the coordinators, and filing signed forms in the private collection.

Who may hand over the form of a portrait: whoever may edit that portrait (``may_hand_over``), i.e. the
editors of its neighbourhood and the coordinators. Anyone else gets a 404, the same as for a portrait
that does not exist: another hub's editor learns nothing, not even that the portrait is there.

What happens (``hand_over``):

* the scan is filed at once in the private collection « Consentements (privé) » (``file_signed_form``):
  a PDF is kept as it is; a photo taken with a phone is re-encoded without its metadata (GPS…) and
  turned into a one-page PDF. The file name is random and the title says only « portrait n° … »;
* if the portrait's ledger record has no document yet, the form is attached to it; otherwise it waits,
  as a pending hand-over, for a coordinator to check it (shown on the record's page in the ledger);
* the coordinators are told by e-mail, with a link to the ledger entry to complete.

The editor never sees the document again (the collection is restricted to the coordinators), nor any
other portrait's, nor the ledger's fields: their page only says « remis le …, en attente » or « classé ».

A coordinator saving the portrait's ledger record files its pending hand-overs (``mark_filed``). When a
coordinator uploads a form from the ledger itself, it goes through ``file_signed_form`` too: signed forms
land in the private collection by default."""

import io
import logging
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.documents import get_document_model
from wagtail.permission_policies.pages import PagePermissionPolicy

from home.image_privacy import strip_metadata
from home.links import absolute_url
from home.roles import coordinator_emails
from home.typography import french_spacing
from stories.models import ConsentHandover, PortraitPage
from stories.models.consent import get_consent

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = "un PDF, ou une photo (JPEG, PNG, HEIC ou WebP)"


# --- who may do what -----------------------------------------------------------------------------


def editable_portraits(user):
    """The portraits ``user`` may edit: the only ones whose form they may hand over."""
    if not user.is_authenticated or not user.is_active:
        return PortraitPage.objects.none()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return PortraitPage.objects.filter(pk__in=pages.values("pk"))


def may_hand_over(user, portrait):
    return editable_portraits(user).filter(pk=portrait.pk).exists()


def keeps_the_ledger(user):
    return user.is_active and user.has_perm("stories.change_portraitconsent")


# --- links -----------------------------------------------------------------------------------------


def handover_url(portrait):
    return reverse("consent_handover", args=[portrait.pk])


def ledger_url(portrait):
    """The portrait's entry in the ledger, or the form that creates it with the portrait chosen."""
    consent = get_consent(portrait)
    if consent is not None:
        return reverse("consentements:edit", args=[consent.pk])
    return f"{reverse('consentements:add')}?portrait={portrait.pk}"


def consent_link(user, portrait):
    """``(url, label)`` of where ``user`` can do something about ``portrait``'s consent, or None."""
    if keeps_the_ledger(user):
        has_record = get_consent(portrait) is not None
        return ledger_url(portrait), "Ouvrir son entrée du registre" if has_record else "Créer son entrée du registre"
    if may_hand_over(user, portrait):
        return handover_url(portrait), "Déposer le formulaire signé pour la coordination"
    return None


def missing_items(portrait):
    """What a signed form must hold for this portrait, when the ledger has no record at all."""
    minor = portrait.age is not None and portrait.age < 18
    items = ["l'accord signé de la personne, daté"]
    if minor and portrait.photo_id:
        items.append(
            "l'accord signé des deux titulaires de l'autorité parentale (ou d'un seul s'il est seul à l'exercer), "
            "car le portrait a une photo"
        )
    elif minor:
        items.append("l'accord signé d'au moins un titulaire de l'autorité parentale")
    items.append("ce qui est autorisé : au moins le site Impact Jeunes (réseaux sociaux et imprimés si besoin)")
    return items


# --- filing a signed form --------------------------------------------------------------------------


def signed_form_content(uploaded):
    """The uploaded scan as a PDF with a random name; photos lose their metadata on the way."""
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit and uploaded.size > limit:
        raise ValidationError(f"Le fichier dépasse {limit // (1024 * 1024)} Mo : réduisez-le ou scannez-le en PDF.")
    name = f"{uuid.uuid4().hex}.pdf"
    uploaded.seek(0)
    if uploaded.read(5) == b"%PDF-":
        uploaded.seek(0)
        return ContentFile(uploaded.read(), name=name)
    try:
        clean = strip_metadata(uploaded)
        with PILImage.open(io.BytesIO(clean.read())) as image:
            output = io.BytesIO()
            image.convert("RGB").save(output, format="PDF", resolution=150)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError(f"Ce fichier n'est pas lisible : déposez {ACCEPTED_FORMATS}.") from error
    return ContentFile(output.getvalue(), name=name)


def file_signed_form(content, portrait):
    """A Document in the private collection, titled without any personal data."""
    from stories.site_structure import ensure_consent_collection

    return get_document_model().objects.create(
        title=f"Formulaire de consentement — portrait n° {portrait.pk} — déposé le {timezone.localdate():%d/%m/%Y}",
        collection=ensure_consent_collection(),
        file=content,
    )


@transaction.atomic
def hand_over(portrait, content, *, user, note=""):
    document = file_signed_form(content, portrait)
    handover = ConsentHandover.objects.create(portrait=portrait, document=document, handed_over_by=user, note=note)
    consent = get_consent(portrait)
    if consent is not None and consent.document_id is None:
        consent.document = document
        consent.save(update_fields=["document", "updated_at"])
    transaction.on_commit(lambda: notify_coordinators(handover))
    return handover


def mark_filed(portrait, user):
    """A coordinator saved the portrait's ledger record: its pending hand-overs are dealt with."""
    return ConsentHandover.objects.filter(portrait=portrait, filed_at__isnull=True).update(
        filed_at=timezone.now(), filed_by=user
    )


def notify_coordinators(handover):
    recipients = coordinator_emails()
    if not recipients:
        logger.warning("Consent hand-over %s: no coordinator e-mail address to notify", handover.pk)
        return
    portrait = handover.portrait
    hub = portrait.get_parent()
    editor = handover.handed_over_by
    context = {
        "handover": handover,
        "portrait": portrait,
        "hub": hub,
        "by": (editor.get_full_name() or editor.get_username()) if editor else "Quelqu'un",
        "ledger_url": absolute_url(ledger_url(portrait)),
    }
    message = EmailMessage(
        subject=french_spacing(f"Formulaire de consentement remis : {portrait.title} ({hub.title})"),
        body=french_spacing(render_to_string("stories/emails/consent-handover.txt", context)),
        to=recipients,
    )
    try:
        message.send()
    except Exception:
        logger.exception("E-mail for consent hand-over %s not sent", handover.pk)


# --- the editor's page -----------------------------------------------------------------------------


class HandoverForm(forms.Form):
    signed_form = forms.FileField(
        label="Formulaire signé",
        help_text=f"Le scan ou une photo nette de toutes les pages : {ACCEPTED_FORMATS}.",
        error_messages={"required": "Choisissez le fichier du formulaire signé.", "empty": "Ce fichier est vide."},
    )
    note = forms.CharField(
        label="Remarque pour la coordination (facultatif)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : « le père signe la semaine prochaine ». Rien de sensible (santé, famille).",
    )

    def clean_signed_form(self):
        return signed_form_content(self.cleaned_data["signed_form"])


class HandoverView(WagtailAdminTemplateMixin, FormView):
    """« Remettre le formulaire de consentement », for whoever may edit the portrait (404 for anyone else)."""

    template_name = "stories/admin/consent-handover.html"
    form_class = HandoverForm
    header_icon = "lock"

    def dispatch(self, request, portrait_id):
        self.portrait = editable_portraits(request.user).filter(pk=portrait_id).first()
        if self.portrait is None:
            raise Http404
        return super().dispatch(request, portrait_id)

    def get_page_title(self):
        return "Remettre le formulaire de consentement"

    def get_page_subtitle(self):
        # The heading of the page (Wagtail shows the subtitle there when there are breadcrumbs).
        return f"Formulaire de consentement de « {self.portrait.title} »"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.portrait.pk]), "label": self.portrait.title},
            {"url": "", "label": "Formulaire de consentement"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            portrait=self.portrait,
            # Dates only: what was handed over stays with the coordinators.
            handovers=list(self.portrait.consent_handovers.values("handed_over_at", "filed_at")),
            has_consent=get_consent(self.portrait) is not None,
            missing=missing_items(self.portrait),
            action_url=self.request.path,
            submit_button_label="Remettre à la coordination",
            submit_button_active_label="Envoi…",
            form_is_multipart=True,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        hand_over(self.portrait, data["signed_form"], user=self.request.user, note=data["note"])
        messages.success(
            self.request,
            f"Formulaire remis à la coordination pour « {self.portrait.title} ». Il est rangé dans le dossier privé "
            "des consentements : la coordination le vérifie et complète le registre.",
        )
        return redirect("wagtailadmin_pages:edit", self.portrait.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Le formulaire n'a pas été remis : corrigez ce qui est indiqué.")
        return super().form_invalid(form)

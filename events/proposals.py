"""The companies' event proposal form (/evenements/proposer/).

A proposal becomes a draft EventPage under the neighbourhood the company chose (or under /evenements/
for the whole territory), sent into the page's moderation workflow: this form never publishes
anything. The contact's details go to an EventProposal row, never into the page, so they stay out of
revisions, previews and the page history. The coordinators are told, and the contact gets an
acknowledgement saying what happens next (``events.proposal_outcome`` tells them the decision)."""

import datetime
import logging
import re

import nh3
from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from wagtail.rich_text import RichText

from events.forms import HoneypotMixin
from events.models import EventCompany, EventKind, EventPage, EventProposal
from events.proposal_outcome import acknowledge_proposal
from events.ratelimit import hit
from home.departments import DEPARTMENT_NAMES
from home.forms import VOUS, SiteVoiceMixin
from home.models import NeighbourhoodPage
from home.roles import coordinator_emails
from home.typography import french_spacing
from stories.accounts import company_pages_for

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
# "*" empty: nh3 would otherwise keep its default generic attributes (lang, title) on every tag.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# The « whole territory » choice of the neighbourhood field: the draft goes under /evenements/.
TERRITORY = "territoire"
TAG_PATTERN = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def clean_description(text):
    """Plain text (typed on a phone) becomes paragraphs; pasted HTML keeps only the basic tags, and
    links get rel="noopener noreferrer" since they point to sites we do not control."""
    text = (text or "").strip()
    if not TAG_PATTERN.search(text):
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def paris_datetime(date, time):
    # The site's timezone is Europe/Paris: what the company types is a wall-clock time there.
    return timezone.make_aware(datetime.datetime.combine(date, time), timezone.get_default_timezone())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # Browsers' date inputs only understand ISO dates, whatever the page's language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def neighbourhood_choices():
    """The published hubs, grouped by department, after « tout le territoire »: one query, whatever
    the number of neighbourhoods. Returns the choices and the hubs by the value they are posted as."""
    hubs = list(
        NeighbourhoodPage.objects.live()
        .public()
        .order_by("department", "title")
        .only("id", "title", "path", "depth", "commune", "department", "url_path")
    )
    groups = {}
    for hub in hubs:
        label = hub.title if hub.commune in hub.title else f"{hub.title} ({hub.commune})"
        groups.setdefault(DEPARTMENT_NAMES.get(hub.department, hub.department), []).append((str(hub.pk), label))
    choices = [("", "Choisissez…"), (TERRITORY, "Tout le territoire (plusieurs quartiers, ou ailleurs)")]
    choices += list(groups.items())
    return choices, {str(hub.pk): hub for hub in hubs}


class ProposalForm(SiteVoiceMixin, HoneypotMixin, forms.Form):
    voice = VOUS

    company_name = forms.CharField(
        label="Nom de l'entreprise ou de l'organisme",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label="Votre nom et prénom",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label="Votre e-mail",
        help_text="Pour vous recontacter au sujet de cet événement. Vous y recevrez un accusé de réception.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.RegexField(
        label="Votre téléphone (facultatif)",
        required=False,
        regex=r"^\+?[0-9 .-]{6,20}$",
        max_length=20,
        error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple 04 91 12 34 56."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    title = forms.CharField(
        label="Titre de l'événement",
        max_length=120,
        help_text="Par exemple : Job dating de la logistique.",
    )
    kind = forms.ChoiceField(label="Type d'événement", choices=EventKind.choices, initial=EventKind.FORUM)
    start_date = forms.DateField(label="Date de début", widget=DateInput())
    start_time = forms.TimeField(label="Heure de début", widget=TimeInput())
    end_date = forms.DateField(
        label="Date de fin (facultatif)",
        required=False,
        help_text="Laissez vide si l'événement se termine le même jour.",
        widget=DateInput(),
    )
    end_time = forms.TimeField(
        label="Heure de fin",
        widget=TimeInput(),
        error_messages={"invalid": "Saisissez une heure, par exemple 17:30."},
    )
    neighbourhood = forms.ChoiceField(
        label="Quartier",
        help_text="Le quartier dont les jeunes sont invités en priorité. L'événement paraîtra sur sa page.",
    )
    venue = forms.CharField(
        label="Lieu",
        max_length=150,
        help_text="Par exemple : Centre social Bellevue, salle du rez-de-chaussée.",
    )
    address = forms.CharField(
        label="Adresse",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        error_messages={"invalid": "Saisissez un code postal à 5 chiffres, par exemple 13003."},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": "5"}),
    )
    commune = forms.CharField(
        label="Commune",
        max_length=100,
        help_text="Par exemple : Marseille 13e, Tarascon.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    summary = forms.CharField(
        label="L'événement en une phrase",
        max_length=300,
        help_text="300 caractères au plus. Elle apparaît dans la liste des événements.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label="Présentation",
        max_length=5000,
        help_text="Déroulement, public attendu, ce qu'il faut apporter. Vous pouvez coller un texte mis en forme.",
        error_messages={"max_length": "5 000 caractères au plus (vous en avez saisi %(show_value)d)."},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    hiring_for = forms.CharField(
        label="Ce que vous recrutez (facultatif)",
        max_length=250,
        required=False,
        help_text="Par exemple : 5 alternances en logistique, jobs d'été en magasin.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notice_accepted = forms.BooleanField(
        label="J'ai lu comment nos coordonnées sont utilisées (ci-dessus) et je suis d'accord.",
        error_messages={"required": "Cochez cette case pour envoyer votre proposition."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        self.fields["start_date"].widget.attrs["min"] = today
        self.fields["end_date"].widget.attrs["min"] = today
        self.fields["neighbourhood"].choices, self.hubs = neighbourhood_choices()

    def clean_neighbourhood(self):
        """The chosen hub (a NeighbourhoodPage), or None for the whole territory."""
        value = self.cleaned_data["neighbourhood"]
        return None if value == TERRITORY else self.hubs[value]

    def clean_description(self):
        description = clean_description(self.cleaned_data["description"])
        if not re.sub(r"<[^>]*>|\s|&nbsp;", "", description):
            raise forms.ValidationError("Décrivez l'événement en quelques phrases.")
        return description

    def clean(self):
        cleaned_data = super().clean()
        start_date, start_time = cleaned_data.get("start_date"), cleaned_data.get("start_time")
        end_time = cleaned_data.get("end_time")
        if start_date and start_time:
            cleaned_data["start_at"] = start = paris_datetime(start_date, start_time)
            if start <= timezone.now():
                self.add_error("start_date", "L'événement doit commencer dans le futur.")
            end_date = cleaned_data.get("end_date") or start_date
            if end_time and "end_date" not in self.errors:
                cleaned_data["end_at"] = end = paris_datetime(end_date, end_time)
                if end <= start:
                    self.add_error("end_time", "La fin doit être après le début.")
        return cleaned_data


def is_route(parent, slug):
    """Whether ``slug`` is one of the parent's own routes (« archives », « proposer », « affiche »): a
    routable page's routes win over its children's slugs, so a draft there could never be seen."""
    if not hasattr(parent, "resolve_subpage"):
        return False
    try:
        parent.resolve_subpage(f"/{slug}/")
    except Http404:
        return False
    return True


def unique_slug(parent, title):
    base = slugify(title)[:80].strip("-") or "evenement"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken or is_route(parent, slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def proposal_body(data):
    html = data["description"]
    if data.get("hiring_for"):
        html += clean_description(f"<p><strong>Ce que nous recrutons :</strong> {escape(data['hiring_for'])}</p>")
    return [("paragraph", RichText(html))]


def proposing_company(user):
    """The company account a logged-in visitor proposes for, or None.

    Someone in several company accounts is ambiguous: a coordinator attaches it by hand instead."""
    companies = list(company_pages_for(user)[:2])
    return companies[0] if len(companies) == 1 else None


def prefilled(user, company):
    """What the form already knows about a logged-in company account's user."""
    if company is None:
        return {}
    return {
        "company_name": company.title,
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
    }


@transaction.atomic
def create_proposal(index_page, data, *, company=None):
    """The draft page, its revision, its moderation workflow and the contact's details, all or nothing.

    The draft goes under the chosen neighbourhood (``data["neighbourhood"]``), or under ``index_page``
    for the whole territory. ``company`` is the CompanyPage of the account that proposes, if any: it is
    listed among the companies present."""
    hub = data.get("neighbourhood")
    # Re-read in full: the form's copy has only the fields its choices needed.
    parent = NeighbourhoodPage.objects.get(pk=hub.pk) if hub is not None else index_page
    page = EventPage(
        title=data["title"],
        slug=unique_slug(parent, data["title"]),
        live=False,
        kind=data["kind"],
        start_at=data["start_at"],
        end_at=data["end_at"],
        summary=data["summary"],
        venue=data["venue"],
        address=data["address"],
        postal_code=data["postal_code"],
        commune=data["commune"],
        body=proposal_body(data),
        # A coordinator decides whether young people register online; by default they just come.
        registration_enabled=False,
    )
    if company is not None:
        page.participants.add(EventCompany(company=company, hiring_for=data.get("hiring_for", "")))
    parent.add_child(instance=page)
    page.save_revision(log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user=None)
    proposal = EventProposal.objects.create(
        event=page,
        company=company,
        company_name=data["company_name"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        contact_phone=data.get("contact_phone", ""),
    )
    return page, proposal


def admin_edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])


def notify_coordinators(page, proposal, data):
    """Returns True when the e-mail left. A failure is logged, never raised: the proposal is already
    stored and waits in the admin's moderation list either way."""
    recipients = coordinator_emails()
    if not recipients:
        logger.warning("Event proposal %s: no coordinator e-mail address to notify", proposal.pk)
        return False
    local = timezone.localtime
    lines = [
        "Bonjour,",
        "",
        f"{proposal.company_name} propose un événement sur Impact Jeunes. Rien n'est publié : "
        "relisez le brouillon, complétez-le puis approuvez-le. S'il ne peut pas être publié, déclinez la "
        "proposition dans « Propositions d'événements » : l'entreprise en est prévenue par e-mail.",
        "",
        f"Événement : {page.title} ({page.get_kind_display()})",
        f"Quand : {local(page.start_at):%d/%m/%Y %H:%M} → {local(page.end_at):%d/%m/%Y %H:%M}",
        f"Quartier : {data['neighbourhood'].title if data.get('neighbourhood') else 'tout le territoire'}",
        f"Où : {page.venue}, {page.address}, {page.postal_code} {page.commune}",
        f"En une phrase : {page.summary}",
    ]
    if data.get("hiring_for"):
        lines.append(f"Ce qu'ils recrutent : {data['hiring_for']}")
    lines += [
        "",
        f"Contact : {proposal.contact_name} — {proposal.contact_email}"
        + (f" — {proposal.contact_phone}" if proposal.contact_phone else ""),
        "",
        f"Relire le brouillon : {admin_edit_url(page)}",
        "",
        "L'équipe Impact Jeunes",
    ]
    message = EmailMessage(
        subject=french_spacing(f"Proposition d'événement à relire : {page.title}"),
        body=french_spacing("\n".join(lines)),
        to=recipients,
        reply_to=[proposal.contact_email],
    )
    try:
        message.send()
    except Exception:
        logger.exception("E-mail for event proposal %s not sent", proposal.pk)
        return False
    return True


def proposal_view(index_page, request):
    thanks_url = f"{index_page.url}{index_page.reverse_subpage('propose')}?merci=1"
    company = proposing_company(request.user)
    form = ProposalForm(initial=prefilled(request.user, company))
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_bot():
            # Answer like a success so the bot learns nothing; nothing is stored.
            return redirect(thanks_url)
        if form.is_valid():
            # Only complete proposals count against the limit: each one costs a draft and an e-mail,
            # while a company correcting a typo should not lock itself out.
            limit, window = settings.PROPOSAL_RATE_LIMIT
            if hit(request, "proposal", limit, window):
                page, proposal = create_proposal(index_page, form.cleaned_data, company=company)
                notify_coordinators(page, proposal, form.cleaned_data)
                acknowledge_proposal(proposal)
                return redirect(thanks_url)
            form.add_error(
                None,
                "Trop de propositions envoyées depuis cette connexion. Réessayez dans une heure, ou écrivez-nous.",
            )
            status = 429
        else:
            status = 400
    response = index_page.render(
        request,
        template="events/proposal_form.html",
        context_overrides={
            "form": form,
            "company": company,
            "thanks": request.method == "GET" and request.GET.get("merci") == "1",
        },
    )
    response.status_code = status
    return response

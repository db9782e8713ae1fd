"""« Paramètres › Données personnelles »: a coordinator answers one person's access, export and
erasure request (``home.personal_data`` finds the data).

Coordinators and administrators only (``may_handle_requests``): everyone else is refused before
anything is read, and never sees the menu item. The address travels in POST bodies only — never in
a URL, where it would land in access logs and browser history — and every answer that shows
personal data is sent with ``Cache-Control: no-store``. Erasure has its own confirmation screen."""

import json

from django import forms
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import View
from wagtail.admin.auth import user_passes_test
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from home.models import PersonalDataAction, PersonalDataAuditEntry, SiteSettings
from home.personal_data import (
    Query,
    chosen,
    describe_counts,
    erase,
    find,
    found_counts,
    may_handle_requests,
    record,
)

JOURNAL_LENGTH = 50


class RequestForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne",
        max_length=254,
        error_messages={"required": "Saisissez l'adresse e-mail de la personne.", "invalid": "Adresse non valide."},
    )
    name = forms.CharField(
        label="Son nom et prénom (facultatif)",
        max_length=150,
        required=False,
        help_text=(
            "Le registre des consentements des portraits contient des noms, pas d'adresse e-mail : saisissez le "
            "nom pour y chercher aussi. Une fiche trouvée par le nom peut être celle d'un homonyme : elle n'est "
            "cochée que si vous la vérifiez."
        ),
    )

    def query(self):
        return Query.build(self.cleaned_data["email"], self.cleaned_data.get("name", ""))


class MenuForCoordinators(MenuItem):
    def is_shown(self, request):
        return may_handle_requests(request.user)


def menu_item():
    return MenuForCoordinators(
        "Données personnelles", reverse("personal_data:index"), name="donnees-personnelles", icon_name="user", order=850
    )


class BaseView(WagtailAdminTemplateMixin, View):
    page_title = "Données personnelles d'une personne"
    header_icon = "user"
    breadcrumbs_items = []

    def render(self, template, status=200, **context):
        context = {**self.get_context_data(), **context}
        return TemplateResponse(self.request, template, context, status=status)

    def request_form(self):
        return RequestForm(self.request.POST)

    def sections(self, form):
        return find(form.query(), actor=self.request.user)

    def chosen_sections(self, form):
        return chosen(self.sections(form), self.request.POST.getlist("item"))


@method_decorator([user_passes_test(may_handle_requests), never_cache], name="dispatch")
class SearchView(BaseView):
    template = "home/admin/personal-data.html"

    def get(self, request):
        return self.render(self.template, form=RequestForm(), journal=journal())

    def post(self, request):
        form = self.request_form()
        if not form.is_valid():
            return self.render(self.template, status=400, form=form, journal=journal())
        sections = self.sections(form)
        record(request.user, PersonalDataAction.SEARCH, found_counts(sections))
        return self.render(
            "home/admin/personal-data-results.html",
            form=form,
            query=form.query(),
            sections=sections,
            total=sum(len(section.items) for section in sections),
        )


@method_decorator([user_passes_test(may_handle_requests), never_cache, require_POST], name="dispatch")
class ExportView(BaseView):
    def post(self, request):
        form = self.request_form()
        export_format = request.POST.get("format")
        if not form.is_valid() or export_format not in ("html", "json"):
            return HttpResponse("Demande incomplète.", status=400, content_type="text/plain; charset=utf-8")
        sections = [section for section in self.chosen_sections(form) if section.items]
        action = PersonalDataAction.EXPORT_HTML if export_format == "html" else PersonalDataAction.EXPORT_JSON
        record(request.user, action, found_counts(sections, "exported"))
        now = timezone.localtime()
        context = {"query": form.query(), "sections": sections, "now": now, "contact": contact_email()}
        if export_format == "html":
            body = render_to_string("home/personal-data-export.html", context)
            content_type = "text/html; charset=utf-8"
        else:
            body = json.dumps(export_json(context), ensure_ascii=False, indent=2)
            content_type = "application/json; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        # Named by date only: a file name holding the address would show in download lists.
        response["Content-Disposition"] = (
            f'attachment; filename="donnees-personnelles-{now:%Y%m%d-%H%M}.{export_format}"'
        )
        response["Cache-Control"] = "no-store"
        return response


@method_decorator([user_passes_test(may_handle_requests), never_cache, require_POST], name="dispatch")
class EraseView(BaseView):
    def post(self, request):
        form = self.request_form()
        if not form.is_valid():
            return self.render("home/admin/personal-data.html", status=400, form=form, journal=journal())
        keys = request.POST.getlist("item")
        sections = [section for section in self.chosen_sections(form) if section.items]
        confirming = request.POST.get("step") == "confirm"
        if confirming and request.POST.get("confirmed") and sections:
            counts = erase(form.query(), keys, actor=request.user)
            return self.render("home/admin/personal-data-done.html", lines=describe_counts(counts))
        missing_confirmation = confirming and bool(sections) and not request.POST.get("confirmed")
        return self.render(
            "home/admin/personal-data-confirm.html",
            status=400 if missing_confirmation else 200,
            form=form,
            sections=sections,
            missing_confirmation=missing_confirmation,
            rules=[(section.provider.label, section.provider.erase_rule) for section in sections],
            erasable=[item for section in sections for item in section.items if item.erasable],
            kept=[item for section in sections for item in section.items if not item.erasable],
        )


def journal():
    return PersonalDataAuditEntry.objects.select_related("user")[:JOURNAL_LENGTH]


def contact_email():
    """Where the person writes to: the site's contact address (Paramètres › Réglages du site)."""
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).contact_email if site else ""


def export_json(context):
    """The same content as the readable page, for the portability right (a file another service can read)."""
    query = context["query"]
    return {
        "objet": "Données personnelles conservées par le site Impact Jeunes",
        "adresse_e_mail": query.email,
        "nom_recherche": query.name or None,
        "date_de_l_export": context["now"].isoformat(timespec="minutes"),
        "contact": context["contact"] or None,
        "categories": [
            {
                "categorie": section.provider.label,
                "description": section.provider.description,
                "elements": [item.as_json() for item in section.items],
            }
            for section in context["sections"]
        ],
    }


def urlpatterns():
    return [
        path("", SearchView.as_view(), name="index"),
        path("export/", ExportView.as_view(), name="export"),
        path("effacer/", EraseView.as_view(), name="erase"),
    ]

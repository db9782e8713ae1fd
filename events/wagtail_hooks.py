"""Admin for registrations: who may see them follows who may edit the event page.

A coordinator of one neighbourhood gets "change" on that hub's page subtree; the same grant is
what lets them see, correct, export or delete the registrations of its events, and nothing else.
There is no add view: people register through the public form, which decides seats."""

import django_filters
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions.delete import DeleteAction
from wagtail.actions.edit import EditAction
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from events import registration as seats
from events.models import EventPage, Registration, RegistrationStatus

ACTIONS = {"view", "change", "delete"}
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def editable_events(user):
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return EventPage.objects.filter(pk__in=pages.values("pk"))


class RegistrationPermissionPolicy(BasePermissionPolicy):
    """Registrations inherit the page permissions of their event; Django model permissions play
    no part (none are offered in the group editor)."""

    def __init__(self):
        super().__init__(Registration)

    def user_has_permission(self, user, action):
        if action not in ACTIONS or not user.is_active:
            return False
        # "change" on some page is not enough: a company account may edit its CompanyPage, which
        # holds no registrations, and must not get the « Inscriptions » menu.
        return user.is_superuser or editable_events(user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not ACTIONS & set(actions):
            return PagePermissionPolicy().users_with_permission("change").none()
        return PagePermissionPolicy().users_with_permission("change")

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Registration.objects.none()
        if user.is_superuser:
            return Registration.objects.all()
        return Registration.objects.filter(event__in=editable_events(user).values("pk"))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission_for_instance(self, actions, instance):
        if not ACTIONS & set(actions):
            return PagePermissionPolicy().users_with_permission("change").none()
        return PagePermissionPolicy().users_with_permission_for_instance("change", instance.event)


permission_policy = RegistrationPermissionPolicy()
register_permission_policy(Registration, permission_policy, exact_class=True)


def event_choices(request):
    if request is None:
        return EventPage.objects.none()
    return editable_events(request.user).order_by("-start_at")


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=RegistrationStatus.choices)
    # Only the user's own events are offered: other hubs' drafts stay invisible, titles included.
    event = django_filters.ModelChoiceFilter(label=_("Événement"), queryset=event_choices)

    class Meta:
        model = Registration
        fields = ["status", "event"]


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class RegistrationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return permission_policy.instances_user_has_permission_for(self.request.user, "view").select_related("event")

    def preprocess_field_value(self, field, value, export_format):
        # Wagtail neutralises formulas in XLSX (cell type forced to text) but writes CSV cells as
        # they are, so a first name "=HYPERLINK(…)" would run when a coordinator opens the file.
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return escape_formula(value)
        return value


class RegistrationEditView(generic.EditView):
    def get_queryset(self):
        # Another hub's registration is not found at all (404) rather than merely forbidden.
        return permission_policy.instances_user_has_permission_for(self.request.user, "change")

    def save_instance(self):
        instance = self.form.instance
        EditAction(instance, user=self.request.user, form=self.form, log_action=False).execute(
            skip_permission_checks=True
        )
        # The log outlives the retention period: it names the row, never the person.
        log(instance, "wagtail.edit", user=self.request.user, title=f"Inscription #{instance.pk}", content_changed=True)
        return instance


class RegistrationDeleteView(generic.DeleteView):
    def get_queryset(self):
        return permission_policy.instances_user_has_permission_for(self.request.user, "delete")

    def delete_action(self):
        # Cancel first so a freed seat goes to the first person waiting, as on the public side.
        seats.cancel(self.object)
        log(self.object, "wagtail.delete", user=self.request.user, title=f"Inscription #{self.object.pk}", deleted=True)
        DeleteAction(self.object, user=self.request.user, log_action=False).execute(skip_permission_checks=True)


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Inscriptions")
    menu_order = 320
    add_to_admin_menu = True
    add_to_reference_index = False  # would list people's names in the event page's "usage"
    copy_view_enabled = False
    index_view_class = RegistrationIndexView
    edit_view_class = RegistrationEditView
    delete_view_class = RegistrationDeleteView
    filterset_class = RegistrationFilterSet
    search_fields = ["first_name", "last_name", "email"]
    ordering = ["-created_at"]
    list_display = [
        Column("full_name", label=_("Nom"), accessor="full_name"),
        Column("event", label=_("Événement"), accessor="event"),
        Column("status", label=_("Statut"), accessor="get_status_display"),
        Column("age_range", label=_("Âge"), accessor="get_age_range_display"),
        DateColumn("created_at", label=_("Inscrit le")),
    ]
    list_export = [
        "event",
        "first_name",
        "last_name",
        "email",
        "phone",
        "get_age_range_display",
        "guardian_email",
        "neighbourhood",
        "get_companion_display",
        "get_status_display",
        "created_at",
    ]
    export_headings = {
        "event": "Événement",
        "first_name": "Prénom",
        "last_name": "Nom",
        "email": "E-mail",
        "phone": "Téléphone",
        "get_age_range_display": "Âge",
        "guardian_email": "E-mail d'un parent",
        "neighbourhood": "Quartier ou commune",
        "get_companion_display": "Accompagnement",
        "get_status_display": "Statut",
        "created_at": "Inscrit le",
    }
    export_filename = "inscriptions"
    # Status is decided by the seat logic (locks, waiting list, e-mails): not edited by hand.
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("guardian_email")], heading=_("Contact")),
        FieldPanel("age_range"),
        FieldPanel("neighbourhood"),
        FieldPanel("companion"),
    ]

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        # No add, history or usage pages: they are not routed (see get_urlpatterns).
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "history_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        kept = {"index", "index_results", "edit", "delete"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in kept]


@hooks.register("register_admin_viewset")
def register_registrations():
    return RegistrationViewSet("inscriptions")


# Registered by their own modules on import: the editors' and companies' dashboards, the proposals' admin.
from events import company_dashboard, dashboard, proposals_admin  # noqa: E402, F401

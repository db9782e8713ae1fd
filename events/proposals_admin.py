"""Admin for company event proposals (« Propositions d'événements »).

Coordinators (the events.*_eventproposal model permissions) see every proposal, may attach one to a
company account and delete it. A company account sees only the proposals made under its name, read
only. Everyone else sees nothing, not even the menu item. There is no add view: proposals come from
the public form, which creates the draft event at the same time.

Coordinators may also decline a proposal (« Décliner »): the company is told by e-mail, with the reason
they give (``events.proposal_outcome``)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from events import proposal_outcome
from events.models import EventProposal, ProposalOutcome
from stories.accounts import company_pages_for
from stories.models import CompanyPage

ACTIONS = ("view", "change", "delete")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def has_model_permission(user, action):
    # Django's backend answers True for active superusers and caches the rest on the user object.
    return user.is_active and user.has_perm(f"events.{action}_eventproposal")


def own_company_ids(user):
    """Ids of the companies whose account ``user`` is in, cached on the user for the request
    (the listing asks once per row)."""
    if not hasattr(user, "_proposal_company_ids"):
        user._proposal_company_ids = frozenset(company_pages_for(user).values_list("pk", flat=True))
    return user._proposal_company_ids


class ProposalPermissionPolicy(BasePermissionPolicy):
    """Coordinators by model permission; a company account may only view its own proposals."""

    def __init__(self):
        super().__init__(EventProposal)

    def user_has_permission(self, user, action):
        if action not in ACTIONS or not user.is_active:
            return False
        if has_model_permission(user, action):
            return True
        return action == "view" and bool(own_company_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        actions = [action for action in actions if action in ACTIONS]
        if not user.is_active or not actions:
            return EventProposal.objects.none()
        if any(has_model_permission(user, action) for action in actions):
            return EventProposal.objects.all()
        if "view" in actions:
            return EventProposal.objects.filter(company__in=own_company_ids(user))
        return EventProposal.objects.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def _users_with_model_permission(self, actions):
        content_type = ContentType.objects.get_for_model(EventProposal)
        permissions = Permission.objects.filter(
            content_type=content_type, codename__in=[f"{action}_eventproposal" for action in actions]
        )
        return Q(is_superuser=True) | Q(user_permissions__in=permissions) | Q(groups__permissions__in=permissions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in ACTIONS]
        users = get_user_model().objects.filter(is_active=True)
        if not actions:
            return users.none()
        condition = self._users_with_model_permission(actions)
        if "view" in actions:
            condition |= Q(groups__company_account__isnull=False)
        return users.filter(condition).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        actions = [action for action in actions if action in ACTIONS]
        users = get_user_model().objects.filter(is_active=True)
        if not actions:
            return users.none()
        condition = self._users_with_model_permission(actions)
        if "view" in actions and instance.company_id:
            condition |= Q(groups__company_account__company_id=instance.company_id)
        return users.filter(condition).distinct()


permission_policy = ProposalPermissionPolicy()
register_permission_policy(EventProposal, permission_policy, exact_class=True)


def can_see_contact(user, proposal):
    """Contact details are personal data: coordinators and the proposing company only."""
    return has_model_permission(user, "view") or (
        proposal.company_id is not None and proposal.company_id in own_company_ids(user)
    )


def event_status(event, proposal=None):
    if proposal is not None and proposal.outcome == ProposalOutcome.DECLINED:
        return _("déclinée")
    if event is None:
        return _("supprimé")
    if event.live:
        return _("publié")
    if event.workflow_in_progress:
        return _("en relecture")
    return _("brouillon")


def event_label(proposal):
    if proposal.event is None:
        return _("Événement supprimé")
    return f"{proposal.event.title} ({event_status(proposal.event, proposal)})"


def can_be_declined(proposal):
    return proposal.outcome == ProposalOutcome.PENDING and not (proposal.event and proposal.event.live)


def decline_url(proposal):
    return reverse("propositions:decline", args=[quote(proposal.pk)])


class ProposalIndexView(generic.IndexView):
    def get_base_queryset(self):
        return permission_policy.instances_user_has_permission_for(self.request.user, "view").select_related(
            "event", "company"
        )

    def get_edit_url(self, instance):
        # The title opens the read-only detail, for coordinators too: the edit view only attaches a
        # company account, offered as its own item in the row's menu (below).
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.edit_url_name and self.user_has_permission("change"):
            url = reverse(self.edit_url_name, args=[quote(instance.pk)])
            buttons.append(MenuItem(_("Rattacher à une entreprise"), url=url, icon_name="link", priority=10))
            if can_be_declined(instance):
                buttons.append(MenuItem(_("Décliner"), url=decline_url(instance), icon_name="cross", priority=20))
        return buttons


class ProposalInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        # Another company's proposal is not found at all (404) rather than merely forbidden.
        queryset = permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(queryset.select_related("event", "company"), pk=self.pk)

    @cached_property
    def shows_contact(self):
        return can_see_contact(self.request.user, self.object)

    def get_fields_context(self):
        fields = [name for name in self.fields if self.shows_contact or name not in CONTACT_FIELDS]
        return [self.get_context_for_field(name) for name in fields]

    def get_company_display_value(self):
        company = self.object.company
        return company.title if company else _("Aucun compte entreprise")

    def get_contact_phone_display_value(self):
        return self.object.contact_phone or self.erased_label()

    def get_contact_name_display_value(self):
        return self.object.contact_name or self.erased_label()

    def get_contact_email_display_value(self):
        return self.object.contact_email or self.erased_label()

    def erased_label(self):
        # Retention (purge_proposals) or an erasure request emptied the contact: say so rather than show a blank.
        erased = self.object.anonymised_at
        return f"effacé le {timezone.localtime(erased):%d/%m/%Y}" if erased else "—"

    def get_event_display_value(self):
        event = self.object.event
        if event is None:
            return _("Événement supprimé")
        label = f"{event.title} ({event_status(event, self.object)})"
        if event.permissions_for_user(self.request.user).can_edit():
            return format_html('<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[event.pk]), label)
        return label

    def get_outcome_display_value(self):
        proposal = self.object
        if proposal.outcome == ProposalOutcome.PENDING:
            return _("En attente de la coordination")
        when = proposal.outcome_at.strftime("%d/%m/%Y") if proposal.outcome_at else ""
        return f"{proposal.get_outcome_display().capitalize()} le {when}"

    def get_decline_reason_display_value(self):
        return self.object.decline_reason or "—"

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if permission_policy.user_has_permission(self.request.user, "change") and can_be_declined(self.object):
            buttons.append(Button(_("Décliner"), url=decline_url(self.object), icon_name="cross", priority=30))
        return buttons


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Envoyée telle quelle à l'entreprise, qui est vouvoyée. Par exemple : « La date tombe pendant les "
            "vacances scolaires : pourriez-vous proposer une autre date ? »"
        ),
    )


class ProposalDeclineView(WagtailAdminTemplateMixin, FormView):
    """« Décliner »: coordinators only (the change permission), pending proposals only."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = DeclineForm
    header_icon = "cross"
    page_title = _("Décliner la proposition")

    def dispatch(self, request, pk):
        queryset = permission_policy.instances_user_has_permission_for(request.user, "change")
        self.object = get_object_or_404(queryset.select_related("event"), pk=pk)
        if not can_be_declined(self.object):
            messages.warning(request, _("Cette proposition a déjà reçu une réponse."))
            return redirect("propositions:inspect", quote(self.object.pk))
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("propositions:index"), "label": _("Propositions d'événements")},
            {"url": reverse("propositions:inspect", args=[quote(self.object.pk)]), "label": str(self.object)},
            {"url": "", "label": _("Décliner")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object.event
        context.update(
            action_url=self.request.path,
            submit_button_label=_("Décliner et prévenir l'entreprise"),
            submit_button_active_label=_("Envoi…"),
            intro=_(
                "L'entreprise reçoit un e-mail qui lui dit que l'événement « %(title)s » ne sera pas publié, avec "
                "la raison écrite ci-dessous. Le brouillon reste dans l'arborescence, hors de la relecture."
            )
            % {"title": event.title if event else self.object.company_name},
        )
        return context

    def form_valid(self, form):
        proposal_outcome.decline(self.object, user=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(
            self.request,
            _("Proposition déclinée : %(email)s en est informé par e-mail.") % {"email": self.object.contact_email},
        )
        return redirect("propositions:index")


class ProposalCompanyForm(WagtailAdminModelForm):
    # A select of the companies that have an account, rather than a page chooser over the whole tree:
    # attaching a proposal only makes sense to a company whose people can then see it.
    company = forms.ModelChoiceField(
        label=_("Entreprise (compte)"),
        queryset=CompanyPage.objects.filter(account__isnull=False).order_by("title"),
        required=False,
        empty_label=_("Aucune"),
        help_text=_("Ses comptes verront cette proposition, avec les coordonnées du contact."),
    )

    class Meta:
        model = EventProposal
        fields = ["company"]


class ProposalEditView(generic.EditView):
    def get_queryset(self):
        return permission_policy.instances_user_has_permission_for(self.request.user, "change")


class ProposalDeleteView(generic.DeleteView):
    def get_queryset(self):
        return permission_policy.instances_user_has_permission_for(self.request.user, "delete")


class ProposalViewSet(ModelViewSet):
    model = EventProposal
    icon = "calendar"
    menu_label = _("Propositions d'événements")
    menu_order = 330
    add_to_admin_menu = True
    # The reference index would list proposals in the event's and the company's "usage" tab, to
    # anyone who may edit those pages.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ProposalIndexView
    inspect_view_class = ProposalInspectView
    edit_view_class = ProposalEditView
    delete_view_class = ProposalDeleteView
    ordering = ["-created_at"]
    list_display = [
        "company_name",
        Column("event", label=_("Événement"), accessor=event_label),
        Column("company", label=_("Compte entreprise"), accessor="company"),
        DateColumn("created_at", label=_("Proposé le")),
    ]
    inspect_view_fields = [
        "company",
        "company_name",
        *CONTACT_FIELDS,
        "event",
        "created_at",
        "outcome",
        "decline_reason",
    ]
    # Only the link to a company account is edited: the rest is what the company sent.
    edit_handler = ObjectList([FieldPanel("company")], base_form_class=ProposalCompanyForm)

    def get_permissions_to_register(self):
        # Offered in the group editor; "add" means nothing here (proposals come from the public form).
        content_type = ContentType.objects.get_for_model(EventProposal)
        return Permission.objects.filter(
            content_type=content_type, codename__in=[f"{action}_eventproposal" for action in ACTIONS]
        )

    def get_common_view_kwargs(self, **kwargs):
        # No add, copy, history or usage pages: they are not routed (see get_urlpatterns).
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "history_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        kept = {"index", "index_results", "inspect", "edit", "delete"}
        patterns = [pattern for pattern in super().get_urlpatterns() if pattern.name in kept]
        return [*patterns, path("decline/<str:pk>/", ProposalDeclineView.as_view(), name="decline")]


@hooks.register("register_admin_viewset")
def register_proposals():
    return ProposalViewSet("propositions")

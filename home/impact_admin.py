"""Admin for the yearly impact figures: a plain model viewset guarded by Django model permissions.

Wagtail's default ``ModelPermissionPolicy`` applies (nothing is registered for ``ImpactFigure``), so the
menu item and every view need ``home.add/change/delete/view_impactfigure``. Coordinators get them
(``home.roles``); neighbourhood editors do not: these are the figures the programme reports to funders."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from home.models import ImpactFigure, NeighbourhoodPage

FIGURE_FIELDS = ["young_people_accompanied", "parents_reached", "young_people_in_job_or_training"]


class ImpactFigureForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A handful of hubs: an alphabetical list is quicker than the page chooser's tree.
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.order_by("title")


class ImpactFigureIndexView(IndexView):
    def get_base_queryset(self):
        # The listing prints each row's neighbourhood; one join instead of one query per row.
        return super().get_base_queryset().select_related("neighbourhood")


class ImpactFigureViewSet(ModelViewSet):
    model = ImpactFigure
    icon = "table"
    menu_label = _("Chiffres d'impact")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = ImpactFigureIndexView
    list_display = ["neighbourhood", "year", *FIGURE_FIELDS]
    list_filter = ["year", "neighbourhood"]
    list_export = ["neighbourhood", "year", *FIGURE_FIELDS, "source", "updated_at"]
    export_filename = "chiffres-impact"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("neighbourhood", widget=forms.Select), FieldPanel("year")]),
            MultiFieldPanel([FieldPanel(name) for name in FIGURE_FIELDS], heading=_("Chiffres de l'année")),
            FieldPanel("source"),
        ],
        base_form_class=ImpactFigureForm,
    )

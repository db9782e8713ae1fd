"""Admin safeguards Wagtail's permissions leave open for neighbourhood editors (see the
permission matrix in tests/test_permission_matrix.py).

Wagtail refuses every action on another neighbourhood's content, but a few screens still *show*
what the editor may not act on: titles of other hubs' draft portraits, images and documents
(document titles name people: « Compte rendu », signed authorisations…). Each guard below closes
one of those windows, without changing what an editor can do in their own space.

The rule for every admin view bound to one page (``/admin/pages/<id>/…``: edit, previews, history,
revisions, compare, usage, workflow screens, move, copy…) is ``can_open_page``: a user opens a page's
admin screens only if they hold a right on that page (or review its current workflow task). It is
checked before Wagtail's view runs, so no view can show a title, a slug or a message about a page
first and refuse later."""

import functools

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from home.roles import is_coordinator

# Registered after Wagtail's own hooks (order 0), so the classes below replace Wagtail's.
AFTER_WAGTAIL = 100

# Rights that let a user work on a page; "view" alone does not exist in Wagtail's page permissions.
PAGE_RIGHTS = ["add", "change", "publish"]
# Who may see a media item at all: its choosers and listings use these permissions.
MEDIA_VISIBLE_WITH = ["change", "choose"]


def visible_pages(user, pages=None):
    """Pages whose title ``user`` may read: those they may edit, and published ones (public anyway)
    unless a draft renamed them — the admin shows a page under its latest draft title, and that
    title is not public yet.

    Also the page chooser's rule (home/wagtail_hooks.py): another hub's draft stays unseen."""
    pages = Page.objects.all() if pages is None else pages
    if user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, PAGE_RIGHTS)
    # Subqueries on pk: the chooser's search backend filters on indexed fields only (id, live…).
    public = Page.objects.filter(Q(draft_title=F("title")) | Q(draft_title=""), live=True)
    return pages.filter(Q(pk__in=public.values("pk")) | Q(pk__in=editable.values("pk")))


def visible_media(user, model):
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, MEDIA_VISIBLE_WITH)


# --- bulk actions: the confirmation screen listed what you may not touch, titles included ---------


class HideUnseenItemsMixin:
    """Wagtail's bulk-action confirmation lists the chosen items the user may not act on (« You
    don't have permission to delete these pages: … ») — by title, whatever the ids in the URL, and
    ``?id=all&childOf=<page>`` lists a whole subtree. Items the user may not even see are left out
    of that list; they were never going to be acted on anyway."""

    def visible_queryset(self, objects):
        raise NotImplementedError

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra["items_with_no_access"]
        if refused and not self.request.user.is_superuser:
            model = type(refused[0])
            seen = set(
                self.visible_queryset(model.objects.filter(pk__in=[obj.pk for obj in refused])).values_list(
                    "pk", flat=True
                )
            )
            extra = {**extra, "items_with_no_access": [obj for obj in refused if obj.pk in seen]}
        return objects, extra


class HideUnseenPagesMixin(HideUnseenItemsMixin):
    def visible_queryset(self, objects):
        return visible_pages(self.request.user, Page.objects.filter(pk__in=objects.values("pk")))


class HideUnseenMediaMixin(HideUnseenItemsMixin):
    def visible_queryset(self, objects):
        return visible_media(self.request.user, self.model).filter(pk__in=objects.values("pk"))


def _guarded(mixin, action_class):
    return type(action_class.__name__, (mixin, action_class), {"__module__": __name__})


GUARDED_BULK_ACTIONS = [
    *(
        _guarded(HideUnseenPagesMixin, getattr(page_bulk_actions, name))
        for name in ("DeleteBulkAction", "MoveBulkAction", "PublishBulkAction", "UnpublishBulkAction")
    ),
    *(
        _guarded(HideUnseenMediaMixin, getattr(module, name))
        for module in (image_bulk_actions, document_bulk_actions)
        for name in ("AddTagsBulkAction", "AddToCollectionBulkAction", "DeleteBulkAction")
    ),
]

for _action_class in GUARDED_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=AFTER_WAGTAIL)


# --- the admin API listed every image and document of the site ------------------------------------


class VisibleImagesAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's admin API (/admin/api/main/images/) filters only collections with a privacy
    restriction: any admin user read every image title. Only what their choosers show now."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=visible_media(self.request.user, get_image_model()).values("pk"))


class VisibleDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """Same for documents (/admin/api/main/documents/), download links included."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=visible_media(self.request.user, get_document_model()).values("pk"))


@hooks.register("construct_admin_api", order=AFTER_WAGTAIL)
def limit_media_api_to_visible_items(router):
    router.register_endpoint("images", VisibleImagesAPIViewSet)
    router.register_endpoint("documents", VisibleDocumentsAPIViewSet)


# --- every admin screen of one page: the user must hold a right on that page ------------------------

# The URL keyword that names the page in /admin/pages/<id>/… routes (see wagtail/admin/urls/pages.py).
PAGE_ID_KWARGS = ("page_id", "page_to_move_id", "pk")


def can_open_page(user, page):
    """May ``user`` open this page's admin screens (and so read its draft title, slug, history)?

    Yes for anyone holding a right on the page through their groups (coordinators: the whole site;
    an editor: their hub; a company: its own page), and for the reviewers of the workflow task the
    page is waiting on — Wagtail lets a task's group act on it without page rights."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if PagePermissionPolicy().user_has_any_permission_for_instance(user, PAGE_RIGHTS, page):
        return True
    task = page.current_workflow_task
    return task is not None and bool(task.specific.get_actions(page, user))


def page_admin_guard(view):
    """Refuse a page-bound admin view before it runs when the user may not open that page."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        page_id = next((kwargs[name] for name in PAGE_ID_KWARGS if name in kwargs), None)
        if page_id is not None:
            page = get_object_or_404(Page, pk=page_id)
            if not can_open_page(request.user, page):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class GuardedMoveConfirmView(MoveConfirmView):
    """Wagtail's move confirmation checks nothing on GET and, before any check, names the page,
    the destination and tells whether the page's slug is already taken there (an oracle for
    another hub's draft slugs). Only a move the user could really make gets that far."""

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        permissions = page.permissions_for_user(request.user)
        if not (permissions.can_move() and permissions.can_move_to(destination)):
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


class GuardedPageViewSet(PageViewSet):
    """Wagtail's default viewset for every page type, each page-bound view behind ``can_open_page``.

    Registered for ``Page`` after Wagtail's own (``register_admin_viewset``), so it replaces
    ``base_page_viewset`` in the registry that routes /admin/pages/<id>/… (a page type that one day
    gets its own viewset must subclass this one to keep the guard)."""

    move_confirm_view_class = GuardedMoveConfirmView

    @functools.cached_property
    def guarded_views(self):
        return {name: page_admin_guard(view) for name, view in self.views.items()}

    def get_view_by_name(self, name):
        # What page_viewset_registry's router calls for every /admin/pages/… request.
        return self.guarded_views[name]


@hooks.register("register_admin_viewset", order=AFTER_WAGTAIL)
def register_guarded_page_viewset():
    return GuardedPageViewSet()


class VisibleChosenPagesView(ChosenMultipleView):
    """/admin/choose-page/chosen-multiple/?id=… answered the admin title of any page id, drafts
    included, to any admin user. Only pages the user may see in the chooser are returned now.
    Routed ahead of Wagtail's URL in ``site_project/urls.py``."""

    def get(self, request):
        visible = visible_pages(request.user, Page.objects.filter(pk__in=request.GET.getlist("id")))
        query = request.GET.copy()
        query.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        request.GET = query
        return super().get(request)


# --- reports that span the whole site are the coordinators' ---------------------------------------


class CoordinatorsOnlyMixin:
    """« Utilisation des types de page » counts every page of the site, drafts included, and names
    the page of each type edited last, whoever's it is; « Pages obsolètes » lists pages by their last
    publication across the site. Neither is filtered by neighbourhood: both are for coordinators.

    Wagtail routes these views from its own URLconf with no hook to replace them, so
    ``site_project/urls.py`` routes these subclasses at the same addresses, ahead of the admin's."""

    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CoordinatorsPageTypesUsageReportView(CoordinatorsOnlyMixin, PageTypesUsageReportView):
    pass


class CoordinatorsAgingPagesView(CoordinatorsOnlyMixin, AgingPagesView):
    pass


COORDINATOR_REPORTS = {"page-types-usage", "aging-pages"}


@hooks.register("construct_reports_menu")
def hide_site_wide_reports(request, menu_items):
    if not is_coordinator(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in COORDINATOR_REPORTS]

"""Admin safeguards Wagtail's permissions leave open for neighbourhood editors (see the
permission matrix in tests/test_permission_matrix.py).

Wagtail refuses every action on another neighbourhood's content, but a few screens still *show*
what the editor may not act on: titles of other hubs' draft portraits, images and documents
(document titles name people: « Compte rendu », signed authorisations…). Each guard below closes
one of those windows, without changing what an editor can do in their own space."""

from django.db.models import F, Q
from wagtail import hooks
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

# Registered after Wagtail's own hooks (order 0), so the classes below replace Wagtail's.
AFTER_WAGTAIL = 100

# Who may see a media item at all: its choosers and listings use these permissions.
MEDIA_VISIBLE_WITH = ["change", "choose"]


def visible_pages(user, pages=None):
    """Pages whose title ``user`` may read: published ones (public anyway) and those they may edit.

    Also the page chooser's rule (home/wagtail_hooks.py): another hub's draft stays unseen."""
    pages = Page.objects.all() if pages is None else pages
    if user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["add", "change", "publish"])
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))


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


# --- the page types report named the last edited page of each type, whoever's it was ----------------


def _last_visible_edit(user, content_type_id):
    pages = visible_pages(user, Page.objects.filter(content_type_id=content_type_id))
    return pages.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk").specific().first()


class VisiblePageTypesUsageReportView(PageTypesUsageReportView):
    """Reports › Utilisation des types de page shows, for each type, the title of the page edited
    last — to anyone who may add a page anywhere, so an editor read the title of another hub's
    draft portrait there. Here the column names the last page edited among those they may see.

    Wagtail routes that view from its own URLconf with no hook to replace it, so
    ``site_project/urls.py`` routes this subclass at the same address, ahead of the admin's URLs."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        if user.is_superuser:
            return page_types
        for item in page_types:
            page = item.last_edited_page
            if page is not None and not visible_pages(user, Page.objects.filter(pk=page.pk)).exists():
                item.last_edited_page = _last_visible_edit(user, item.pk)
        return page_types

"""Who may do what, set up by code so that no one has to click through permission screens.

Three kinds of groups, all built on Wagtail's own page, collection and model permissions:

* « Coordinateurs »: review and publish everywhere, manage companies, schemes, territory-wide
  events, impact figures and the consent ledger. Apps add their model permissions through an
  ``AppConfig.coordinator_permissions`` list, so home never imports them.
* one editors' group per neighbourhood (see ``home.onboarding``): add and edit under its hub,
  its own image collection, submit for review — never publish.
* optional company accounts (``stories.accounts``): edit one CompanyPage.

Nobody but administrators (superusers) ever gets a permission on users or groups.

Wagtail's own migrations create « Editors » and « Moderators » groups with rights on the whole tree
(add/edit/publish from the root, every image and document) and a « Moderators approval » workflow on
the root. Adding someone to them by mistake would hand over every neighbourhood at once, so set-up
retires them (``retire_wagtail_defaults``).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

COORDINATORS_GROUP = "Coordinateurs"
REVIEW_WORKFLOW = "Relecture avant publication"
REVIEW_TASK = "Relecture par la coordination"

COORDINATOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
COORDINATOR_OWN_MODELS = ("home.add_impactfigure", "home.change_impactfigure", "home.delete_impactfigure")
COORDINATOR_OWN_MODELS += ("home.view_impactfigure", "home.change_sitesettings")
# Finding, exporting and erasing one person's data (home.personal_data): coordinators only.
COORDINATOR_OWN_MODELS += ("home.handle_personal_data_requests",)
# Promoted results of the site search (« Résultats mis en avant »).
COORDINATOR_OWN_MODELS += tuple(
    f"wagtailsearchpromotions.{action}_searchpromotion" for action in ("add", "change", "delete", "view")
)


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(codename):
    return permission("wagtailcore", codename)


def media_permissions(image_actions=(), document_actions=()):
    """Collection permissions on images and documents, e.g. ``add_image``, ``choose_document``.

    Wagtail checks image permissions against its base ``wagtailimages.Image`` model even when a
    custom image model is in use, so the codenames are the base ones, not ``add_customimage``."""
    return [permission("wagtailimages", f"{action}_image") for action in image_actions] + [
        permission("wagtaildocs", f"{action}_document") for action in document_actions
    ]


def free_group_name(base, slug):
    """``base``, or ``base (slug)`` when taken: two hubs or companies may share a name (« Centre-ville »
    in two communes, two « Boulangerie du Port »), and group names are unique."""
    candidates = [base, f"{base} ({slug})"]
    candidates += [f"{base} ({slug}-{number})" for number in range(2, 100)]
    taken = set(Group.objects.filter(name__in=candidates).values_list("name", flat=True))
    return next(name for name in candidates if name not in taken)


def ensure_admin_access(group):
    group.permissions.add(permission("wagtailadmin", "access_admin"))


def grant_page(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=page_permission(codename))


def grant_collection(group, collection, permissions):
    for perm in permissions:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)


def coordinator_model_permissions():
    labels = list(COORDINATOR_OWN_MODELS)
    for app_config in apps.get_app_configs():
        labels += getattr(app_config, "coordinator_permissions", [])
    perms = []
    for label in labels:
        app_label, codename = label.split(".")
        perms.append(permission(app_label, codename))
    return perms


@transaction.atomic
def ensure_coordinators(home):
    """The coordinators' group with everything it needs, on the whole site below ``home``."""
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    ensure_admin_access(group)
    grant_page(group, home, COORDINATOR_PAGE_PERMISSIONS)
    grant_collection(
        group,
        Collection.get_first_root_node(),
        media_permissions(
            image_actions=("add", "change", "delete", "choose"), document_actions=("add", "change", "delete", "choose")
        ),
    )
    group.permissions.add(*coordinator_model_permissions())
    return group


@transaction.atomic
def ensure_review_workflow(home, coordinators):
    """One review step for the whole site: every submission goes to the coordinators.

    Assigned to the home page, so it covers every page below it (hubs, portraits, companies,
    events, proposals). An assignment someone changed by hand is left alone."""
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
    task.groups.add(coordinators)
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})
    return workflow


# Created by Wagtail's migrations (wagtailcore 0002 and 0048), in English whatever the admin language.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


@transaction.atomic
def retire_wagtail_defaults():
    """Take every right away from Wagtail's default groups and switch off its default workflow.

    A default group nobody belongs to is deleted; one with members is kept, empty, so that nobody
    silently loses a membership an administrator may want to look at — its members keep their
    account and whatever their other groups give them. Returns the names of the groups kept.
    Idempotent: on a second run there is nothing left to do."""
    kept = []
    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS):
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.clear()
        if group.user_set.exists():
            kept.append(group.name)
        else:
            group.delete()
    # Deactivating (not deleting) keeps the history of pages once moderated through it.
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        workflow.deactivate()
    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True):
        task.deactivate()
    return kept


def ensure_roles(home):
    coordinators = ensure_coordinators(home)
    workflow = ensure_review_workflow(home, coordinators)
    retire_wagtail_defaults()
    return coordinators, workflow


def is_coordinator(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=COORDINATORS_GROUP).exists())


def coordinator_emails():
    """Where to tell the coordinators something: the active members of « Coordinateurs » with an
    address, plus ``COORDINATORS_EMAIL`` (comma-separated), each address once."""
    users = get_user_model().objects.filter(groups__name=COORDINATORS_GROUP, is_active=True).exclude(email="")
    emails = list(users.values_list("email", flat=True).distinct())
    extra = getattr(settings, "COORDINATORS_EMAIL", "")
    emails += [address.strip() for address in extra.split(",") if address.strip()]
    return list(dict.fromkeys(email.lower() for email in emails))

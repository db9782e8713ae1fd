"""The publish guard, where every way of going live passes: the page row being written.

``PortraitPage.publish`` is only one door. Wagtail's admin API calls its actions directly
(``PublishPageRevisionAction``, ``CopyPageAction`` with ``keep_live``, ``CreatePageAliasAction``,
``ConvertAliasPageAction``), and so can any code; all of them end by saving the page row with
``live=True`` or with a new ``live_revision``. This module refuses that save unless the consent rule
allows the portrait (``stories.models.consent.public_problems``, the rule every listing applies), and
refuses to schedule a revision the rule would not allow on its date. Nothing is written: the save
raises ``ConsentRequired`` before the row changes, and the callers run in a transaction (treebeard's
``add_child``, Wagtail's admin views, the admin API through ``wagtail_hooks``) so a copy of a whole
tree is not left half made.

What stays allowed: saving drafts of a live portrait, unpublishing it, moving it, and every write
that does not change ``live`` or ``live_revision``. ``publish_scheduled`` never reaches this guard
with a refused portrait: ``PortraitPage.publish`` cancels that one schedule first, so the command
goes on with the other pages.

Aliases of portraits are refused when created: an alias is a new page, and consent is given for one
portrait, so an alias could never be shown. An alias made before this guard existed is kept offline
when its original is published (refusing would abort the original's publication half way).
"""

import logging

from django.db.models.signals import pre_save
from wagtail.models import Page, Revision

from stories.models import ConsentRequired, PortraitConsent, PortraitPage, go_live_problems
from stories.models.consent import consent_problems

logger = logging.getLogger(__name__)

NO_ALIAS = (
    "un alias de portrait ne peut pas être créé : le consentement est donné pour un seul portrait, "
    "un alias ne pourrait jamais être affiché."
)


def _changes(update_fields, *names):
    """Whether a save with ``update_fields`` writes any of the columns ``names``."""
    return update_fields is None or any(name in update_fields for name in names)


def _is_portrait(instance):
    # A plain Page object of a portrait knows its type from its content type (cached): no query.
    return isinstance(instance, PortraitPage) or instance.specific_class is PortraitPage


def _portrait_fields(instance):
    """The age and photo to judge: ``instance`` itself, or, when Wagtail saves a plain ``Page`` object,
    the portrait's stored row (age and photo are not on ``Page``)."""
    if isinstance(instance, PortraitPage):
        return instance
    return PortraitPage.objects.filter(pk=instance.pk).first()


def refuse_live_portrait_without_consent(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _changes(update_fields, "live", "live_revision", "live_revision_id", "alias_of", "alias_of_id"):
        return
    if not _is_portrait(instance):
        return
    adding = instance._state.adding or instance.pk is None
    if adding and instance.alias_of_id:
        raise ConsentRequired(None, [NO_ALIAS])
    if not instance.live:
        return
    if not adding:
        stored = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id", "alias_of_id").first()
        if stored is not None and stored["alias_of_id"] and instance.alias_of_id:
            # ``Page.update_aliases`` republishing an old alias: keep it offline instead.
            instance.live = False
            logger.warning("Alias pk=%s of portrait pk=%s kept offline.", instance.pk, instance.alias_of_id)
            return
        if stored is not None and stored["live"] and stored["live_revision_id"] == instance.live_revision_id:
            return  # already live with this content: not a publication
    portrait = _portrait_fields(instance) if not adding else instance
    # Read the ledger afresh: the object may carry a consent loaded before a withdrawal.
    consent = PortraitConsent.objects.filter(portrait_id=instance.pk).first() if not adding else None
    problems = consent_problems(
        consent, age=getattr(portrait, "age", None), has_photo=getattr(portrait, "photo_id", None) is not None
    )
    if problems:
        raise ConsentRequired(instance.pk, problems)


def refuse_scheduling_without_consent(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.approved_go_live_at is None or not _changes(update_fields, "approved_go_live_at"):
        return
    if instance.content_type.model_class() is not PortraitPage:
        return
    problems = go_live_problems(instance.as_object())
    if problems:
        raise ConsentRequired(int(instance.object_id), problems)


def connect():
    # pre_save is sent for the class being saved: a PortraitPage, or a plain Page of a portrait.
    for model in (Page, PortraitPage):
        pre_save.connect(refuse_live_portrait_without_consent, sender=model, dispatch_uid=f"consent-guard-{model}")
    pre_save.connect(refuse_scheduling_without_consent, sender=Revision, dispatch_uid="consent-guard-revision")

"""What a withdrawn consent removes: every image of the person the portrait used.

Not only the main photo: the figures of the story, the images placed in its paragraphs, in the
published version and in every draft and past revision. An image goes with its renditions (deleting
the image row cascades to them; Wagtail deletes the files once the transaction commits). An image
that another live page still shows — a hub's banner reused in the story, say — is left in place:
Wagtail's reference index says where each image is used.

The portrait and its revisions are rewritten without the deleted images (the photo field emptied,
the blocks showing them removed, their tags taken out of rich text), so no revision can bring back
a missing image when a coordinator reverts to it or publishes it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.blocks import RichTextBlock, StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs


def _image_ids_in_body(body):
    image_model = get_image_model()
    ids = set()
    for child in body or []:
        for model, pk, _path, _content_path in child.block.extract_references(child.value):
            if issubclass(model, image_model):
                ids.add(int(pk))
    return ids


def _versions(portrait):
    """The portrait as stored, and as each of its revisions would make it."""
    yield None, portrait
    for revision in portrait.revisions.order_by("pk"):
        yield revision, revision.as_object()


def images_used(portrait):
    """Ids of every image ``portrait`` shows or has shown: photo and story, all revisions."""
    ids = set()
    for _revision, version in _versions(portrait):
        if version.photo_id:
            ids.add(version.photo_id)
        ids |= _image_ids_in_body(version.body)
    return ids


def shown_elsewhere(image_ids, portrait):
    """The subset of ``image_ids`` that another live page uses in its current content."""
    if not image_ids:
        return set()
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
        to_object_id__in=[str(pk) for pk in image_ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).exclude(object_id=str(portrait.pk))
    live_pages = Page.objects.filter(live=True).values("pk")
    # object_id is text (it holds any model's key): compare it with the pages' keys as text.
    uses = uses.filter(object_id__in=live_pages.annotate(key=Cast("pk", CharField())).values("key"))
    return {int(pk) for pk in uses.values_list("to_object_id", flat=True)}


def images_to_delete(portrait):
    used = images_used(portrait)
    return used - shown_elsewhere(used, portrait)


def _strip_rich_text(html, image_ids):
    def keep(match):
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit() and int(attrs["id"]) in image_ids:
            return ""
        return match.group(0)

    return FIND_EMBED_TAG.sub(keep, html)


def body_without(body, image_ids):
    """``body`` (a StreamValue) without the given images: rich text loses their tags, any other block
    showing one of them is removed. None when nothing changes."""
    changed = False
    kept = []
    for child in body or []:
        references = _image_ids_in_body([child])
        if not references & image_ids:
            kept.append((child.block_type, child.value, child.id))
        elif isinstance(child.block, RichTextBlock):
            kept.append((child.block_type, RichText(_strip_rich_text(child.value.source, image_ids)), child.id))
            changed = True
        else:
            changed = True
    return StreamValue(body.stream_block, kept) if changed else None


def delete_images_of(portrait):
    """Delete every image of ``portrait`` that no other live page shows, and rewrite the portrait and
    its revisions without them. Returns the ids deleted."""
    doomed = images_to_delete(portrait)
    if not doomed:
        return set()
    body_field = type(portrait)._meta.get_field("body")
    with transaction.atomic():
        for revision, version in _versions(portrait):
            body = body_without(version.body, doomed)
            photo_gone = version.photo_id in doomed
            if body is None and not photo_gone:
                continue
            if body is not None:
                version.body = body
            if photo_gone:
                version.photo_id = None
            if revision is None:
                # Queryset update: only these two columns, no publish/unpublish side effect.
                type(portrait).objects.filter(pk=portrait.pk).update(body=version.body, photo_id=version.photo_id)
                portrait.body, portrait.photo_id = version.body, version.photo_id
            else:
                if body is not None:
                    revision.content["body"] = body_field.value_to_string(version)
                if photo_gone:
                    revision.content["photo"] = None
                revision.save(update_fields=["content"])
        # Deleting an image cascades to its renditions; Wagtail removes the files on commit.
        get_image_model().objects.filter(pk__in=doomed).delete()
    return doomed


def describe(deleted, photo_id):
    """What was deleted, in French, for the coordinator and the cron log."""
    others = len(deleted - {photo_id})
    parts = ["photo supprimée"] if photo_id in deleted else []
    if others:
        plural = "s" if others > 1 else ""
        parts.append(f"{others} {'autre ' if parts else ''}image{plural} de la personne supprimée{plural}")
    return ", ".join(parts)


__all__ = ["body_without", "delete_images_of", "describe", "images_to_delete", "images_used", "shown_elsewhere"]

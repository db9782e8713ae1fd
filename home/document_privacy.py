"""Who may download a document: public only when a coordinator has put it in « Documents publics ».

Wagtail serves every document at /documents/<id>/<file name> to anyone, unless its collection
carries a privacy restriction. Documents uploaded by a neighbourhood's editors (meeting minutes,
signed authorisations, lists of participants) are not meant for the public, so the rule is reversed:

* a document in the « Documents publics » collection (or below it) is served to everyone;
* any other document only to the people who may see it in the admin (its collection's editors,
  the coordinators, administrators). An anonymous visitor is sent to the login page, anyone else
  is refused — whatever the collection, the root and collections created later included.

Only coordinators hold rights on « Documents publics » (through the root collection), so moving a
document there — the collection field of the document's edit form — is how a coordinator makes it
public; an editor's form offers only their hub's collection.

Wagtail's own collection privacy is set too on each hub's collection (editors' group and
coordinators) and on the consent collection (coordinators, ``stories.site_structure``), so the
admin shows them as private; ``before_serve_document`` below is the rule that decides, and it runs
before Wagtail's. ``WAGTAILDOCS_SERVE_METHOD = "serve_view"`` keeps every download going through
it, even on object storage (the other methods link or redirect to the storage's URL)."""

from django.contrib.auth.models import Group
from django.utils.cache import patch_cache_control
from wagtail.documents import get_document_model
from wagtail.documents.views import serve as wagtail_serve
from wagtail.models import Collection, CollectionViewRestriction

from home.admin_guards import visible_media
from home.roles import COORDINATORS_GROUP

PUBLIC_DOCUMENTS_COLLECTION = "Documents publics"


def ensure_public_documents_collection():
    """The collection whose documents anyone may download (created by set-up, no restriction)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=PUBLIC_DOCUMENTS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=PUBLIC_DOCUMENTS_COLLECTION)
    return collection


def restrict_to_groups(collection, groups):
    """Wagtail's « private, for these groups » setting on ``collection``; idempotent, and a
    restriction someone set by hand is completed, never loosened."""
    restriction = collection.view_restrictions.filter(restriction_type=CollectionViewRestriction.GROUPS).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.add(*groups)
    return restriction


def restrict_hub_collection(space):
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    return restrict_to_groups(space.collection, [space.group, coordinators])


def public_collections():
    public = Collection.objects.filter(name=PUBLIC_DOCUMENTS_COLLECTION, depth=2).first()
    if public is None:
        return Collection.objects.none()
    return Collection.objects.descendant_of(public, inclusive=True)


def document_is_public(document):
    return public_collections().filter(pk=document.collection_id).exists()


def may_download(user, document):
    """The one rule: public, or visible to ``user`` in the admin (see ``admin_guards.visible_media``)."""
    if document_is_public(document):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return visible_media(user, get_document_model()).filter(pk=document.pk).exists()


def serve(request, document_id, document_filename):
    """Wagtail's download view (the rule above runs in its ``before_serve_document`` hook). A private
    document — a signed consent form, a hub's minutes — is marked so that no browser cache on a shared
    computer and no proxy keeps a copy once the person has downloaded it."""
    response = wagtail_serve.serve(request, document_id, document_filename)
    if response.status_code == 200:
        document = get_document_model().objects.filter(pk=document_id).only("collection_id").first()
        if document is None or not document_is_public(document):
            patch_cache_control(response, private=True, no_store=True)
    return response

"""Shared set-up for the editorial-permission tests (matrix, workflow, onboarding): two onboarded
neighbourhoods with the same kinds of content, their editors and a coordinator.

Titles and names are distinctive ASCII words so that a leak is found by a plain substring search in
HTML, JSON or CSV answers alike (no HTML escaping or ``\\u`` encoding can hide them)."""

import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import Registration
from home.onboarding import create_neighbourhood
from home.roles import COORDINATORS_GROUP, REVIEW_WORKFLOW
from stories.models import PortraitPage
from tests.factories import (
    EventPageFactory,
    ImageFactory,
    PortraitConsentFactory,
    PortraitPageFactory,
    RegistrationFactory,
    SectorFactory,
    UserFactory,
    publish_portrait,
)

PASSWORD = "mot-de-passe-de-test"


@dataclass
class Hub:
    """One neighbourhood and everything an editor of it works on."""

    key: str
    page: object
    space: object
    live: object  # a published portrait with a valid consent
    draft: object  # a never-published portrait, owned by the hub's editor
    moderated: object  # a draft portrait submitted for review by the hub's editor
    event: object
    registration: object
    image: object
    document: object
    editor: object
    secrets: list = field(default_factory=list)

    @property
    def collection(self):
        return self.space.collection

    @property
    def group(self):
        return self.space.group


def make_editor(space, username):
    user = UserFactory(username=username, email=f"{username}@example.org")
    user.groups.add(space.group)
    return user


def make_coordinator(username="coordination"):
    user = UserFactory(username=username, email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return user


def draft_portrait(parent, owner=None, **kwargs):
    """A never-published portrait with one revision, as "save draft" in the admin leaves it."""
    portrait = PortraitPageFactory(parent=parent, live=False, owner=owner, **kwargs)
    portrait.save_revision(user=owner)
    return portrait


def submit_for_review(page, user):
    """What "Soumettre à Relecture avant publication" does: a revision, then the site workflow."""
    page.save_revision(user=user)
    workflow = page.get_workflow()
    assert workflow is not None
    assert workflow.name == REVIEW_WORKFLOW
    return workflow.start(page, user)


def build_hub(index, key, *, word, person, registrant):
    """A published hub onboarded the production way, with one of each kind of content.

    ``word`` makes every title of this hub unique; ``person`` and ``registrant`` are the personal
    data (portrait subjects, registrant) that must never show to another hub's editor."""
    page, space, _ = create_neighbourhood(
        index,
        title=f"Quartier {word}",
        slug=f"quartier-{word.lower()}",
        commune=f"Commune {word}",
        department="13",
        intro=f"Le quartier {word}.",
        publish=True,
    )
    editor = make_editor(space, f"redaction-{key}")
    live = publish_portrait(
        page,
        title=f"Portrait public {word}",
        slug=f"portrait-public-{word.lower()}",
        first_name=f"{person}public",
        consent={"subject_name": f"{person}public Consentement"},
    )
    draft = draft_portrait(
        page, owner=editor, title=f"Brouillon {word}", slug=f"brouillon-{word.lower()}", first_name=f"{person}draft"
    )
    moderated = draft_portrait(
        page,
        owner=editor,
        title=f"Relecture {word}",
        slug=f"relecture-{word.lower()}",
        first_name=f"{person}relu",
    )
    submit_for_review(moderated, editor)
    event = EventPageFactory(parent=page, title=f"Forum {word}", slug=f"forum-{word.lower()}", live=False)
    event.save_revision().publish()
    registration = RegistrationFactory(
        event=event, first_name=registrant, last_name=f"{registrant}nom", email=f"{registrant.lower()}@example.org"
    )
    image = ImageFactory(title=f"Photo atelier {word}", collection=space.collection)
    document = get_document_model().objects.create(
        title=f"Compte rendu {word}",
        collection=space.collection,
        file=ContentFile(b"Compte rendu de reunion", name=f"compte-rendu-{word.lower()}.txt"),
    )
    secrets = [
        draft.title,
        draft.slug,
        draft.first_name,
        moderated.title,
        moderated.slug,
        moderated.first_name,
        registrant,
        registration.email,
        image.title,
        document.title,
        f"{person}public Consentement",
    ]
    return Hub(
        key=key,
        page=page,
        space=space,
        live=live,
        draft=draft,
        moderated=moderated,
        event=event,
        registration=registration,
        image=image,
        document=document,
        editor=editor,
        secrets=secrets,
    )


def build_two_hubs(index):
    """Hub A (the editor under test) and hub B (someone else's). B is built last, so its drafts are
    the most recently edited pages of the site (what "last edited" columns would show)."""
    hub_a = build_hub(index, "a", word="Acacias", person="Albane", registrant="Anatole")
    hub_b = build_hub(index, "b", word="Zinnias", person="Zoelie", registrant="Zebulon")
    return hub_a, hub_b


# --- what "changes nothing" means -----------------------------------------------------------------


def _page_state(page):
    page = Page.objects.get(pk=page.pk)
    latest = page.get_latest_revision()
    return {
        "title": page.title,
        "slug": page.slug,
        "live": page.live,
        "locked": page.locked,
        "path": page.path,
        "owner": page.owner_id,
        "revisions": Revision.page_revisions.filter(object_id=str(page.pk)).count(),
        "latest_revision": latest.pk if latest else None,
        "draft_title": latest.content.get("title") if latest else None,
        "view_restrictions": page.view_restrictions.count(),
    }


def snapshot(hub):
    """Everything of ``hub`` an admin action could change, re-read from the database."""
    image = get_image_model().objects.filter(pk=hub.image.pk)
    document = get_document_model().objects.filter(pk=hub.document.pk)
    moderation = WorkflowState.objects.filter(object_id=str(hub.moderated.pk)).order_by("pk")
    return {
        "pages": {
            name: _page_state(page)
            for name, page in (
                ("hub", hub.page),
                ("live", hub.live),
                ("draft", hub.draft),
                ("moderated", hub.moderated),
                ("event", hub.event),
            )
        },
        "subtree": list(
            Page.objects.descendant_of(hub.page, inclusive=True).order_by("path").values_list("pk", "path", "live")
        ),
        "image": image.values("title", "file", "collection_id", "description").first(),
        "document": document.values("title", "file", "collection_id").first(),
        "registration": Registration.objects.filter(pk=hub.registration.pk).values().first(),
        "moderation": list(moderation.values_list("pk", "status")),
        "tasks": list(
            TaskState.objects.filter(workflow_state__in=moderation).order_by("pk").values_list("pk", "status")
        ),
    }


def site_counts():
    """Counts over the whole site: a refused action creates or deletes nothing anywhere."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "registrations": Registration.objects.count(),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status", "finished_by_id")),
        "workflows": list(Workflow.objects.order_by("pk").values_list("pk", "active")),
    }


# --- admin forms ----------------------------------------------------------------------------------


def portrait_form(portrait=None, **overrides):
    """The page editor's POST data for a portrait (``portrait`` gives the starting values)."""
    if portrait is not None:
        values = {
            "title": portrait.title,
            "slug": portrait.slug,
            "first_name": portrait.first_name,
            "age": portrait.age,
            "photo": portrait.photo_id or "",
            "photo_alt": portrait.photo_alt,
            "sector": portrait.sector_id or "",
        }
    else:
        values = {
            "title": "Inès, boulangère",
            "slug": "ines-boulangere",
            "first_name": "Inès",
            "age": 22,
            "photo": "",
            "photo_alt": "",
            "sector": SectorFactory(name="Alimentation").pk,
        }
    values.update(
        {
            "last_name": "",
            "privacy_level": "first",
            "quote": "J'ai osé pousser la porte.",
            "job_title": "Apprentie boulangère",
            "employer_name": "Boulangerie du coin (fictive)",
            "tags": "",
            "easy_read_summary": "",
            "body": streamfield([("paragraph", rich_text("<p>Mon histoire.</p>"))]),
        }
    )
    values.update(overrides)
    return nested_form_data(values)


def neighbourhood_form(**overrides):
    values = {
        "title": "Les Micocouliers",
        "slug": "les-micocouliers",
        "preposition": "aux",
        "commune": "Marseille 14e",
        "department": "13",
        "intro": "Un quartier au nord de la ville.",
        "hero_image": "",
        "body": streamfield([]),
        "partners": inline_formset([]),
    }
    values.update(overrides)
    return nested_form_data(values)


def messages_text(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def body_text(response):
    """The whole answer as text, streamed (CSV export) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def record_consent(portrait, **fields):
    return PortraitConsentFactory(portrait=PortraitPage.objects.get(pk=portrait.pk), **fields)


def png_bytes(width=8, height=6):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()

"""What stories hold about a person, for the rights registry (``home.personal_data``): the consent
ledger and the portrait it covers.

The ledger holds names, never an e-mail address: a record is found by the optional name of the
request (each word must appear in the person's name or a parental-authority holder's name). A name
can be someone else's, so these matches are shown unticked and the coordinator confirms each one.

Erasing a record is withdrawing the consent, so it is never silent: the portrait goes offline
through the same path as a withdrawal typed in the ledger (unpublished, schedule cancelled, photo
deleted), then the portrait — its story, revisions and history — and the record itself are deleted.
A record cannot be erased « partly » (one guardian's name removed, the portrait kept online): the
agreement is one signed document, and without it the portrait has no basis to stay."""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from home.personal_data import Item, Provider, french_date, register
from stories.models import PortraitConsent, PortraitPage
from stories.models.consent import SCOPE_LABELS

NAME_FIELDS = {"subject_name": "personne", "guardian_1_name": "titulaire", "guardian_2_name": "titulaire"}
EXCERPT_LENGTH = 3000


def _words_match(words, text):
    text = (text or "").casefold()
    return bool(words) and all(word.casefold() in text for word in words)


def _story_text(portrait):
    """The story as plain text, without rendering templates or loading images."""
    block = portrait.body.stream_block
    text = " ".join(part for part in block.get_searchable_content(portrait.body) if part)
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + " […]"


def _scheduled():
    """Whether the portrait has a publication scheduled, in the same query as the ledger rows."""
    return Exists(
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("portrait_id"), output_field=CharField()),
            approved_go_live_at__isnull=False,
        )
    )


def _portrait_state(consent):
    if consent.portrait.live:
        return "en ligne"
    if consent.scheduled:
        return "publication programmée"
    return "hors ligne"


@register
class ConsentLedgerData(Provider):
    key = "consents"
    label = "Registre des consentements des portraits"
    description = (
        "L'accord écrit pour publier un portrait : celui de la personne et, si elle était mineure, celui des "
        "titulaires de l'autorité parentale."
    )
    erase_rule = (
        "Le registre ne contient pas d'e-mail : une fiche est trouvée par le nom (elle peut être celle d'un "
        "homonyme, vérifiez-la avant de la cocher). Effacer une fiche, c'est retirer le consentement : le portrait "
        "est retiré du site immédiatement s'il est en ligne (photo effacée, publication programmée annulée), puis "
        "le portrait — récit, historique — et la fiche sont supprimés. Il n'y a pas d'effacement partiel : pour "
        "corriger un nom, utilisez « Corriger »."
    )
    order = 30

    def find(self, query, *, actor, limit):
        words = query.name_words
        if not words:
            return
        condition = Q()
        for field in NAME_FIELDS:
            condition |= Q(*(Q(**{f"{field}__icontains": word}) for word in words))
        consents = (
            PortraitConsent.objects.filter(condition)
            .annotate(scheduled=_scheduled())
            .select_related("portrait")
            .order_by("portrait__title", "pk")[:limit]
        )
        for consent in consents:
            portrait = consent.portrait
            roles = {role for field, role in NAME_FIELDS.items() if _words_match(words, getattr(consent, field))}
            # SQLite folds only ASCII letters: keep a row the database matched even if Python disagrees.
            role = "personne" if "personne" in roles or not roles else "titulaire"
            state = _portrait_state(consent)
            warning = ""
            if state != "hors ligne":
                warning = f"Le portrait « {portrait.title} » est {state} : l'effacer le retire du site immédiatement."
            yield Item(
                kind=self.key,
                pk=consent.pk,
                role=role,
                title=f"Consentement pour le portrait « {portrait.title} » ({state})",
                data=self._subject_data(consent, portrait, state)
                if role == "personne"
                else self._guardian_data(consent, portrait, words),
                purpose=(
                    "Prouver l'accord donné pour publier ce portrait, et le retirer du site à la date de fin "
                    "ou dès que l'accord est retiré."
                ),
                kept_until=(
                    f"Tant que le portrait existe. Il quitte le site au plus tard le {french_date(consent.expires_on)} "
                    "(fin de l'accord), ou dès que l'accord est retiré."
                ),
                on_erase=(
                    "Le consentement est retiré et le portrait quitte le site, puis le portrait (récit, historique) "
                    "et la fiche sont supprimés."
                ),
                matched_by="name",
                warning=warning,
                admin_url=reverse("consentements:edit", args=[consent.pk]),
            )

    def _subject_data(self, consent, portrait, state):
        scopes = [str(label) for scope, label in SCOPE_LABELS.items() if consent.covers(scope)]
        guardians = [consent.guardian_1_agreed, consent.guardian_2_agreed]
        data = [
            ("Nom", consent.subject_name),
            ("Mineur·e à la signature", "oui" if consent.subject_is_minor else "non"),
            ("Accord de la personne", "oui" if consent.subject_agreed else "non"),
        ]
        if consent.subject_is_minor or any(guardians):
            # Only how many agreed: the holders' names are their own data.
            data.append(("Accords des titulaires de l'autorité parentale", f"{sum(guardians)} sur 2"))
        data += [
            ("Publication autorisée sur", ", ".join(scopes) or "—"),
            ("Signé le", french_date(consent.given_on)),
            ("Valable jusqu'au", french_date(consent.expires_on)),
            ("Retiré le", french_date(consent.withdrawn_on)),
            ("Formulaire signé conservé", "oui" if consent.document_id else "non"),
            ("Remarques", consent.notes or "—"),
            ("Portrait", f"« {portrait.title} » ({state})"),
        ]
        if portrait.live:
            data.append(("Adresse du portrait", portrait.get_full_url()))
        data += [
            ("Nom affiché", portrait.display_name),
            ("Âge affiché", str(portrait.age)),
            ("Photo", "oui" if portrait.photo_id else "non"),
            ("Métier", portrait.job_title),
            ("Citation", portrait.quote),
            ("Récit", _story_text(portrait) or "—"),
        ]
        return data

    def _guardian_data(self, consent, portrait, words):
        data = []
        for number in (1, 2):
            name = getattr(consent, f"guardian_{number}_name")
            if _words_match(words, name):
                agreed = getattr(consent, f"guardian_{number}_agreed")
                data += [("Titulaire de l'autorité parentale", name), ("Accord donné", "oui" if agreed else "non")]
        return [
            *data,
            ("Pour le portrait", f"« {portrait.title} »"),
            ("Signé le", french_date(consent.given_on)),
            ("Valable jusqu'au", french_date(consent.expires_on)),
            ("Retiré le", french_date(consent.withdrawn_on)),
        ]

    def erase(self, items, *, actor):
        done = Counter()
        today = timezone.localdate()
        consent_type = ContentType.objects.get_for_model(PortraitConsent)
        consents = PortraitConsent.objects.filter(pk__in={item.pk for item in items}).select_related("document")
        for consent in consents.order_by("pk"):
            if consent.withdrawn_on is None or consent.withdrawn_on > today:
                # The ledger's own withdrawal path (stories.signals): offline now, photo deleted.
                consent.withdrawn_on = today
                consent.save(update_fields=["withdrawn_on", "updated_at"])
                done["withdrawn"] += 1
            document = consent.document
            portrait = PortraitPage.objects.get(pk=consent.portrait_id)
            # An alias would keep the story online under another address once the original is gone.
            pages = [*PortraitPage.objects.filter(alias_of=portrait), portrait]
            for page in pages:
                page_id = page.pk
                # Deletes the revisions, workflow states and (cascade) the ledger record too.
                DeletePageAction(page, user=actor).execute(skip_permission_checks=True)
                # Wagtail's history names the page by its title (often the person's first name).
                PageLogEntry.objects.filter(page_id=page_id).delete()
            ModelLogEntry.objects.filter(content_type=consent_type, object_id=str(consent.pk)).delete()
            if document is not None and not PortraitConsent.objects.filter(document=document).exists():
                document.delete()
            done["deleted"] += 1
        return done

"""Everything the site holds about one person: found, exported and erased through one registry.

A person's rights (access, portability, erasure) are exercised by a coordinator in the admin
(« Paramètres › Données personnelles », ``home.personal_data_admin``). The data lives in every app
— registrations and proposals in ``events``, the consent ledger in ``stories``, accounts here — but
``home`` imports neither: each app describes its own data with a :class:`Provider` in a module named
``personal_data.py``, which this registry imports the first time it is used (like Wagtail's
``wagtail_hooks``). A provider says how to find a person's rows, how to describe them to that person
(what it is, why it is kept, until when) and how to erase them (delete, anonymise, cancel…).

Every search, export and erasure writes one :class:`~home.models.PersonalDataAuditEntry`: who, when,
which action and how many items of each kind — never the address, a name or a hash of either
(see the model's docstring for why not even a hash).

Matching is by e-mail address, case-insensitive. Kinds that hold names but no address (the consent
ledger) also match on an optional name; a name can belong to someone else, so those matches are
offered unticked and the coordinator confirms each one before anything is exported or erased."""

import dataclasses
import re
import threading
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from home.models import PersonalDataAction, PersonalDataAuditEntry

PERMISSION = "home.handle_personal_data_requests"
# Bounds every query: one person never has hundreds of rows of one kind; beyond this the screen
# says so instead of loading an unbounded list.
MAX_ITEMS_PER_KIND = 200

# What erasing did, in the audit log and on the result screen (keys are what providers return).
# Singular and plural: French takes the singular for 0 and 1, and a screen never says « trouvé(s) ».
OUTCOMES = {
    "found": ("élément trouvé", "éléments trouvés"),
    "exported": ("élément exporté", "éléments exportés"),
    "cancelled": ("inscription annulée, place rendue", "inscriptions annulées, places rendues"),
    "withdrawn": ("consentement retiré", "consentements retirés"),
    "anonymised": ("élément anonymisé", "éléments anonymisés"),
    "deleted": ("élément supprimé", "éléments supprimés"),
}


def outcome_text(outcome, number):
    singular, plural = OUTCOMES.get(outcome, (outcome, outcome))
    return f"{number} {singular if number < 2 else plural}"


def may_handle_requests(user):
    """The one rule for the whole feature: the « Coordinateurs » group (and administrators)."""
    return user.is_authenticated and user.is_active and user.has_perm(PERMISSION)


@dataclasses.dataclass(frozen=True)
class Query:
    """Who is asked about: an e-mail address, and optionally a name for kinds that hold no address."""

    email: str
    name: str = ""

    @classmethod
    def build(cls, email, name=""):
        return cls(email=(email or "").strip().lower(), name=" ".join((name or "").split()))

    @property
    def name_words(self):
        """The words of the name, each of which must appear (« Benali Samira » finds « Samira BENALI »)."""
        return [word for word in self.name.split() if len(word) >= 2]


@dataclasses.dataclass
class Item:
    """One thing held about the person, described for them (French, plain words)."""

    kind: str  # the provider's key
    pk: int | str  # a queued e-mail row has a UUID
    role: str  # how the person appears in it: "inscrit", "parent", "contact", "personne", "titulaire"…
    title: str  # what it is
    data: list  # [(label, value)]: what it holds about this person, and nothing about anyone else
    purpose: str  # why it is kept
    kept_until: str  # until when
    on_erase: str  # what erasing does to it
    matched_by: str = "email"  # "name": may be someone else, so unticked until the coordinator checks
    warning: str = ""  # a consequence to read before erasing (a live portrait goes offline…)
    erasable: bool = True  # False: ``on_erase`` says who does it instead
    admin_url: str = ""  # where to correct it (rectification)

    @property
    def key(self):
        return f"{self.kind}:{self.pk}:{self.role}"

    @property
    def preselected(self):
        return self.matched_by == "email"

    def as_json(self):
        return {
            "description": self.title,
            "donnees": [{"champ": label, "valeur": value} for label, value in self.data],
            "pourquoi_nous_les_gardons": self.purpose,
            "jusqu_a_quand": self.kept_until,
        }


class Provider:
    """One kind of personal data. Subclass it in ``<app>/personal_data.py`` and decorate with
    :func:`register`. ``find`` must run a bounded number of queries (``limit`` rows at most) and
    ``erase`` must leave the database consistent (seats, publication) — it runs inside the
    transaction that also writes the audit entry."""

    key = ""  # stable identifier, stored in the audit log: never change it once used
    label = ""  # French heading, plural: « Inscriptions aux événements »
    description = ""  # one sentence for the person reading the export
    erase_rule = ""  # French: the rule shown on the confirmation screen
    order = 100

    def find(self, query, *, actor, limit):
        raise NotImplementedError

    def erase(self, items, *, actor):
        """Erase ``items`` (found by ``find`` and chosen by the coordinator); return {outcome: number}."""
        raise NotImplementedError


@dataclasses.dataclass
class Section:
    provider: Provider
    items: list
    truncated: bool = False


_providers = {}
_discovered = False
_lock = threading.Lock()


def register(provider_class):
    """Class decorator: ``@register class RegistrationData(Provider): …``."""
    provider = provider_class()
    if not provider.key or (provider.key in _providers and type(_providers[provider.key]) is not provider_class):
        raise ValueError(f"Personal data provider key {provider.key!r} missing or already taken")
    _providers[provider.key] = provider
    return provider_class


def providers():
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("personal_data")
                _discovered = True
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.key))


def find(query, *, actor):
    sections = []
    for provider in providers():
        items = list(provider.find(query, actor=actor, limit=MAX_ITEMS_PER_KIND + 1))
        sections.append(Section(provider, items[:MAX_ITEMS_PER_KIND], truncated=len(items) > MAX_ITEMS_PER_KIND))
    return sections


def chosen(sections, keys):
    """The sections restricted to the items whose key is in ``keys`` (what the coordinator ticked).

    Keys come from the browser: only items the search itself found can ever be chosen."""
    keys = set(keys)
    return [Section(section.provider, [item for item in section.items if item.key in keys]) for section in sections]


def found_counts(sections, outcome="found"):
    return {section.provider.key: {outcome: len(section.items)} for section in sections if section.items}


def record(actor, action, counts):
    """One audit entry. ``counts`` is {provider key: {outcome: number}}: checked here, so that a
    provider can never slip a name or an address into the log."""
    keys = {provider.key for provider in providers()}
    for kind, outcomes in counts.items():
        if kind not in keys or not isinstance(outcomes, dict):
            raise ValueError("Unknown kind in audit counts")  # the key itself may be what must not be logged
        for outcome, number in outcomes.items():
            if outcome not in OUTCOMES or type(number) is not int:
                raise ValueError(f"Audit counts must be known outcomes with whole numbers ({kind})")
    return PersonalDataAuditEntry.objects.create(user=actor, action=action, counts=counts)


def erase(query, keys, *, actor):
    """Erase the chosen items, all or nothing, and log it. Returns {provider key: {outcome: number}}."""
    counts = {}
    with transaction.atomic():
        for section in chosen(find(query, actor=actor), keys):
            items = [item for item in section.items if item.erasable]
            if items:
                done = Counter(section.provider.erase(items, actor=actor))
                if set(done) - set(OUTCOMES):
                    raise ValueError(
                        f"Unknown outcome from {section.provider.key}: {sorted(set(done) - set(OUTCOMES))}"
                    )
                # In OUTCOMES order, so the log reads the same whatever order a provider counted in.
                counts[section.provider.key] = {outcome: done[outcome] for outcome in OUTCOMES if done[outcome]}
        record(actor, PersonalDataAction.ERASE, counts)
    return counts


def describe_counts(counts):
    """« Inscriptions aux événements : 2 éléments anonymisés » lines for screens and the log."""
    labels = {provider.key: provider.label for provider in providers()}
    return [
        f"{labels.get(kind, kind)} : "
        + ", ".join(outcome_text(outcome, number) for outcome, number in outcomes.items())
        for kind, outcomes in counts.items()
    ]


def french_date(value, with_time=False):
    """« 12/03/2026 » (« à 14:00 » with ``with_time``), in the site's time zone; « — » for nothing."""
    if value is None:
        return "—"
    if with_time:
        return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


# --- home's own data: user accounts -----------------------------------------------------------------


@register
class UserAccountData(Provider):
    """Accounts of the admin (editors, company people, coordinators). Coordinators find and export
    them; only an administrator erases one, since only administrators manage accounts."""

    key = "accounts"
    label = "Comptes d'accès à l'administration"
    description = "Un compte pour se connecter à l'espace de rédaction du site."
    erase_rule = (
        "Un compte est fermé et vidé (identifiant remplacé, nom et e-mail effacés, mot de passe désactivé, "
        "groupes retirés) ; les pages qu'il a écrites restent. Seul un administrateur peut le faire, et jamais "
        "pour un autre administrateur ni pour son propre compte."
    )
    order = 90

    def _erasable_by(self, actor, account):
        return actor.is_superuser and not account.is_superuser and account.pk != actor.pk

    def find(self, query, *, actor, limit):
        accounts = (
            get_user_model().objects.filter(email__iexact=query.email).prefetch_related("groups").order_by("pk")[:limit]
            if query.email
            else []
        )
        for account in accounts:
            erasable = self._erasable_by(actor, account)
            yield Item(
                kind=self.key,
                pk=account.pk,
                role="compte",
                title=f"Compte « {account.get_username()} »",
                data=[
                    ("Identifiant", account.get_username()),
                    ("Prénom", account.first_name or "—"),
                    ("Nom", account.last_name or "—"),
                    ("E-mail", account.email),
                    ("Créé le", french_date(account.date_joined)),
                    ("Dernière connexion", french_date(account.last_login, with_time=True)),
                    ("Compte actif", "oui" if account.is_active else "non"),
                    ("Groupes", ", ".join(group.name for group in account.groups.all()) or "—"),
                ],
                purpose="Permettre de se connecter à l'administration du site pour y rédiger ou relire.",
                kept_until="Tant que le compte est ouvert.",
                on_erase=(
                    "Le compte est fermé et vidé ; les pages écrites restent."
                    if erasable
                    else "À fermer par un administrateur (Paramètres › Utilisateurs)."
                ),
                erasable=erasable,
                admin_url=reverse("wagtailusers_users:edit", args=[account.pk]) if actor.is_superuser else "",
            )

    def erase(self, items, *, actor):
        done = Counter()
        for account in get_user_model().objects.filter(pk__in=[item.pk for item in items]):
            if not self._erasable_by(actor, account):
                continue
            account.username = f"compte-efface-{account.pk}"
            account.first_name = account.last_name = account.email = ""
            account.is_active = False
            account.set_unusable_password()
            account.save()
            account.groups.clear()
            account.user_permissions.clear()
            profile = getattr(account, "wagtail_userprofile", None)
            if profile is not None and profile.avatar:
                profile.avatar.delete(save=True)
            done["anonymised"] += 1
        return done


# --- home's own data: e-mails waiting in the mail queue ---------------------------------------------


def mentions_address(text, address):
    """``address`` appears in ``text`` as a whole address: « samira@x.org » is not found inside
    « xsamira@x.org » nor « samira@x.org.fr » (the queue's own look-up is a plain substring)."""
    return re.search(r"(?<![\w.+-])" + re.escape(address) + r"(?![\w-]|\.\w)", text, re.IGNORECASE) is not None


@register
class QueuedMailData(Provider):
    """Messages the mail queue still holds (waiting for the worker, or kept because they never left):
    sent messages are blanked by the queue itself (``home.mail``)."""

    key = "queued-mail"
    label = "E-mails pas encore partis"
    description = "Un e-mail du site qui attend d'être envoyé, ou qui n'a pas pu partir."
    erase_rule = "L'e-mail est retiré de la file d'envoi : il ne partira pas."
    order = 95

    def find(self, query, *, actor, limit):
        from home.mail import rows_mentioning

        if not query.email:
            return
        for row in rows_mentioning(query.email).order_by("enqueued_at", "pk")[:limit]:
            args = (row.args_kwargs or {}).get("args") or [{}]
            message = args[0] if isinstance(args[0], dict) else {}
            fields = ("to", "cc", "bcc", "reply_to")
            text = " ".join(
                [*(address for field in fields for address in message.get(field, [])), message.get("body", "")]
            )
            if not mentions_address(text, query.email):
                continue
            failed = row.status == "FAILED"
            yield Item(
                kind=self.key,
                pk=row.pk,
                role="destinataire",
                title=f"E-mail « {message.get('subject', '')} » du {french_date(row.enqueued_at, with_time=True)}",
                data=[
                    ("Objet", message.get("subject", "")),
                    ("État", "n'a pas pu partir" if failed else "en attente d'envoi"),
                ],
                purpose="Vous envoyer ce message (confirmation, rappel, lien…).",
                kept_until=(
                    "30 jours au plus, pour que l'équipe voie ce qui n'est pas parti."
                    if failed
                    else "Jusqu'à son envoi : ensuite, son contenu est effacé."
                ),
                on_erase="Retiré de la file : il ne partira pas.",
            )

    def erase(self, items, *, actor):
        from django_tasks_db.models import DBTaskResult

        from home.mail import MAIL_TASK_BACKEND

        deleted, _ = DBTaskResult.objects.filter(
            backend_name=MAIL_TASK_BACKEND, pk__in=[item.pk for item in items]
        ).delete()
        return {"deleted": deleted}

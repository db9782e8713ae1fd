"""The consent ledger. A record per portrait, outside the page (so never copied into page
revisions), visible only in the admin. No portrait goes live without a complete, unexpired
consent that covers the site; see ``stories.consent_guard`` and ``enforce_consent``.

« May this portrait be public? » is one rule with two faces that must never disagree:
``PortraitConsent.problems`` (in memory: the page, a revision about to be published, Open Graph) and
``may_be_public_filter`` (a queryset condition: every listing, search, feeds, the sitemap, counts).
``tests/test_consent_paths.py`` builds every combination of the fields both read and checks that
they agree."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONSENT_COLLECTION_NAME = "Consentements (privé)"

SCOPE_LABELS = {
    "site": _("le site Impact Jeunes"),
    "social": _("les réseaux sociaux"),
    "print": _("les supports imprimés"),
}


class ConsentRequired(Exception):
    """Raised when something tries to publish a portrait whose consent does not allow it."""

    def __init__(self, page_id, problems):
        self.page_id = page_id
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self):
        return "Ce portrait ne peut pas être publié : " + " ".join(self.problems)


class PortraitConsent(models.Model):
    portrait = models.OneToOneField(
        "stories.PortraitPage",
        verbose_name=_("portrait"),
        on_delete=models.CASCADE,
        related_name="consent",
    )
    subject_name = models.CharField(
        _("nom et prénom de la personne"),
        max_length=150,
        help_text=_("Son vrai nom, même si le portrait utilise un prénom modifié. Jamais affiché sur le site."),
    )
    subject_is_minor = models.BooleanField(
        _("mineure à la signature"),
        default=False,
        help_text=_("Cochez si la personne avait moins de 18 ans quand elle a signé."),
    )
    subject_agreed = models.BooleanField(_("la personne a donné son accord"), default=False)
    guardian_1_name = models.CharField(_("1er titulaire de l'autorité parentale"), max_length=150, blank=True)
    guardian_1_agreed = models.BooleanField(_("accord du 1er titulaire"), default=False)
    guardian_2_name = models.CharField(_("2e titulaire de l'autorité parentale"), max_length=150, blank=True)
    guardian_2_agreed = models.BooleanField(_("accord du 2e titulaire"), default=False)
    sole_guardian = models.BooleanField(
        _("un seul titulaire de l'autorité parentale"),
        default=False,
        help_text=_(
            "Cochez seulement si une seule personne exerce l'autorité parentale (décision de justice, décès…)."
        ),
    )
    covers_site = models.BooleanField(_("site Impact Jeunes"), default=True)
    covers_social = models.BooleanField(_("réseaux sociaux"), default=False)
    covers_print = models.BooleanField(_("supports imprimés (affiches, brochures)"), default=False)
    given_on = models.DateField(_("date de signature"))
    expires_on = models.DateField(_("valable jusqu'au"), help_text=_("Au-delà, le portrait est retiré du site."))
    withdrawn_on = models.DateField(
        _("retiré le"),
        null=True,
        blank=True,
        help_text=_(
            "Date à laquelle la personne ou ses parents ont retiré leur accord. Le portrait est dépublié "
            "et sa photo supprimée."
        ),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document signé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(f"Facultatif. À déposer dans la collection « {CONSENT_COLLECTION_NAME} »."),
    )
    notes = models.TextField(
        _("remarques"), blank=True, max_length=1000, help_text=_("Pas de donnée de santé ni d'information sensible.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("registre des consentements")
        ordering = ["expires_on"]

    def __str__(self):
        return f"Consentement — {self.portrait.title}"

    def clean(self):
        errors = {}
        if self.given_on and self.expires_on and self.expires_on <= self.given_on:
            errors["expires_on"] = _("La date de fin doit être après la date de signature.")
        if self.given_on and self.withdrawn_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("Le retrait ne peut pas précéder la signature.")
        if self.guardian_1_agreed and not self.guardian_1_name.strip():
            errors["guardian_1_name"] = _("Indiquez le nom du parent qui a donné son accord.")
        if self.guardian_2_agreed and not self.guardian_2_name.strip():
            errors["guardian_2_name"] = _("Indiquez le nom du parent qui a donné son accord.")
        if self.document_id and self.document.collection.name != CONSENT_COLLECTION_NAME:
            errors["document"] = _(
                f"Le document signé doit être dans la collection privée « {CONSENT_COLLECTION_NAME} »."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def status(self):
        portrait = self.portrait
        problems = self.problems(age=portrait.age, has_photo=portrait.photo_id is not None)
        if not problems:
            return "Valide"
        return "À compléter : " + " ".join(problems)

    def covers(self, scope):
        return getattr(self, f"covers_{scope}")

    @property
    def is_withdrawn(self):
        return self.withdrawn_on is not None and self.withdrawn_on <= timezone.localdate()

    def problems(self, *, age, has_photo, scope="site", on=None):
        """What is missing for this portrait to appear on ``scope`` on date ``on``, in French.

        The in-memory face of the rule; ``may_be_public_filter`` is its queryset face: change both."""
        on = on or timezone.localdate()
        problems = []
        if self.withdrawn_on is not None and self.withdrawn_on <= on:
            problems.append(f"le consentement a été retiré le {self.withdrawn_on:%d/%m/%Y}.")
            return problems
        if on < self.given_on:
            problems.append(f"le consentement ne commence que le {self.given_on:%d/%m/%Y}.")
        if self.expires_on < on:
            problems.append(f"le consentement a expiré le {self.expires_on:%d/%m/%Y}.")
        if not self.covers(scope):
            problems.append(f"le consentement ne couvre pas {SCOPE_LABELS[scope]}.")
        if not self.subject_agreed:
            problems.append("l'accord de la personne n'est pas enregistré.")
        if self.subject_is_minor or (age is not None and age < 18):
            agreed = [self.guardian_1_agreed, self.guardian_2_agreed]
            if not any(agreed):
                problems.append("pour un mineur, l'accord d'un titulaire de l'autorité parentale est obligatoire.")
            elif has_photo and not all(agreed) and not self.sole_guardian:
                problems.append(
                    "pour la photo d'un mineur, l'accord des deux titulaires de l'autorité parentale est "
                    "obligatoire (ou cochez « un seul titulaire » si c'est le cas)."
                )
        return problems


def get_consent(portrait):
    if portrait.pk is None:
        return None
    try:
        return portrait.consent
    except PortraitConsent.DoesNotExist:
        return None


def consent_problems(consent, *, age, has_photo, scope="site", on=None):
    if consent is None:
        return ["aucun consentement n'est enregistré dans le registre des consentements (demandez à un coordinateur)."]
    return consent.problems(age=age, has_photo=has_photo, scope=scope, on=on)


def may_be_public_filter(prefix="", *, scope="site", on=None):
    """Queryset condition for portraits that may be public on ``scope`` on date ``on`` (today): the
    same rule as ``PortraitConsent.problems``, field by field. ``prefix`` reaches portraits from
    another model (``"portraitpage__"`` from ``Page``). A portrait without a ledger record never
    matches. Publishing already requires the rule; applying it to every listing as well makes an
    expiry or a withdrawal take effect at once, before ``enforce_consents`` unpublishes."""
    on = on or timezone.localdate()

    def field(**conditions):
        return Q(**{f"{prefix}{name}": value for name, value in conditions.items()})

    # A withdrawal dated in the future (recorded ahead of time) takes effect on that day.
    not_withdrawn = field(consent__withdrawn_on__isnull=True) | field(consent__withdrawn_on__gt=on)
    valid = field(
        consent__given_on__lte=on,
        consent__expires_on__gte=on,
        consent__subject_agreed=True,
        **{f"consent__covers_{scope}": True},
    )
    adult = field(consent__subject_is_minor=False, age__gte=18)
    a_guardian = field(consent__guardian_1_agreed=True) | field(consent__guardian_2_agreed=True)
    photo_allowed = (
        field(photo__isnull=True)
        | field(consent__sole_guardian=True)
        | field(consent__guardian_1_agreed=True, consent__guardian_2_agreed=True)
    )
    return not_withdrawn & valid & (adult | (a_guardian & photo_allowed))


def public_problems(portrait, *, scope="site", on=None):
    """Why ``portrait`` (a page, or a candidate such as a revision's object) may not be public on
    ``scope`` on date ``on`` (today), in French; empty when it may."""
    return consent_problems(
        get_consent(portrait), age=portrait.age, has_photo=portrait.photo_id is not None, scope=scope, on=on
    )


def may_be_public(portrait, *, scope="site", on=None):
    """The in-memory face of ``may_be_public_filter``."""
    return not public_problems(portrait, scope=scope, on=on)


def go_live_problems(portrait):
    """Problems blocking ``portrait`` (an in-memory candidate, e.g. a revision) from going live,
    now and, when it is scheduled, on its go-live date too."""
    problems = public_problems(portrait)
    if get_consent(portrait) is not None and portrait.go_live_at and portrait.go_live_at > timezone.now():
        later = public_problems(portrait, on=timezone.localdate(portrait.go_live_at))
        problems += [problem for problem in later if problem not in problems]
    return problems


def enforce_consent(portrait, *, user=None):
    """Take ``portrait`` offline if its consent no longer covers the site; on withdrawal, delete every
    image of the person it used, with their renditions (``stories.withdrawal``). Returns a list of
    what was done, in French (empty when nothing was)."""
    from stories.withdrawal import delete_images_of, describe

    done = []
    consent = get_consent(portrait)
    if consent is not None and consent.is_withdrawn:
        photo_id = portrait.photo_id
        deleted = delete_images_of(portrait)
        if deleted:
            done.append(describe(deleted, photo_id))
    problems = consent_problems(consent, age=portrait.age, has_photo=portrait.photo_id is not None)
    if problems:
        cancelled = portrait.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)
        if cancelled:
            done.append("publication programmée annulée")
        if portrait.live:
            portrait.unpublish(user=user)
            done.append("portrait dépublié")
    return done


def default_expiry(given_on=None):
    given_on = given_on or timezone.localdate()
    years = getattr(settings, "PORTRAIT_CONSENT_YEARS", 3)
    try:
        return given_on.replace(year=given_on.year + years)
    except ValueError:  # 29 February
        return given_on.replace(year=given_on.year + years, day=28)


__all__ = [
    "CONSENT_COLLECTION_NAME",
    "ConsentRequired",
    "PortraitConsent",
    "consent_problems",
    "default_expiry",
    "enforce_consent",
    "get_consent",
    "go_live_problems",
    "may_be_public",
    "may_be_public_filter",
    "public_problems",
]

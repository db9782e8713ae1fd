"""Form helpers shared by every public form, whatever app it lives in.

Clean text (``CleanTextMixin``): control characters and line breaks never reach a single-line value.

Error messages in the site's voice (``SiteVoiceMixin``):
Django's French messages say « vous » and sound like an administration (« Saisissez une adresse de
courriel valide. », « Assurez-vous que cette valeur comporte au plus… »). Young people are told « tu »,
companies and parents « vous ». A form declares its voice with ``SiteVoiceMixin``; every field message
left at Django's default is replaced, while a message written for the field stays as written.

The validators' messages (max_length, min_length, max_value, min_value, null characters) are covered
too: Django lets a field's ``error_messages`` override its validators' messages by code."""

import re

from django import forms
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _

TU = "tu"
VOUS = "vous"

MESSAGES = {
    TU: {
        "required": _("Remplis ce champ."),
        "required_choice": _("Choisis une réponse."),
        "required_checkbox": _("Coche cette case."),
        "invalid_email": _("Écris une adresse e-mail complète, par exemple prenom@exemple.fr."),
        "invalid_url": _("Écris une adresse web complète, par exemple https://exemple.fr."),
        "invalid_date": _("Écris une date, par exemple 15/03/2026."),
        "invalid_time": _("Écris une heure, par exemple 14:00."),
        "invalid_number": _("Écris un nombre."),
        "invalid": _("Vérifie ce que tu as écrit."),
        "invalid_choice": _("Choisis une des réponses proposées."),
        "max_length": _("%(limit_value)d caractères au plus (tu en as écrit %(show_value)d)."),
        "min_length": _("Au moins %(limit_value)d caractères (tu en as écrit %(show_value)d)."),
        "max_value": _("%(limit_value)s au plus."),
        "min_value": _("Au moins %(limit_value)s."),
        "null_characters_not_allowed": _("Ce texte contient un caractère invisible : efface-le et réessaie."),
    },
    VOUS: {
        "required": _("Remplissez ce champ."),
        "required_choice": _("Choisissez une réponse."),
        "required_checkbox": _("Cochez cette case."),
        "invalid_email": _("Saisissez une adresse e-mail complète, par exemple nom@entreprise.fr."),
        "invalid_url": _("Saisissez une adresse web complète, par exemple https://entreprise.fr."),
        "invalid_date": _("Saisissez une date, par exemple 15/03/2026."),
        "invalid_time": _("Saisissez une heure, par exemple 14:00."),
        "invalid_number": _("Saisissez un nombre."),
        "invalid": _("Vérifiez ce que vous avez saisi."),
        "invalid_choice": _("Choisissez une des réponses proposées."),
        "max_length": _("%(limit_value)d caractères au plus (vous en avez saisi %(show_value)d)."),
        "min_length": _("Au moins %(limit_value)d caractères (vous en avez saisi %(show_value)d)."),
        "max_value": _("%(limit_value)s au plus."),
        "min_value": _("Au moins %(limit_value)s."),
        "null_characters_not_allowed": _("Ce texte contient un caractère invisible : effacez-le et réessayez."),
    },
}

# Codes a validator may raise although the field has no default message for them (EmailField's "invalid"
# comes from its validator).
VALIDATOR_CODES = ("invalid", "max_length", "min_length", "max_value", "min_value", "null_characters_not_allowed")


def _django_defaults(field):
    """The messages Django gives ``field`` when nobody wrote one (its classes' ``default_error_messages``)."""
    defaults = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def _message_for(field, code, table):
    if code == "required":
        if isinstance(field, forms.BooleanField):
            return table["required_checkbox"]
        if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
            return table["required_choice"]
        return table["required"]
    if code == "invalid":
        for klass, key in (
            (forms.EmailField, "invalid_email"),
            (forms.URLField, "invalid_url"),
            (forms.DateField, "invalid_date"),
            (forms.TimeField, "invalid_time"),
            ((forms.IntegerField, forms.DecimalField, forms.FloatField), "invalid_number"),
        ):
            if isinstance(field, klass):
                return table[key]
        return table["invalid"]
    return table.get(code)


def apply_voice(field, voice):
    """Replace ``field``'s default messages by the site's, in ``voice`` (« tu » or « vous »)."""
    table = MESSAGES[voice]
    defaults = _django_defaults(field)
    messages = dict(field.error_messages)
    for code in [*messages, *VALIDATOR_CODES]:
        written_for_the_field = code in messages and messages[code] != defaults.get(code)
        if written_for_the_field:
            continue
        replacement = _message_for(field, code, table)
        if replacement is not None:
            messages[code] = replacement
    field.error_messages = messages


class SiteVoiceMixin:
    """Put first in a public form's bases; set ``voice = VOUS`` for forms addressed to companies or parents."""

    voice = TU

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            apply_voice(field, self.voice)


# C0 controls, DEL and C1 controls, plus the Unicode line and paragraph separators: none of them
# belongs in a name, a title or an address, and a line break in a value that ends up in an e-mail
# header (a proposal's title is the subject of the coordinators' e-mail) makes Django refuse the
# whole message (BadHeaderError).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
# What a multi-line field keeps: tabs and line breaks.
MULTI_LINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def single_line(value):
    """``value`` on one line: breaks and tabs become a space, other control characters go."""
    value = LINE_BREAKS.sub(" ", value)
    return re.sub(r" {2,}", " ", CONTROL_CHARACTERS.sub("", value)).strip()


def without_controls(value):
    """A multi-line ``value`` without control characters other than tabs and line breaks."""
    return MULTI_LINE_CONTROLS.sub("", value)


class SingleLineCharField(forms.CharField):
    """A text field whose value never spans lines nor holds control characters."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value


class CleanTextMixin(forms.Form):
    """Cleans what visitors type before any validation runs: every single-line text field (a
    ``CharField`` or subclass — e-mail, regex… — shown with an ``<input>``) loses its control
    characters, line breaks included; multi-line ones (``Textarea``) keep only tabs and line breaks.
    Use it on every public form (``events.forms.HoneypotMixin`` includes it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or not isinstance(field.widget, Input | forms.Textarea):
                continue
            key = self.add_prefix(name)
            if key not in data:
                continue
            clean = without_controls if isinstance(field.widget, forms.Textarea) else single_line
            if hasattr(data, "setlist"):
                data.setlist(key, [clean(value) if isinstance(value, str) else value for value in data.getlist(key)])
            elif isinstance(data[key], str):
                data[key] = clean(data[key])
        self.data = data

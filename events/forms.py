from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from events.models import AgeRange, Companion
from home.forms import CleanTextMixin, SiteVoiceMixin


class SiteFormRenderer(TemplatesSetting):
    """Public forms render each field inside one wrapper (components/form-field.html), for layout."""

    field_template_name = "components/form-field.html"


class HoneypotMixin(CleanTextMixin, forms.Form):
    """A field people never see (hidden by CSS and from assistive technology) that naive bots fill in.
    Every public form uses it, so it also brings ``CleanTextMixin`` (no control characters)."""

    default_renderer = SiteFormRenderer()

    def __init__(self, *args, **kwargs):
        # Labels are full sentences or end with "?"; Django's " :" suffix would only add noise for screen readers.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    site_web = forms.CharField(
        required=False,
        label=_("Ne pas remplir ce champ"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self):
        return bool(self.data.get("site_web"))


class RegistrationForm(SiteVoiceMixin, HoneypotMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Pour t'envoyer la confirmation et le lien d'annulation."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.RegexField(
        label=_("Téléphone (facultatif)"),
        required=False,
        regex=r"^\+?[0-9 .-]{6,20}$",
        max_length=20,
        error_messages={"invalid": _("Saisis un numéro de téléphone, par exemple 06 12 34 56 78.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    age_range = forms.ChoiceField(label=_("Ton âge"), choices=AgeRange.choices, widget=forms.RadioSelect)
    guardian_email = forms.EmailField(
        label=_("E-mail d'un parent (obligatoire si tu as moins de 15 ans)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    neighbourhood = forms.CharField(
        label=_("Ton quartier ou ta commune"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    companion = forms.ChoiceField(
        label=_("Tu viens…"), choices=Companion.choices, initial=Companion.ALONE, widget=forms.RadioSelect
    )
    privacy_accepted = forms.BooleanField(
        label=_("J'ai lu comment mes informations sont utilisées (ci-dessus) et je suis d'accord."),
        error_messages={"required": _("Coche cette case pour t'inscrire.")},
    )

    def __init__(self, *args, parents_welcome=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not parents_welcome:
            # The page says « réservé aux jeunes »: the form does not offer to bring a parent, and a
            # crafted POST choosing one is refused in words.
            companion = self.fields["companion"]
            companion.choices = [choice for choice in Companion.choices if choice[0] != Companion.PARENT]
            companion.help_text = _("Cet événement est réservé aux jeunes : les parents n'y viennent pas.")
            companion.error_messages["invalid_choice"] = _(
                "Cet événement est réservé aux jeunes : tu peux venir seul·e ou avec un conseiller ou un éducateur."
            )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("age_range") == AgeRange.UNDER_15 and not cleaned_data.get("guardian_email"):
            self.add_error("guardian_email", _("Tu as moins de 15 ans : indique l'e-mail d'un parent."))
        email, guardian = cleaned_data.get("email"), cleaned_data.get("guardian_email")
        if email and guardian and email.lower() == guardian.lower():
            self.add_error("guardian_email", _("L'e-mail du parent doit être différent du tien."))
        return cleaned_data

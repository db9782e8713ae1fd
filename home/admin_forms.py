"""Admin forms where Wagtail's own leave English behind.

Wagtail's login form redeclares its password field without a label, so Django shows the field's
name, « Password », whatever the language (no translation can reach it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")

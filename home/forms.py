"""Form helpers shared by every public form, whatever app it lives in."""

import re

from django import forms
from django.forms.widgets import Input

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

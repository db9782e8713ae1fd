"""French spacing: a non-breaking space before « : ; ! ? » and inside « ».

French puts a space before those signs and inside guillemets; a plain space lets the browser (or a mail
client) break the line there and leave « ? » or « » » alone at the start of the next line. We use the
ordinary no-break space (U+00A0) everywhere, not the narrow one (U+202F) typographers prefer before ; ! ?:
every font and every mail client has it.

Only spaces that are already there are replaced: nothing is inserted, so ``14:00``, ``https://`` or a
pasted « ?! » stay as they are.

Where it applies:

* every HTML page of the public site, through ``FrenchSpacingMiddleware``, so the templates, the editors'
  content (titles, quotes, rich text), form errors and messages are all covered in one place, whoever
  wrote them. Only text between tags changes: attributes, ``<script>``, ``<style>``, ``<textarea>``,
  ``<pre>`` and ``<code>`` are left untouched (what a person typed into a form comes back unchanged). The
  admin (``FRENCH_SPACING_EXCLUDED_PATHS``) is left to Wagtail's own translations and our overrides;
* plain-text e-mails, by calling ``french_spacing`` on the subject and body where they are built.
"""

import re

from django.conf import settings

NBSP = "\u00a0"

# A run of plain spaces after a visible character (or at the very start of the text) and before a
# high sign or a closing guillemet. Newlines are never touched: they are layout, not a word space.
_BEFORE_SIGN = re.compile(r"(?:(?<=\S)|^)[ \t]+(?=[:;!?»])")
_AFTER_OPENING = re.compile(r"«[ \t]+")

# Tags and comments of an HTML document; what lies between them is text.
_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_RAW_ELEMENTS = ("script", "style", "textarea", "pre", "code")
_OPENING = re.compile(r"<(" + "|".join(_RAW_ELEMENTS) + r")[\s>/]", re.IGNORECASE)


def french_spacing(text):
    """``text`` with the plain spaces before : ; ! ? » and after « made non-breaking."""
    if not text:
        return text
    text = _BEFORE_SIGN.sub(NBSP, text)
    return _AFTER_OPENING.sub("«" + NBSP, text)


def french_spacing_html(html):
    """The same on the text of an HTML document, leaving tags, attributes and raw elements alone."""
    parts = _TOKENS.split(html)
    closing = None  # the closing tag we are waiting for inside a raw element
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            if closing is None:
                match = _OPENING.match(part)
                if match:
                    closing = f"</{match.group(1).lower()}"
            elif part.lower().startswith(closing):
                closing = None
        elif closing is None and part:
            parts[index] = french_spacing(part)
    return "".join(parts)


class FrenchSpacingMiddleware:
    """Applies ``french_spacing_html`` to the public site's HTML pages.

    Sits right after the page cache in ``MIDDLEWARE``, so what the cache stores is already spaced and a
    hit costs nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(getattr(settings, "FRENCH_SPACING_EXCLUDED_PATHS", ("/admin/",)))

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(self.excluded)
            or getattr(response, "streaming", False)
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        charset = response.charset or "utf-8"
        content = response.content.decode(charset, errors="surrogateescape")
        spaced = french_spacing_html(content)
        if spaced != content:
            response.content = spaced.encode(charset, errors="surrogateescape")
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

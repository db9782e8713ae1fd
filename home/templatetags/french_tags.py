"""French in templates: words in the middle of a sentence (``lower_first``)."""

from django import template

from home.french import lower_first as _lower_first

register = template.Library()


@register.filter
def lower_first(value):
    """« dans le secteur {{ sector.name|lower_first }} »: « santé et social », but « BTP »."""
    return _lower_first(str(value)) if value is not None else ""

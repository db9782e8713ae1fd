from django import template

register = template.Library()


@register.filter
def options(items):
    """(value, label) pairs for ``components/filter-select.html``, from pages and snippets (slug and
    title or name), plain strings, or pairs already: every listing's filters share one select."""
    pairs = []
    for item in items:
        if isinstance(item, tuple | list):
            pairs.append((item[0], item[1]))
        elif isinstance(item, str):
            pairs.append((item, item))
        else:
            pairs.append((item.slug, getattr(item, "title", None) or item.name))
    return pairs

"""schema.org Event data for search engines, as JSON-LD (a data block: the CSP does not run it)."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def event_json(event, request=None):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": timezone.localtime(event.start_at).isoformat(),
        "endDate": timezone.localtime(event.end_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "location": {
            "@type": "Place",
            "name": event.venue,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address,
                "postalCode": event.postal_code,
                "addressLocality": event.commune,
                "addressCountry": "FR",
            },
        },
        "organizer": {"@type": "Organization", "name": "Impact Jeunes"},
    }
    url = event.get_full_url(request)
    if url:
        data["url"] = url
    return data


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    # Escaped like Django's json_script: nothing in a title can close the script element early.
    payload = json.dumps(event_json(event, context.get("request")), ensure_ascii=False).translate(
        {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))

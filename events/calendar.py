"""iCalendar files and feeds, built with the ``icalendar`` library. Times are written with their
Europe/Paris TZID and a VTIMEZONE, so calendars keep 10:00 as 10:00 across daylight-saving changes."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


def event_uid(event):
    return f"evenement-{event.pk}@impact-jeunes"


def build_calendar(events, request=None, name="Impact Jeunes"):
    calendar = Calendar()
    calendar.add("prodid", "-//Impact Jeunes//Forums et événements//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    tz = timezone.get_current_timezone()
    for event in events:
        entry = Event()
        entry.add("uid", event_uid(event))
        entry.add("summary", event.title)
        entry.add("dtstart", timezone.localtime(event.start_at, tz))
        entry.add("dtend", timezone.localtime(event.end_at, tz))
        entry.add("dtstamp", (event.last_published_at or timezone.now()).astimezone(datetime.UTC))
        where = ", ".join(part for part in (event.venue, event.address, event.postal_code, event.commune) if part)
        entry.add("location", vText(where))
        url = event.get_full_url(request)
        description = event.summary
        if url:
            entry.add("url", url)
            description = f"{description}\n\n{url}"
        entry.add("description", description)
        organizer = vCalAddress("mailto:ne-pas-repondre@impact-jeunes.fr")
        organizer.params["cn"] = vText("Impact Jeunes")
        entry.add("organizer", organizer)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar


def calendar_response(request, events, name, title, filename=None):
    response = HttpResponse(
        build_calendar(events, request, title).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    disposition = "attachment" if filename else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename or name + ".ics"}"'
    return response

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from events import registration as seats
from events.calendar import calendar_response
from events.forms import RegistrationForm
from events.models import EventPage, RegistrationStatus
from events.ratelimit import hit
from home.models import NeighbourhoodPage
from home.models.pages import attach_neighbourhoods

OUTCOME_SLUGS = {RegistrationStatus.CONFIRMED: "confirmee", RegistrationStatus.WAITING: "attente", "closed": "fermee"}


def event_page_view(event, request):
    form = RegistrationForm()
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        limit, window = settings.REGISTRATION_RATE_LIMIT
        if form.is_bot():
            # Answer like a success so the bot learns nothing; nothing is stored.
            return redirect(f"{event.url}?inscription=confirmee#inscription")
        if not hit(request, "registration", limit, window):
            form.add_error(None, "Trop d'inscriptions depuis cette connexion. Réessaie dans quelques minutes.")
            status = 429
        elif form.is_valid():
            outcome = seats.register(event, form.cleaned_data, request)
            return redirect(f"{event.url}?inscription={OUTCOME_SLUGS[outcome.status]}#inscription")
        else:
            status = 400
    event.neighbourhood = attach_neighbourhoods([event])[0].neighbourhood
    response = event.render(
        request,
        context_overrides={
            "form": form,
            "outcome": request.GET.get("inscription") if request.method == "GET" else None,
            "participants": event.participants.select_related("company", "company__logo"),
            "seats_left": event.seats_left,
            "registration_open": event.registration_is_open(),
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
        },
    )
    response.status_code = status
    return response


@require_http_methods(["GET", "POST"])
def cancel_registration(request, token):
    registration = seats.registration_from_token(token)
    if registration is None or registration.anonymised_at:
        raise Http404
    cancelled = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not cancelled:
        seats.cancel(registration, request)
        cancelled = True
    return TemplateResponse(
        request,
        "events/cancel.html",
        {"registration": registration, "event": registration.event, "cancelled": cancelled},
    )


# Calendar files live outside Wagtail's page routes: page URLs cannot contain a dot.


def all_events_calendar(request):
    return calendar_response(
        request, EventPage.feed_queryset(), "impact-jeunes", "Impact Jeunes — forums et événements"
    )


def neighbourhood_calendar(request, slug):
    neighbourhood = get_object_or_404(NeighbourhoodPage.objects.live().public(), slug=slug)
    return calendar_response(
        request,
        EventPage.feed_queryset().descendant_of(neighbourhood),
        f"impact-jeunes-{slug}",
        f"Impact Jeunes — {neighbourhood.title}",
    )


def event_calendar(request, pk):
    event = get_object_or_404(EventPage.objects.live().public(), pk=pk)
    return calendar_response(request, [event], event.slug, event.title, filename=f"{event.slug}.ics")

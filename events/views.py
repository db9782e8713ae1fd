from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
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
    form = RegistrationForm(parents_welcome=event.parents_welcome)
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, parents_welcome=event.parents_welcome)
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
    """The link mailed with every registration. Each state says what it means and what to do next:
    a link that was cut or altered, one whose registration was erased after the event, an event already
    over, a registration already cancelled (the link was used), or the question « tu annules ? »."""
    registration = seats.registration_from_token(token)
    if registration is None and not seats.token_is_genuine(token):
        return cancel_page(request, "invalid", status=404)
    if registration is None or registration.anonymised_at:
        # The signature is ours: the registration existed and was erased with the event's data.
        return cancel_page(request, "erased", status=410)
    event = registration.event
    context = {"registration": registration, "event": event}
    if registration.status == RegistrationStatus.CANCELLED:
        state = "done" if request.GET.get("fait") == "1" else "already"
        return cancel_page(request, state, **context)
    if event.end_at <= timezone.now():
        return cancel_page(request, "over", status=410, **context)
    if request.method == "POST":
        seats.cancel(registration, request, notify=True)
        # Post/redirect/get: reloading the page does not ask the browser to send the form again.
        return redirect(f"{request.path}?fait=1")
    return cancel_page(request, "ask", **context)


def cancel_page(request, state, status=200, **context):
    response = TemplateResponse(request, "events/cancel.html", {"state": state, **context}, status=status)
    # Nobody else's browser or proxy keeps what this link showed.
    patch_cache_control(response, private=True, no_store=True)
    return response


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

from django.urls import path

from events.views import all_events_calendar, cancel_registration, event_calendar, neighbourhood_calendar

app_name = "events"

urlpatterns = [
    path("inscriptions/annuler/<str:token>/", cancel_registration, name="cancel"),
    path("evenements/calendrier.ics", all_events_calendar, name="calendar"),
    path("evenements/calendrier/quartier-<slug:slug>.ics", neighbourhood_calendar, name="neighbourhood_calendar"),
    path("evenements/calendrier/evenement-<int:pk>.ics", event_calendar, name="event_calendar"),
]

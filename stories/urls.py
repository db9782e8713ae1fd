from django.urls import path

from stories.feeds import PortraitFeed

app_name = "stories"

urlpatterns = [
    # A dot keeps this clear of Wagtail's page routes: slugs cannot contain one.
    path("portraits/flux.xml", PortraitFeed(), name="portraits_feed"),
]

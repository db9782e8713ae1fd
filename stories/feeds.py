"""RSS feed of the latest portraits (/portraits/flux.xml), for feed readers and partners' sites."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from stories.models import PortraitIndexPage, PortraitPage


class PortraitFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Les nouveaux portraits · Impact Jeunes"
    description = "Des jeunes des quartiers racontent leur parcours vers l'emploi."
    language = "fr"
    item_guid_is_permalink = True
    count = 20

    def get_object(self, request, *args, **kwargs):
        # The feed object is shared by every request: the request travels as the "object" instead.
        return request

    def link(self, request):
        index = PortraitIndexPage.objects.live().public().first()
        return index.get_full_url(request) if index else "/"

    def items(self, request):
        # The same rule as the site's listings: live, public and a consent valid today.
        portraits = list(PortraitPage.listing_queryset()[: self.count])
        for portrait in portraits:
            portrait.feed_url = portrait.get_full_url(request)
        return portraits

    def item_title(self, item):
        # display_name shows the family name only with the « Prénom et nom » level, as the page does.
        return f"{item.display_name}, {item.age} ans — {item.job_title}"

    def item_description(self, item):
        if item.easy_read_summary:
            return item.easy_read_summary
        employer = item.employer_label
        return f"{item.job_title}{f' chez {employer}' if employer else ''} : « {item.quote} »"

    def item_link(self, item):
        return item.feed_url

    def item_guid(self, item):
        return item.feed_url

    def item_pubdate(self, item):
        return item.first_published_at

from wagtail.contrib.sitemaps import Sitemap


class SiteSitemap(Sitemap):
    """Wagtail's sitemap, minus portraits the consent rule does not allow (``may_be_public_filter``,
    the one every listing uses): between an expiry and the next ``enforce_consents`` run the page
    already answers 404, so search engines must not be sent there either. One subquery, whatever
    the number of portraits."""

    def items(self):
        from stories.models import PortraitPage, may_be_public_filter

        valid = PortraitPage.objects.filter(may_be_public_filter()).values("pk")
        lapsed = PortraitPage.objects.exclude(pk__in=valid).values("pk")
        return super().items().exclude(pk__in=lapsed)

from wagtail.contrib.sitemaps import Sitemap


class SiteSitemap(Sitemap):
    """Wagtail's sitemap, minus portraits whose consent lapsed since they were published: between
    an expiry and the next ``enforce_consents`` run the page already answers 404, so search engines
    must not be sent there either. One subquery, whatever the number of portraits."""

    def items(self):
        from stories.models import PortraitPage
        from stories.models.portraits import site_consent_filter

        valid = PortraitPage.objects.filter(site_consent_filter()).values("pk")
        lapsed = PortraitPage.objects.exclude(pk__in=valid).values("pk")
        return super().items().exclude(pk__in=lapsed)

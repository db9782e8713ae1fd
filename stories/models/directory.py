"""/dispositifs/: the schemes young people can use, each shown through the people who used it."""

import unicodedata

from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from home.models.pages import attach_neighbourhoods
from stories.models.portraits import PortraitPage
from stories.models.taxonomies import Dispositif


def french_sort_key(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class DispositifIndexPage(RoutablePageMixin, Page):
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("annuaire des dispositifs")

    @staticmethod
    def dispositifs_with_counts():
        visible = Q(portraits__in=PortraitPage.listing_queryset().values("pk"))
        return Dispositif.objects.annotate(portrait_count=Count("portraits", filter=visible, distinct=True))

    @path("")
    def directory(self, request):
        # Sorted in Python, accents ignored: "École de la 2e chance" belongs under E whatever the
        # database's collation (SQLite and PostgreSQL's C locale put it after Z). There are tens of schemes.
        dispositifs = sorted(self.dispositifs_with_counts(), key=lambda d: french_sort_key(d.name))
        return self.render(request, context_overrides={"dispositifs": dispositifs})

    @re_path(r"^(?P<slug>[-\w]+)/$")
    def dispositif(self, request, slug):
        dispositif = Dispositif.objects.filter(slug=slug).first()
        if dispositif is None:
            raise Http404
        portraits = attach_neighbourhoods(PortraitPage.listing_queryset().filter(dispositifs=dispositif)[:48])
        return self.render(
            request,
            template="stories/dispositif_page.html",
            context_overrides={"dispositif": dispositif, "portraits": portraits},
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        urls += [{"location": f"{base}{slug}/"} for slug in Dispositif.objects.values_list("slug", flat=True)]
        return urls

"""/recherche/: one search box for portraits, companies, events and schemes.

Matching is tolerant of how people type on a phone: accents are ignored ("velo" finds "vélo") and
plurals fold ("apprentis" finds "apprenti"). On PostgreSQL the ``french_unaccent`` text search
configuration (home/migrations/0004_search_french.py) does both. SQLite's FTS5 tokenizer drops
accents but does not stem, so every word is also searched in its singular/plural form (see
``word_variants``); the same expansion is harmless on PostgreSQL, whose stemmer maps the variants to
the same lexeme, so both databases run one code path.

Only what a visitor may already see is searched: live pages without a view restriction, and
portraits whose consent covers the site today (``PortraitPage.listing_queryset``).
"""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText
from wagtail.search.utils import normalise_query_string

from events.models import EventPage
from home.models import NeighbourhoodPage
from home.models.pages import attach_neighbourhoods
from stories.models import CompanyPage, Dispositif, PortraitPage

MAX_QUERY_LENGTH = 100
# Longer questions add little and each word widens the database query.
MAX_WORDS = 8
PER_GROUP = 10
PER_PAGE = 20

# Words so common that requiring them would hide good results on SQLite, whose index keeps them
# (PostgreSQL's French configuration drops them itself).
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
    ]
)

WORD = re.compile(r"[^\W_]+")


class Group:
    def __init__(self, key, label, queryset):
        self.key = key
        self.label = label
        self.queryset = queryset


def visible(listing):
    """The listing's rows, as a filter the search backend accepts: it only filters on declared
    ``FilterField``s (``id`` is one on every page), not on the consent ledger that portraits'
    listing joins. Ordering is dropped so results come by relevance."""
    return listing.model.objects.filter(id__in=listing.order_by().values("id"))


def search_groups():
    """The result types, in the order the page shows them, with what their cards need."""
    return [
        Group(
            "portraits",
            "Portraits",
            visible(PortraitPage.listing_queryset())
            .select_related("photo", "sector", "employer_page")
            .prefetch_related("photo__renditions"),
        ),
        Group(
            "entreprises",
            "Entreprises",
            visible(CompanyPage.listing_queryset())
            .select_related("logo", "sector")
            .prefetch_related("logo__renditions", "offers"),
        ),
        Group(
            "evenements",
            "Événements",
            visible(EventPage.listing_queryset()).annotate(
                confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed"))
            ),
        ),
        Group("dispositifs", "Dispositifs", Dispositif.objects.order_by()),
    ]


def clean_query(raw):
    """The text shown back to the visitor: capped, without control characters (PostgreSQL refuses
    NUL bytes), spaces collapsed."""
    text = "".join(char if char.isprintable() else " " for char in raw[: MAX_QUERY_LENGTH * 2])
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(text):
    """Searchable words only: letters and digits. Quotes and operators never reach the full-text
    syntax of either database, so odd input cannot turn into a server error."""
    words = []
    for word in WORD.findall(text.lower()):
        if len(word) > 1 and word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def word_variants(word):
    """The word with its French singular/plural partner, for SQLite which does not stem:
    boulangères → boulangère, apprenti → apprentis, chevaux → cheval."""
    variants = [word]
    if len(word) > 4 and word.endswith("aux"):
        variants.append(word[:-3] + "al")
    elif len(word) > 3 and word.endswith("al"):
        variants.append(word[:-2] + "aux")
    if len(word) > 3 and word[-1] in "sx":
        variants.append(word[:-1])
    elif len(word) > 2:
        variants.append(word + "s")
    return variants


def build_query(words):
    parts = [Or([PlainText(variant) for variant in word_variants(word)]) for word in words]
    return parts[0] if len(parts) == 1 else And(parts)


def promoted_results(text):
    """Editors' picks for this exact query (« Résultats mis en avant » in the admin). A picked page
    that is no longer public — a draft, a private page, a portrait whose consent lapsed — is left out.

    The query is looked up, never created: wagtail's ``Query.get`` would write a row per search."""
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(text)).order_by("sort_order", "pk")
    )
    page_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    visible = {}
    if page_ids:
        hidden_portraits = PortraitPage.objects.exclude(pk__in=PortraitPage.listing_queryset().values("pk"))
        visible = {
            page.pk: page
            for page in Page.objects.live()
            .public()
            .filter(pk__in=page_ids)
            .exclude(pk__in=hidden_portraits.values("pk"))
            .select_related("content_type")
        }
    results = []
    for promotion in promotions:
        if promotion.page_id:
            page = visible.get(promotion.page_id)
            if page is None:
                continue
            results.append(
                {
                    "title": page.title,
                    "page": page,
                    "kind": page.specific_class._meta.verbose_name if page.specific_class else "",
                    "description": promotion.description or page.search_description,
                }
            )
        elif promotion.external_link_url:
            results.append(
                {
                    "title": promotion.external_link_text or promotion.external_link_url,
                    "url": promotion.external_link_url,
                    "kind": "Lien externe",
                    "description": promotion.description,
                }
            )
    return results


def prepare(group, items, neighbourhoods):
    """What the cards need, fetched once per list rather than once per card."""
    items = list(items)
    if group.key in ("portraits", "evenements"):
        attach_neighbourhoods(items, neighbourhoods)
    return items


def paginate(request, results):
    paginator = Paginator(results, PER_PAGE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def search(request):
    text = clean_query(request.GET.get("q", ""))
    words = query_words(text)
    groups = search_groups()
    selected = next((group for group in groups if group.key == request.GET.get("type")), None)
    context = {"search_query": text, "groups": [], "selected": None, "promoted": [], "total": 0}

    if words:
        query = build_query(words)
        backend = get_search_backend()
        neighbourhoods = NeighbourhoodPage.filter_options()
        if selected is not None:
            page_obj = paginate(request, backend.search(query, selected.queryset))
            selected.items = prepare(selected, page_obj.object_list, neighbourhoods)
            selected.count = page_obj.paginator.count
            context.update(
                selected=selected,
                page_obj=page_obj,
                total=selected.count,
                page_query=urlencode({"q": text, "type": selected.key}),
            )
        else:
            for group in groups:
                results = backend.search(query, group.queryset)
                group.count = results.count()
                if group.count:
                    group.items = prepare(group, results[:PER_GROUP], neighbourhoods)
                    group.more_query = urlencode({"q": text, "type": group.key})
                    context["groups"].append(group)
            context["total"] = sum(group.count for group in context["groups"])
            context["promoted"] = promoted_results(text)

    context["all_query"] = urlencode({"q": text})
    return TemplateResponse(request, "search/search-page.html", context)

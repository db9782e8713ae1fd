"""Blocks shared by every app. Each block carries its icon, template, description and preview."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
        help_text=_("La hiérarchie des titres aide les lecteurs d'écran à naviguer."),
    )

    class Meta:
        icon = "title"
        template = "components/blocks/heading-block.html"
        label = _("Titre")
        description = _("Un titre de section (h2) ou de sous-section (h3).")
        preview_value = {"text": "Mon premier stage", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "components/blocks/paragraph-block.html"
        label = _("Paragraphe")
        description = _("Du texte avec gras, italique, listes et liens.")
        preview_value = "<p>J'ai poussé la porte de la Mission Locale un mardi matin.</p>"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "components/blocks/figure-block.html"
        label = _("Image")
        description = _("Une image avec son texte alternatif et une légende facultative.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"), max_length=500)
    attribution = blocks.CharBlock(label=_("Auteur"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote-block.html"
        label = _("Citation")
        description = _("Une phrase forte, mise en valeur.")
        preview_value = {"quote": "Personne ne m'avait dit que c'était possible.", "attribution": "Inès"}


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    quote = QuoteBlock()

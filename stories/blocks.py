"""Blocks for portraits: the parcours (dated steps linked to schemes) and click-to-load videos."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import BodyStreamBlock

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def parse_video_url(url):
    """Return ``(host_name, embed_url, watch_url)`` for a YouTube or Vimeo link, or None.

    Only these hosts are accepted: the embed runs on a privacy-friendly domain
    (youtube-nocookie.com, Vimeo with do-not-track) that the CSP allows, and only after a click.
    """
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host == "youtu.be":
        video_id = parsed.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    if video_id is not None:
        if not YOUTUBE_ID.match(video_id):
            return None
        return (
            "YouTube",
            f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1",
            f"https://www.youtube.com/watch?v={video_id}",
        )
    if host in {"vimeo.com", "player.vimeo.com"}:
        match = re.search(r"(\d{5,12})", parsed.path)
        if match:
            vimeo_id = match.group(1)
            return (
                "Vimeo",
                f"https://player.vimeo.com/video/{vimeo_id}?dnt=1&autoplay=1",
                f"https://vimeo.com/{vimeo_id}",
            )
    return None


class VideoValue(blocks.StructValue):
    @property
    def parsed(self):
        return parse_video_url(self.get("url"))

    def host_name(self):
        return self.parsed[0] if self.parsed else ""

    def embed_url(self):
        return self.parsed[1] if self.parsed else ""

    def watch_url(self):
        return self.parsed[2] if self.parsed else ""


class VideoBlock(blocks.StructBlock):
    """Click-to-load: the page shows a button and the transcript; nothing is requested from the
    video host until the visitor asks for the video."""

    url = blocks.URLBlock(
        label=_("Adresse de la vidéo"), help_text=_("Un lien YouTube ou Vimeo, par exemple https://youtu.be/…")
    )
    title = blocks.CharBlock(label=_("Titre de la vidéo"), max_length=150)
    duration = blocks.CharBlock(label=_("Durée"), required=False, max_length=20, help_text=_("Par exemple : 2 min 30"))
    transcript = blocks.TextBlock(
        label=_("Transcription"),
        help_text=_(
            "Le texte de tout ce qui est dit : indispensable pour les personnes sourdes et pour lire sans son."
        ),
    )

    class Meta:
        icon = "media"
        template = "components/blocks/video-block.html"
        label = _("Vidéo")
        value_class = VideoValue
        description = _("Une vidéo YouTube ou Vimeo chargée seulement au clic, avec sa transcription.")
        preview_value = {
            "url": "https://youtu.be/aaaaaaaaaaa",
            "title": "Mon premier jour en alternance",
            "duration": "2 min",
            "transcript": "Bonjour, je m'appelle Inès…",
        }

    def clean(self, value):
        value = super().clean(value)
        if parse_video_url(value.get("url")) is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Ce lien n'est pas une vidéo YouTube ou Vimeo reconnue. Copiez l'adresse de la vidéo.")
                    )
                }
            )
        return value


class ParcoursStepBlock(blocks.StructBlock):
    date = blocks.DateBlock(
        label=_("Date"),
        help_text=_("Seuls le mois et l'année sont affichés : choisissez le 1er du mois si vous ne savez pas."),
    )
    title = blocks.CharBlock(label=_("Étape"), max_length=120, help_text=_("Par exemple : Entrée à l'E2C"))
    text = blocks.TextBlock(label=_("Ce qui s'est passé"), required=False, max_length=600)
    dispositif = SnippetChooserBlock(
        "stories.Dispositif",
        label=_("Dispositif utilisé"),
        required=False,
        help_text=_("Le dispositif qui a aidé à cette étape, s'il y en a un."),
    )

    class Meta:
        icon = "date"
        label = _("Étape")


class ParcoursValue(blocks.StructValue):
    def steps_in_order(self):
        return sorted(self.get("steps") or [], key=lambda step: step.get("date") or datetime.date.min)


class ParcoursBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Titre"), max_length=120, default="Mon parcours")
    steps = blocks.ListBlock(ParcoursStepBlock(), label=_("Étapes"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "components/blocks/parcours-block.html"
        label = _("Parcours")
        value_class = ParcoursValue
        description = _("Les étapes datées du parcours, chacune pouvant être liée à un dispositif.")
        preview_value = {
            "heading": "Mon parcours",
            "steps": [
                {"date": datetime.date(2021, 9, 1), "title": "Sortie du lycée sans diplôme", "text": ""},
                {"date": datetime.date(2022, 1, 1), "title": "Première visite à la Mission Locale", "text": ""},
                {"date": datetime.date(2023, 9, 1), "title": "CAP en apprentissage", "text": ""},
            ],
        }


class PortraitStreamBlock(BodyStreamBlock):
    parcours = ParcoursBlock()
    video = VideoBlock()

"""Remove every piece of metadata (EXIF, GPS, XMP, comments) from an uploaded image.

Photos of young people often come straight from a phone, with the place they were taken in the EXIF
GPS tags. Wagtail copies an original's EXIF into JPEG and PNG renditions, so the only safe place to
strip it is the stored original itself: every rendition is then made from a clean source.

Stripping decodes every frame, so the size of the work is measured first, from the file's headers
(``measure``): an animated GIF of 100 frames of 2000×2000 pixels weighs 393 KB but decodes to 400
million pixels (18 s and 1.9 GB of memory). ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` bounds the total across
frames; Wagtail's own check counts one frame only for GIFs.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

UNREADABLE = (
    "Ce fichier ne peut pas être lu comme une image. Enregistrez-le de nouveau en JPEG ou en PNG "
    "(depuis votre téléphone ou un logiciel d'images), puis réessayez."
)

# Pillow format -> (extension, save options). Quality stays high: this is the master copy.
_FORMATS = {
    "JPEG": ("jpg", {"quality": 92, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 92}),
    "GIF": ("gif", {}),
    "AVIF": ("avif", {"quality": 85}),
}


def random_image_name(extension):
    """A file name that says nothing about who is in the picture or who uploaded it."""
    return f"{uuid.uuid4().hex}.{extension}"


class ImageRejected(ValueError):
    """An upload the site will not process. The message is in French, for the person uploading."""


def _grouped(number):
    return number_format(number, force_grouping=True)


def measure(uploaded):
    """(width, height, frames) read from the headers, without decoding any pixel. Raises
    ``ImageRejected`` when the file is not an image Pillow can read, or holds more pixels in all
    its frames than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``."""
    limit = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is the one that counts.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(uploaded) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
    except PILImage.DecompressionBombError:
        raise ImageRejected(
            f"Cette image est trop grande pour être traitée : plus de {_grouped(limit or 0)} pixels. "
            "Réduisez ses dimensions, puis réessayez."
        ) from None
    except Exception as error:  # any failure to read the headers means "not an image"
        raise ImageRejected(UNREADABLE) from error
    finally:
        uploaded.seek(0)
    total = width * height * frames
    if limit and total > limit:
        what = f"{_grouped(width)} × {_grouped(height)} pixels"
        if frames > 1:
            what = f"une animation de {_grouped(frames)} images de {what}"
        raise ImageRejected(
            f"Cette image est trop grande pour être traitée : {what}, soit {_grouped(total)} pixels, pour "
            f"{_grouped(limit)} au maximum. Réduisez ses dimensions"
            + (" ou le nombre d'images de l'animation" if frames > 1 else "")
            + ", puis réessayez."
        )
    return width, height, frames


def _pixels_only(image):
    # Rebuilding from raw pixels leaves behind every info/EXIF/XMP attribute Pillow may carry over.
    clean = PILImage.frombytes(image.mode, image.size, image.tobytes())
    if image.mode in ("P", "PA") and image.getpalette():
        clean.putpalette(image.getpalette())
    return clean


def strip_metadata(uploaded):
    """Return a ContentFile with the same pixels, no metadata and a random name.

    EXIF orientation is applied to the pixels first, so the photo stays the right way up once the
    tag that described it is gone. Camera formats browsers cannot show (HEIC…) are stored as PNG.
    """
    measure(uploaded)  # before anything is decoded
    with PILImage.open(uploaded) as source:
        source_format = (source.format or "").upper()
        if source_format not in _FORMATS:
            source_format = "PNG"
        extension, options = _FORMATS[source_format]
        options = dict(options)
        if source.info.get("icc_profile"):
            # The colour profile is not personal and keeps colours right.
            options["icc_profile"] = source.info["icc_profile"]
        if "transparency" in source.info and source.mode in ("P", "L", "RGB"):
            options["transparency"] = source.info["transparency"]

        if getattr(source, "is_animated", False) and source_format in ("GIF", "WEBP"):
            frames = [_pixels_only(frame.copy()) for frame in ImageSequence.Iterator(source)]
            options.update(save_all=True, append_images=frames[1:], loop=0)
            if "duration" in source.info:
                options["duration"] = source.info["duration"]
            clean = frames[0]
        else:
            clean = _pixels_only(ImageOps.exif_transpose(source))

    if source_format == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
        clean = clean.convert("RGB")
    output = io.BytesIO()
    clean.save(output, format=source_format, **options)
    return ContentFile(output.getvalue(), name=random_image_name(extension))

"""Remove every piece of metadata (EXIF, GPS, XMP, comments) from an uploaded image.

Photos of young people often come straight from a phone, with the place they were taken in the EXIF
GPS tags. Wagtail copies an original's EXIF into JPEG and PNG renditions, so the only safe place to
strip it is the stored original itself: every rendition is then made from a clean source.
"""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

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
    uploaded.seek(0)
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

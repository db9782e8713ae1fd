"""The admin's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``), used by every upload view: single,
multiple and the chooser's. Its file field measures the image from its headers (``measure``) instead
of asking Willow, which raises on a file that looks like a GIF but is not one (a GIF/HTML polyglot
answered HTTP 500) and counts a single frame of an animated GIF."""

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from home.image_privacy import UNREADABLE, ImageRejected, measure


class MeasuredImageField(WagtailImageField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_image"] = UNREADABLE

    def check_image_pixel_size(self, f):
        try:
            measure(f)
        except ImageRejected as rejected:
            raise ValidationError(str(rejected), code="file_too_many_pixels") from None


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the file field itself (formfield_callback): swap it for the measured one,
        # keeping its label, widget and help text. The multiple uploader's edit form has no file field.
        field = self.fields.get("file")
        if field is not None and not isinstance(field, MeasuredImageField):
            self.fields["file"] = MeasuredImageField(
                label=field.label, required=field.required, widget=field.widget, help_text=field.help_text
            )

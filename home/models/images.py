import os

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from home.image_privacy import random_image_name, strip_metadata


class CustomImage(AbstractImage):
    """Wagtail image with a photo credit, stored without metadata under a random name."""

    credit = models.CharField(
        _("crédit photo"),
        max_length=255,
        blank=True,
        help_text=_("Auteur ou source de la photo, affiché sous l'image."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_image", "Can choose image")]

    def save(self, *args, **kwargs):
        # A file not yet committed to storage is a fresh upload: clean it before it is ever written.
        if self.file and not getattr(self.file, "_committed", True):
            self.file = strip_metadata(self.file)
            self._set_image_file_metadata()
        super().save(*args, **kwargs)

    def get_upload_to(self, filename):
        # The uploaded name often holds the person's name ("photo-samira-b.jpg"): never keep it.
        extension = os.path.splitext(filename)[1].lstrip(".").lower() or "png"
        return os.path.join("original_images", random_image_name(extension))


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

"""Uploaded photos lose their metadata (GPS first of all) and their personal file names."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Collection

from home.models import CustomImage

GPS_IFD = 0x8825
CAMERA_MAKE = "TelephoneDeSamira"


def jpeg_with_gps(width=64, height=48, orientation=None):
    image = PILImage.new("RGB", (width, height), (30, 120, 200))
    exif = PILImage.Exif()
    exif[0x010F] = CAMERA_MAKE  # Make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (43.0, 18.0, 5.0), 3: "E", 4: (5.0, 22.0, 41.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    # The fixture itself must carry what we claim to remove, or the test proves nothing.
    reopened = PILImage.open(io.BytesIO(data)).getexif()
    assert reopened.get_ifd(GPS_IFD)[1] == "N"
    assert CAMERA_MAKE.encode() in data
    return data


def assert_no_metadata(data):
    assert b"Exif" not in data
    assert CAMERA_MAKE.encode() not in data
    with PILImage.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert dict(exif) == {}
        assert dict(exif.get_ifd(GPS_IFD)) == {}
        assert "exif" not in image.info
        assert "xmp" not in image.info


def upload(client, name, data, title="Photo"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.django_db
def test_admin_upload_strips_gps_from_original_and_every_rendition(admin_client):
    response = upload(admin_client, "samira-benali-cite-bellevue.jpg", jpeg_with_gps())
    assert response.status_code == 302, response.content.decode()[:500]

    image = CustomImage.objects.get(title="Photo")
    assert "samira" not in image.file.name.lower()
    assert "bellevue" not in image.file.name.lower()
    assert image.file.name.startswith("original_images/")
    with image.file.open("rb") as stored:
        original = stored.read()
    assert_no_metadata(original)
    assert image.file_size == len(original)

    for spec in ("width-32", "fill-20x20|format-png", "width-32|format-webp", "width-32|format-avif", "original"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as stored:
            assert_no_metadata(stored.read())
        assert "samira" not in rendition.file.name.lower()


@pytest.mark.django_db
def test_orientation_is_applied_before_the_tag_is_dropped(admin_client):
    # Orientation 6: the phone was held upright; the raw pixels are landscape.
    response = upload(admin_client, "portrait.jpg", jpeg_with_gps(64, 48, orientation=6), title="Debout")
    assert response.status_code == 302
    image = CustomImage.objects.get(title="Debout")
    assert (image.width, image.height) == (48, 64)


@pytest.mark.django_db
def test_png_and_webp_metadata_is_removed_too():
    for fmt, name in (("PNG", "photo.png"), ("WEBP", "photo.webp")):
        exif = PILImage.Exif()
        exif[0x010F] = CAMERA_MAKE
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (43.0, 18.0, 5.0)})
        buffer = io.BytesIO()
        PILImage.new("RGB", (40, 30), (1, 2, 3)).save(buffer, format=fmt, exif=exif.tobytes())
        assert CAMERA_MAKE.encode() in buffer.getvalue()
        image = CustomImage(title=name, file=SimpleUploadedFile(name, buffer.getvalue()))
        image.save()
        with image.file.open("rb") as stored:
            assert_no_metadata(stored.read())


@pytest.mark.django_db
def test_too_heavy_image_is_refused_with_french_message(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 500
    big = io.BytesIO()
    PILImage.effect_noise((200, 200), 80).convert("RGB").save(big, format="JPEG", quality=95)
    assert big.tell() > 500
    response = upload(admin_client, "lourde.jpg", big.getvalue(), title="Trop lourde")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("Ce fichier est trop gros")
    assert not CustomImage.objects.filter(title="Trop lourde").exists()


@pytest.mark.django_db
def test_too_many_pixels_is_refused_with_french_message(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    response = upload(admin_client, "immense.jpg", jpeg_with_gps(64, 48), title="Immense")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("Cette image est trop grande pour être traitée : 64 × 48 pixels, soit 3")
    assert "pour 1\xa0000 au maximum" in errors[0]
    assert not CustomImage.objects.filter(title="Immense").exists()


@pytest.mark.django_db
def test_not_an_image_is_refused_with_french_message(admin_client):
    response = upload(admin_client, "cv.jpg", b"%PDF-1.4 ceci n'est pas une image", title="Pas une image")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("Ce fichier ne peut pas être lu comme une image.")
    assert not CustomImage.objects.filter(title="Pas une image").exists()


@pytest.mark.django_db
def test_original_files_are_never_served(client, admin_client):
    upload(admin_client, "secret.jpg", jpeg_with_gps(), title="Originale")
    image = CustomImage.objects.get(title="Originale")
    assert client.get(f"/media/{image.file.name}").status_code == 404
    rendition = image.get_rendition("width-32|format-webp")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert_no_metadata(b"".join(response.streaming_content))

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Our own user model from the first migration, so that editor profile fields can come later
    without the painful swap of ``AUTH_USER_MODEL`` on a live database."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

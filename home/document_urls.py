"""Wagtail's document URLs, with downloads going through ``home.document_privacy.serve``."""

from django.urls import path, re_path
from wagtail.documents.views import serve as wagtail_serve

from home import document_privacy

urlpatterns = [
    re_path(r"^(\d+)/(.*)$", document_privacy.serve, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        wagtail_serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]

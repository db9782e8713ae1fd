"""A server error reaches ADMINS — one report, through the mail queue — with nothing personal from
the request: no form values, no query string values, no cookies, no address, no browser, no tokens
from the URL, no user name, no e-mail address (home/error_reports.py)."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import path

from home import error_reports
from site_project.urls import handler404, handler500
from site_project.urls import urlpatterns as site_urlpatterns
from tests.mail_queue import mail_rows, queued_mail, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["handler404", "handler500", "queued_mail"]

TOKEN = "eyJyZWdpc3RyYXRpb24iOjQyfQ:1tQx7Z:Zm9vYmFyYmF6cXV4"


def failing_registration(request, token):
    # Like a database error quoting the value that broke a constraint.
    raise IntegrityError(f"duplicate key value violates unique constraint: (email)=({request.POST.get('email')})")


urlpatterns = [path("inscriptions/annuler/<str:token>/echec/", failing_registration), *site_urlpatterns]


@pytest.fixture
def reports(queued_mail, settings):
    settings.ADMINS = [("Équipe technique", "tech@impact-jeunes.example")]
    settings.ROOT_URLCONF = "tests.test_error_reports"
    error_reports._last_reports.clear()
    yield
    error_reports._last_reports.clear()


def post_failing_form(client):
    client.cookies["sessionid"] = "cookie-de-session-tres-secret"
    client.cookies["csrftoken"] = "jeton-csrf-secret"
    return client.post(
        f"/inscriptions/annuler/{TOKEN}/echec/?email=ines.query@example.org&nom=Benali",
        {"first_name": "Inès", "last_name": "Benali", "email": "ines.benali@example.org", "phone": "06 12 34 56 78"},
        REMOTE_ADDR="203.0.113.42",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; Pixel 8) navigateur-de-ines",
        HTTP_REFERER="https://impact-jeunes.fr/evenements/?email=ines.referer@example.org",
    )


def test_a_server_error_sends_one_report_without_personal_data(reports):
    client = Client(raise_request_exception=False)

    response = post_failing_form(client)

    assert response.status_code == 500
    assert "l'équipe est prévenue" in response.content.decode()
    assert mail_rows().count() == 1
    run_worker()
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["tech@impact-jeunes.example"]
    text = report.subject + "\n" + report.body
    # What helps to fix it is there.
    assert "Internal Server Error: /inscriptions/annuler/…/echec/" in report.subject
    assert "IntegrityError" in text
    assert "tests.test_error_reports.failing_registration" in text
    assert "first_name = '********************'" in text
    assert "REQUEST_METHOD = 'POST'" in text
    # What a person typed or carries is not.
    for secret in (
        "ines.benali@example.org",
        "ines.query@example.org",
        "ines.referer@example.org",
        "Inès",
        "Benali",
        "06 12 34 56 78",
        "cookie-de-session-tres-secret",
        "jeton-csrf-secret",
        "203.0.113.42",
        "navigateur-de-ines",
        TOKEN,
        "eyJyZWdpc3RyYXRpb24iOjQyfQ",
    ):
        assert secret not in text, secret
    assert "[adresse masquée]" in text  # the exception message's address


def test_the_same_error_is_reported_once_in_a_while(reports):
    client = Client(raise_request_exception=False)
    for _ in range(3):
        assert post_failing_form(client).status_code == 500
    assert mail_rows().count() == 1


def test_no_admins_no_report(queued_mail, settings):
    settings.ADMINS = []
    settings.ROOT_URLCONF = "tests.test_error_reports"
    error_reports._last_reports.clear()
    assert post_failing_form(Client(raise_request_exception=False)).status_code == 500
    assert not mail_rows().exists()


def test_settings_in_the_report_hide_credentials_in_urls():
    cleaned = error_reports.PrivateExceptionReporterFilter().cleanse_setting(
        "REDIS_URL", "redis://:motdepasse@redis.interne:6379/0"
    )
    assert cleaned == "redis://********************@redis.interne:6379/0"

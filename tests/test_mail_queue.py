"""The durable mail queue (home/mail.py) with its real database backend, the real worker command
(``db_worker --backend mail``) and real SMTP servers on 127.0.0.1 that hang, refuse or answer."""

import datetime
import io
import time
from email.mime.base import MIMEBase

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from home.mail import backlog, deserialise, retry_delay, serialise
from tests.mail_queue import mail_rows, queued_mail, run_worker
from tests.smtp_servers import SMTPServer, refused_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["queued_mail"]


@pytest.fixture
def smtp(queued_mail):
    """The worker delivers over SMTP to a local server that hangs until the test lets it answer."""
    with SMTPServer(hanging=True) as server:
        queued_mail.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        queued_mail.EMAIL_HOST = "127.0.0.1"
        queued_mail.EMAIL_PORT = server.port
        queued_mail.EMAIL_TIMEOUT = 1
        yield server


def full_message():
    message = EmailMultiAlternatives(
        subject=gettext_lazy("Inscription confirmée : Forum de l'été"),
        body="Bonjour Inès,\nTa place est réservée.",
        from_email="Impact Jeunes <ne-pas-repondre@impact-jeunes.fr>",
        to=["ines@example.org"],
        cc=["parent@example.org"],
        bcc=["archives@example.org"],
        reply_to=["coordination@example.org"],
        headers={"Auto-Submitted": "auto-generated", "X-Impact": "oui"},
    )
    message.attach_alternative("<p>Bonjour Inès,</p>", "text/html")
    message.attach("forum.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("logo.png", b"\x89PNG\r\n\x1a\n\x00\xff binary", "image/png")
    part = MIMEBase("application", "octet-stream")
    part.set_payload(b"raw part")
    part.add_header("Content-Disposition", "attachment", filename="brut.bin")
    message.attach(part)
    return message


def test_a_message_survives_the_queue_whole(queued_mail):
    original = full_message()
    original.send()
    assert mail.outbox == []  # nothing is sent inside the "request"
    assert mail_rows(status="READY").count() == 1

    run_worker()

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Inscription confirmée : Forum de l'été"
    assert sent.body == original.body
    assert sent.from_email == original.from_email
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["ines@example.org"],
        ["parent@example.org"],
        ["archives@example.org"],
        ["coordination@example.org"],
    )
    assert sent.extra_headers == {"Auto-Submitted": "auto-generated", "X-Impact": "oui"}
    assert list(sent.alternatives) == [("<p>Bonjour Inès,</p>", "text/html")]
    assert [tuple(a) for a in sent.attachments[:2]] == [
        ("forum.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\xff binary", "image/png"),
    ]
    raw = sent.attachments[2]
    assert raw.get_filename() == "brut.bin"
    assert raw.get_payload(decode=True) == b"raw part"
    # The whole MIME message builds the same way on both sides.
    assert sent.message()["Subject"] == original.message()["Subject"]
    assert "bcc" not in str(sent.message()).lower().split("\n\n")[0]


def test_serialised_messages_are_plain_json():
    import json

    data = serialise(full_message())
    assert json.loads(json.dumps(data)) == data
    assert deserialise(data).recipients() == ["ines@example.org", "parent@example.org", "archives@example.org"]


def test_a_rolled_back_submission_sends_nothing_and_a_committed_one_is_kept(queued_mail):
    def failing_submission():
        with transaction.atomic():
            send_mail("Annulé", "Jamais envoyé", None, ["personne@example.org"])
            raise RuntimeError("the submission failed after the mail was queued")

    with pytest.raises(RuntimeError):
        failing_submission()
    with transaction.atomic():
        send_mail("Gardé", "Envoyé", None, ["quelqu-un@example.org"])

    assert [row.args_kwargs["args"][0]["subject"] for row in mail_rows()] == ["Gardé"]
    run_worker()
    assert [message.subject for message in mail.outbox] == ["Gardé"]


def test_queueing_never_waits_for_a_hanging_mail_server(smtp):
    started = time.monotonic()
    assert send_mail("Bienvenue", "Corps", None, ["ines@example.org"]) == 1
    assert time.monotonic() - started < 0.5
    assert smtp.connections == 0


def test_a_hanging_then_answering_server_gets_the_mail_on_the_next_attempt(smtp, settings):
    send_mail("Bienvenue", "Corps du message", None, ["ines@example.org"])
    settings.EMAIL_QUEUE_RETRY_SECONDS = 3600

    run_worker()  # waits EMAIL_TIMEOUT (1 s) for a greeting that never comes

    first, retry = mail_rows()
    assert first.status == "SUCCESSFUL"
    assert first.return_value["sent"] is False
    assert first.return_value["error"] in ("TimeoutError", "SMTPServerDisconnected", "timeout")
    # The attempt is over: its copy of the message is gone, the retry holds it.
    assert first.args_kwargs == {"args": [], "kwargs": {}}
    assert retry.status == "READY"
    assert retry.args_kwargs["args"][1] == 2
    delay = (retry.run_after - first.finished_at).total_seconds()
    assert 3590 < delay < 3610
    assert backlog()["pending"] == 0  # deferred, not due yet

    smtp.answer()
    retry.run_after = timezone.now() - datetime.timedelta(seconds=1)
    retry.save(update_fields=["run_after"])
    assert backlog()["pending"] == 1
    run_worker()

    assert [str(m["Subject"]) for m in smtp.mails()] == ["Bienvenue"]
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert retry.args_kwargs == {"args": [], "kwargs": {}}
    assert backlog() == {"pending": 0, "oldest_seconds": 0, "failed": 0}


def test_retries_back_off_then_give_up_and_keep_the_message(queued_mail, settings, caplog):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refused_port()
    settings.EMAIL_QUEUE_MAX_ATTEMPTS = 3
    send_mail("Confirmation", "Corps", None, ["ines@example.org"])

    run_worker()  # retry delay 0 in tests: the three attempts run at once

    rows = list(mail_rows())
    assert [row.status for row in rows] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert [row.args_kwargs["args"][1] for row in rows if row.args_kwargs["args"]] == [3]
    assert rows[2].exception_class_path == "builtins.ConnectionRefusedError"
    assert "not sent after 3 attempt(s)" in caplog.text
    assert backlog()["failed"] == 1

    out = io.StringIO()
    call_command("mail_queue", stdout=out)
    assert "En échec : 1." in out.getvalue()

    with SMTPServer(hanging=False) as server:
        settings.EMAIL_PORT = server.port
        call_command("mail_queue", "--retry-failed", stdout=io.StringIO())
        run_worker()
        assert [str(m["Subject"]) for m in server.mails()] == ["Confirmation"]
    assert backlog()["failed"] == 0


def test_a_persons_waiting_and_failed_messages_can_be_found_and_erased(queued_mail):
    from home.mail import rows_mentioning

    send_mail("Pour Inès", "Bonjour", None, ["Ines.Benali@example.org"])
    send_mail("Pour un parent", "Copie à ines.benali@example.org", None, ["parent@example.org"])
    send_mail("Pour Yanis", "Bonjour", None, ["yanis@example.org"])
    assert rows_mentioning("ines.benali@example.org").count() == 2

    rows_mentioning("ines.benali@example.org").delete()
    run_worker()
    assert [message.subject for message in mail.outbox] == ["Pour Yanis"]
    assert not rows_mentioning("yanis@example.org").exists()  # sent: nothing of it is kept


def test_the_delay_doubles_up_to_an_hour(settings):
    settings.EMAIL_QUEUE_RETRY_SECONDS = 60
    assert [retry_delay(attempt) for attempt in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_refused_recipient_is_not_retried(smtp, caplog):
    smtp.refuse = {"inconnu@example.org"}
    smtp.answer()
    send_mail("Pour personne", "Corps", None, ["inconnu@example.org"])

    run_worker()

    (row,) = mail_rows()
    assert row.status == "FAILED"
    assert row.exception_class_path == "smtplib.SMTPRecipientsRefused"
    assert row.args_kwargs["args"][0]["to"] == ["inconnu@example.org"]  # kept for inspection
    assert "the error is permanent" in caplog.text


def test_a_header_with_a_line_break_is_refused_when_queued_not_hours_later(queued_mail):
    from django.core.mail import BadHeaderError

    with pytest.raises(BadHeaderError):
        send_mail("Titre\r\nBcc: victime@example.org", "Corps", None, ["ines@example.org"])
    assert not mail_rows().exists()
    assert send_mail("Titre\r\nBcc: x@example.org", "Corps", None, ["ines@example.org"], fail_silently=True) == 0


def test_the_backlog_reports_what_waits(queued_mail):
    assert backlog() == {"pending": 0, "oldest_seconds": 0, "failed": 0}
    send_mail("Un", "Corps", None, ["a@example.org"])
    send_mail("Deux", "Corps", None, ["b@example.org"])
    mail_rows().filter(args_kwargs__args__0__subject="Un").update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    state = backlog()
    assert state["pending"] == 2
    assert 295 <= state["oldest_seconds"] <= 310
    run_worker()
    assert backlog()["pending"] == 0


def test_wagtail_tasks_keep_running_at_once(site_tree):
    """Only mail waits for the worker: Wagtail's search-index task (``default`` backend) still runs in
    the save, so a page is found as soon as it is published."""
    from home.models import StandardPage
    from tests.factories import StandardPageFactory

    page = StandardPageFactory(parent=site_tree["home"], title="Trouver un apprentissage", slug="apprentissage")
    page.save_revision().publish()
    assert page in StandardPage.objects.live().search("apprentissage")
    assert not mail_rows().exists()

"""Server errors e-mailed to ``ADMINS`` — through the mail queue — with nothing personal in them.

Django's ``AdminEmailHandler`` sends a report of every 500. Its default filter
(``SafeExceptionReporterFilter``) only hides settings whose names look secret and what a view marks
with ``sensitive_variables``/``sensitive_post_parameters``; the report still carries the form a young
person just filled in (POST), the query string, cookies, their IP address and browser, the user name,
and URL parts that are capabilities (a registration's cancellation token, a password-reset token).

Here, once DEBUG is off:
- POST, GET, FILES and cookies keep their names, never their values; local variables are masked;
- of the request headers (META) only technical ones are shown (method, host, port, protocol, content
  type and length, accepted types/languages); the address, the browser, the referrer, the query
  string and the raw URI are masked;
- the URL has no query string, and every text value captured from it by a URL pattern (tokens, uid…)
  is replaced by ``…`` — except page paths served by Wagtail, which are public;
- the user is « authentifié (id N) » or « anonyme », never a name;
- e-mail addresses are masked anywhere in the subject and the text (exception messages from the
  database can quote a value), and credentials in URL-like settings (``redis://:pass@…``) too.

Exception messages are otherwise kept: without them a report is useless. The same error (exception
type, view) is reported once per ``REPORT_INTERVAL`` per process, so a broken page hit by a crawler
does not flood the queue or the team's inbox.
"""

import re
import threading
import time
from copy import copy

from django.http import Http404
from django.urls import resolve
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REPORT_INTERVAL = 600
MASK = "********************"
EMAIL_PATTERN = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
URL_CREDENTIALS = re.compile(r"(\w+://)[^/@\s]*@")
SHOWN_META = {
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HOST",
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "wsgi.url_scheme",
}


def mask_emails(text):
    return EMAIL_PATTERN.sub("[adresse masquée]", text)


def _resolver_match(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Http404:
            return None
    return match


def safe_path(request):
    """The request's path without what a URL pattern captured as text (tokens, ids in base64…)."""
    path = request.path
    match = _resolver_match(request)
    if match is None or match.url_name == "wagtail_serve":
        return path
    for value in [*match.args, *match.kwargs.values()]:
        if isinstance(value, str) and value and not value.isdigit():
            path = path.replace(value, "…")
    return path


class _RequestSummary:
    """What the report's template reads from ``request``, without the personal parts."""

    def __init__(self, request):
        self.path_info = safe_path(request)
        self.META = {"REQUEST_METHOD": request.META.get("REQUEST_METHOD", "")}

    def __bool__(self):
        return True


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    cleansed_substitute = MASK

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            # str(): some settings are lazy strings (isinstance says str, re.sub refuses them).
            cleansed = URL_CREDENTIALS.sub(r"\1" + MASK + "@", str(cleansed))
        return cleansed

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if not self.is_active(request):
            return meta
        return {key: value if key in SHOWN_META else MASK for key, value in meta.items()}

    def get_safe_cookies(self, request):
        cookies = super().get_safe_cookies(request)
        if not self.is_active(request):
            return cookies
        return dict.fromkeys(cookies, MASK)

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not self.is_active(request):
            return parameters
        return dict.fromkeys(parameters, MASK)

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, MASK) for name, _value in variables]


class PrivateExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        request = self.request
        if request is None or not self.filter.is_active(request):
            return data
        summary = _RequestSummary(request)
        data["request"] = summary
        data["request_insecure_uri"] = f"{request.scheme}://{request._get_raw_host()}{summary.path_info}"
        data["request_GET_items"] = [(name, MASK) for name in request.GET]
        data["request_FILES_items"] = [(name, MASK) for name in request.FILES]
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            data["user_str"] = f"authentifié (id {user.pk})"
        else:
            data["user_str"] = "anonyme"
        return data

    def get_traceback_text(self):
        text = super().get_traceback_text()
        return mask_emails(text) if self.filter.is_active(self.request) else text


_last_reports = {}
_reports_lock = threading.Lock()


def _first_in_a_while(record):
    exception = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
    request = getattr(record, "request", None)
    match = _resolver_match(request) if request is not None else None
    where = match.view_name if match is not None else record.getMessage()
    key = (record.name, record.levelno, exception, where)
    now = time.monotonic()
    with _reports_lock:
        last = _last_reports.get(key)
        if last is not None and now - last < REPORT_INTERVAL:
            return False
        _last_reports[key] = now
    return True


class PrivateAdminEmailHandler(AdminEmailHandler):
    """``AdminEmailHandler`` with the private reporter, a path without tokens, masked addresses and
    at most one report per error and interval. It sends with ``EMAIL_BACKEND``: the mail queue."""

    def __init__(self, include_html=False, email_backend=None, reporter_class=None):
        super().__init__(
            include_html=include_html,
            email_backend=email_backend,
            reporter_class=reporter_class or "home.error_reports.PrivateExceptionReporter",
        )

    def emit(self, record):
        if not _first_in_a_while(record):
            return
        record = copy(record)
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            path = safe_path(request)
            record.args = tuple(path if arg == request.path else arg for arg in record.args)
        super().emit(record)

    def format_subject(self, subject):
        return mask_emails(super().format_subject(subject))

    def format(self, record):
        return mask_emails(super().format(record))

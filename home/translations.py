"""Our French overrides of Wagtail's and Django's translations (``locale/fr/LC_MESSAGES/django.po``).

Django reads compiled catalogues (``.mo``) only, and ``LOCALE_PATHS`` wins over the apps' own. We keep
the ``.po`` in git and compile it when the site is built (``manage.py compile_translations``, run by
``make run``, ``make serve``, ``make test``, CI and the deployment steps), so no binary is committed and
no system package is needed: polib writes the ``.mo`` in pure Python. ``compilemessages`` would need GNU
gettext and refuses our catalogue on purpose: several overrides leave out ``%(model_name)s`` where French
reads better without it, which Python's formatting allows.

A missing or stale ``.mo`` is reported by ``manage.py check`` (``home.W002``)."""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core import checks


def catalogues():
    """``(po, mo)`` paths of every catalogue under ``LOCALE_PATHS``."""
    for locale_path in settings.LOCALE_PATHS:
        for po in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            yield po, po.with_suffix(".mo")


def is_stale(po, mo):
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogues(force=False):
    """Compile what is missing or older than its ``.po``; returns the ``.mo`` paths written."""
    written = []
    for po, mo in catalogues():
        if not force and not is_stale(po, mo):
            continue
        # Written beside and renamed: a worker starting meanwhile reads the old file or the new, never half.
        handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            polib.pofile(str(po)).save_as_mofile(temporary)
            os.replace(temporary, mo)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
        written.append(mo)
    return written


@checks.register()
def translations_are_compiled(app_configs, **kwargs):
    return [
        checks.Warning(
            f"{mo} is missing or older than {po.name}: the admin shows Wagtail's own French wording.",
            hint="Run `python manage.py compile_translations`.",
            id="home.W002",
        )
        for po, mo in catalogues()
        if is_stale(po, mo)
    ]

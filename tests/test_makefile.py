"""`make serve` keeps one secret key across restarts, so a cancel link mailed before a restart still
works after it; `make run`/`make serve` give the site the address they serve it on.

The Makefile itself runs, with the slow steps (migrate, load_demo, collectstatic) replaced by `true` and
gunicorn by a small script that does what the real server would do with its environment: sign a
cancellation token on the first start, check it on the second."""

import os
import shutil
import stat
import subprocess
import sys

import pytest

from home.local_server import BASE_DIR

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

# What a worker does with the environment `make serve` gives it: Django's production settings, then the
# registration module's own signing (the token of registration 42), as in a cancel link.
FAKE_GUNICORN = f"""#!/bin/sh
exec {sys.executable} - "$@" <<'EOF'
import os, pathlib, sys
sys.path.insert(0, {str(BASE_DIR)!r})
import django
django.setup()
from django.conf import settings
from django.core import signing
from events.registration import CANCEL_SALT

token_file = pathlib.Path(os.environ["FAKE_TOKEN_FILE"])
if not token_file.exists():
    token_file.write_text(signing.dumps(42, salt=CANCEL_SALT, compress=True))
    print("signed")
else:
    print("verified", signing.loads(token_file.read_text(), salt=CANCEL_SALT))
print("site", settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)
print("mail", settings.EMAIL_DELIVERY_BACKEND, settings.EMAIL_FILE_PATH)
print("bind", " ".join(sys.argv[1:]))
EOF
"""


def make(*args, env):
    return subprocess.run(
        # -o: never reinstall the shared virtual environment from a test.
        ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", *args],  # noqa: S607 - make from PATH
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def fake_bin(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "gunicorn"
    script.write_text(FAKE_GUNICORN)
    script.chmod(0o755)
    return bin_dir


def test_make_serve_keeps_one_secret_key_across_restarts(tmp_path, fake_bin):
    key_file = tmp_path / "var" / "serve-secret-key"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "SITE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["FAKE_TOKEN_FILE"] = str(tmp_path / "token")
    args = [
        "serve",
        "MANAGE=true",
        f"BIN={fake_bin}",
        f"SERVE_SECRET_KEY_FILE={key_file}",
        f"SERVE_MAIL_DIR={tmp_path / 'mail'}",
        "PORT=8123",
    ]

    first = make(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert "signed" in first.stdout
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    # The address it is served on is the one its links use; mail goes to files in the folder.
    assert "site http://127.0.0.1:8123 http://127.0.0.1:8123" in first.stdout
    assert f"mail django.core.mail.backends.filebased.EmailBackend {tmp_path / 'mail'}" in first.stdout
    assert "bind site_project.wsgi:application --bind 127.0.0.1:8123" in first.stdout

    # A restart: same key, so yesterday's cancel link still verifies.
    second = make(*args, env=env)
    assert second.returncode == 0, second.stderr
    assert "verified 42" in second.stdout
    assert key_file.read_text().strip() == key

    # An explicit DJANGO_SECRET_KEY wins over the file (and the old token no longer verifies with it).
    third = make(*args, env={**env, "DJANGO_SECRET_KEY": "another-key-" + "x" * 40})
    assert third.returncode != 0
    assert "BadSignature" in third.stderr


def test_make_run_serves_on_port_and_gives_the_site_that_address(tmp_path):
    # MANAGE prints what every step of `make run` would see.
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = make("run", "PORT=8124", "MANAGE=sh -c 'echo $$SITE_URL $$0 $$*'", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "http://127.0.0.1:8124 compile_translations",
        "http://127.0.0.1:8124 migrate --noinput",
        "http://127.0.0.1:8124 load_demo",
        "http://127.0.0.1:8124 ensure_local_admin",
        "http://127.0.0.1:8124 runserver 127.0.0.1:8124",
    ]
    # An address set in the environment is kept as given.
    result = make("run", "MANAGE=sh -c 'echo $$SITE_URL'", env={**env, "SITE_URL": "http://192.168.1.20:8000"})
    assert set(result.stdout.split()) == {"http://192.168.1.20:8000"}

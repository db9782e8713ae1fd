"""SQLite, the newcomer's database, must queue concurrent writers rather than fail them."""

import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

WORKER = """
import os, sys, time, django
django.setup()
from django.db import connection, transaction
connection.ensure_connection()
# Start together, so that the writers really overlap.
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
for _ in range(150):
    # Read then write in one transaction: the pattern that hits "database is locked" when two
    # deferred transactions both try to upgrade their read lock.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM counter")
            (count,) = cursor.fetchone()
            cursor.execute("INSERT INTO counter (value) VALUES (%s)", [count + 1])
print("ok")
"""


def test_concurrent_sqlite_writers_queue_instead_of_failing(tmp_path):
    database = tmp_path / "concurrency.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_project.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    setup = (
        "import django; django.setup(); from django.db import connection;"
        "connection.cursor().execute('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)')"
    )
    subprocess.run([sys.executable, "-c", setup], cwd=BASE_DIR, env=env, check=True)

    env["START_AT"] = str(time.time() + 3)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    for worker, (stdout, stderr) in zip(workers, results, strict=True):
        assert worker.returncode == 0, stderr.decode()[-2000:]
        assert stdout.decode().strip() == "ok"

    import sqlite3

    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT value FROM counter ORDER BY id").fetchall()
    # Every write landed, and each transaction saw the one before it: writes were serialised.
    assert [value for (value,) in rows] == list(range(1, 4 * 150 + 1))

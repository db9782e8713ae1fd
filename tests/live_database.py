"""A database of its own for a site served by gunicorn in the tests: a SQLite file, or a fresh
PostgreSQL database on the same server when the suite runs on PostgreSQL."""

import os
import uuid
from contextlib import contextmanager


@contextmanager
def separate_database(tmp_dir, label):
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_dir / (label + '.sqlite3')}"
        return
    import psycopg

    server = configured.rsplit("/", 1)[0]
    name = f"impactjeunes_{label}_{uuid.uuid4().hex[:8]}"
    admin_dsn = f"{server}/postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

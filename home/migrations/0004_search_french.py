"""French full-text search that ignores accents, for PostgreSQL.

The site search (``/recherche/``) uses the ``french_unaccent`` configuration named in
``WAGTAILSEARCH_BACKENDS``: the French stemmer folds plurals ("apprentis" finds "apprenti") and
``unaccent`` runs first, because young people often type "velo" for "vélo" on a phone keyboard.
SQLite needs nothing here: its FTS5 tokenizer already drops diacritics.

``unaccent`` is a trusted extension (PostgreSQL 13+), so the database owner may create it without
being a superuser. Pages indexed before this migration need ``manage.py update_index`` once.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

# The extension stays: other tools may rely on it once it exists.
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_editorial_spaces_and_impact"),
    ]

    operations = [migrations.RunPython(create_config, drop_config, elidable=False)]

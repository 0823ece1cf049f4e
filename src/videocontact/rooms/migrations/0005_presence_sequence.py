"""The sequence that orders presence snapshots (rooms/sequence.py); PostgreSQL only."""

from django.db import migrations

SQL_CREATE = "CREATE SEQUENCE IF NOT EXISTS rooms_presence_seq"
SQL_DROP = "DROP SEQUENCE IF EXISTS rooms_presence_seq"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("rooms", "0004_dutch_verbose_names")]

    operations = [migrations.RunPython(create, drop)]

"""On PostgreSQL, trigram indexes for the staff list's word search (icontains on name, need and commodity).

Django's icontains is `UPPER(col::text) LIKE UPPER('%word%')`: a GIN trigram index on the same expression lets
PostgreSQL find the matching requests of a post with a million rows without reading them all. SQLite has no such
index and needs none at this size (its list stays within the target; see bench/README.md).
"""

from django.db import migrations

COLUMNS = ("requester_name", "description", "commodity")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS consult_req_trgm_{column} ON consultations_servicerequest "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS consult_req_trgm_{column}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

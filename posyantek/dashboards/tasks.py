"""Background tasks of the dashboards, on the database queue (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_dirty_figures() -> int:
    """Refresh the figures of the posts marked dirty by writes; return how many posts were refreshed."""
    from posyantek.dashboards.refresh import refresh_dirty

    return refresh_dirty()

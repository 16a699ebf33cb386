"""Write and read the audit log. Services call `record` explicitly after each write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from posyantek.core.middleware import current_ip
from posyantek.core.models import AuditEvent, DataVersion
from posyantek.core.pagecache import forget_data_version


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dt.datetime | dt.date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the plain values of `fields` on `obj`, for a later diff."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _bump_version() -> None:
    DataVersion.bump()
    forget_data_version()


class _DirtyPosts:
    """The posts written in one transaction: marked dirty and their refresh queued once, on commit."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def __call__(self) -> None:
        from posyantek.dashboards.refresh import mark_dirty
        from posyantek.dashboards.tasks import refresh_dirty_figures

        mark_dirty(self.ids)
        refresh_dirty_figures.enqueue()


def _mark_post_dirty(post_id: int) -> None:
    """On commit, mark the post's dashboard figures dirty and queue their refresh (once per transaction)."""
    connection = transaction.get_connection()
    pending = getattr(connection, "_posyantek_dirty_posts", None)
    # Still queued in this transaction (not yet run, not dropped by a rollback): add to it.
    if pending is not None and any(func is pending for _sids, func, *_rest in connection.run_on_commit):
        pending.ids.add(post_id)
        return
    pending = _DirtyPosts()
    pending.ids.add(post_id)
    connection._posyantek_dirty_posts = pending
    transaction.on_commit(pending, robust=True)


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    *,
    region_id: str | None = None,
    post_id: int | None = None,
) -> AuditEvent:
    """Append one event to the audit log for `obj`."""
    if region_id is None:
        region_id = getattr(obj, "region_id", None)
    if post_id is None:
        post_id = obj.pk if obj._meta.label == "posts.Post" else getattr(obj, "post_id", None)
    # After commit, as its own statement: bumping inside the write's transaction would hold the one
    # DataVersion row locked until commit and make every write on PostgreSQL wait for the others.
    transaction.on_commit(_bump_version)
    if post_id is not None and getattr(settings, "DASHBOARDS_REFRESH_ON_WRITE", False):
        _mark_post_dirty(post_id)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        ip=current_ip.get(),
        region_id=region_id,
        post_id=post_id,
    )

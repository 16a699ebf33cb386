"""Optimistic locking: an edit based on an old version is refused, never silently applied."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Data ini sudah diubah orang lain sejak Anda membukanya. Muat ulang halaman untuk melihat versi terbaru, "
    "lalu ulangi perubahan Anda."
)


def lock_current(obj: Any, expected_version: int | None) -> Any:
    """Lock the row of `obj` and check it is still at `expected_version`; return the locked row."""
    locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return locked

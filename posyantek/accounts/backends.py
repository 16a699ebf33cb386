"""The login backend: Django's, with the per-request user lookup kept for a moment in each process."""

from __future__ import annotations

import copy
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

_users: dict[str, tuple[float, Any]] = {}


class CachedModelBackend(ModelBackend):
    """ModelBackend whose `get_user` (one query on every page) is reused for USER_CACHE_SECONDS.

    Django still checks the session against the user's password hash on every request, so a password
    change or a deactivation logs old sessions out within that many seconds (1 s) on every process.
    Each request gets its own copy, so nothing set on `request.user` leaks into the next request.
    """

    def get_user(self, user_id: Any) -> Any:
        ttl = settings.USER_CACHE_SECONDS
        key = str(user_id)
        now = time.monotonic()
        hit = _users.get(key)
        if ttl and hit and now - hit[0] < ttl:
            return copy.copy(hit[1])
        user = super().get_user(user_id)
        if ttl and user is not None:
            if len(_users) > 5000:
                _users.clear()
            _users[key] = (now, copy.copy(user))
        return user

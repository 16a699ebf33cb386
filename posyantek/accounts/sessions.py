"""Database sessions, with each read reused for a moment in the process that made it.

Every logged-in page reads the session; keeping the read for SESSION_MEMO_SECONDS (1 s) saves that query
on the pages someone clicks through quickly. A logout or any change deletes the memo in this process at
once and in the others within that second: the same window as the user lookup (accounts/backends.py).
Unlike `cached_db` over a per-process cache, a logout never lives on for minutes in another worker.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_memo: dict[str, tuple[float, dict[str, Any]]] = {}


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        ttl = settings.SESSION_MEMO_SECONDS
        key = self.session_key
        if ttl and key and (hit := _memo.get(key)) and time.monotonic() - hit[0] < ttl:
            return dict(hit[1])
        data = super().load()
        if ttl and self.session_key:  # None when the session was missing or expired
            if len(_memo) > 10000:
                _memo.clear()
            _memo[self.session_key] = (time.monotonic(), dict(data))
        return data

    def save(self, must_create: bool = False) -> None:
        _memo.pop(self.session_key or "", None)
        super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        _memo.pop(session_key or self.session_key or "", None)
        super().delete(session_key)

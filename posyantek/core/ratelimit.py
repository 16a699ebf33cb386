"""Limit how often a key (an IP address, a phone number) may do something, shared by every server process.

Counts live in the database (`RateBucket`), one row per key and fixed time window, so two gunicorn workers
count together and nothing needs Redis. Writing a count is not a data change: it is not audited and does not
expire kept pages.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from posyantek.core.models import RateBucket


def client_ip(request: HttpRequest) -> str:
    """Return the address the request came from (the proxy in front sets REMOTE_ADDR; see docs on deployment)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(key: str, *, limit: int, per_seconds: int) -> bool:
    """Count one more use of `key` in the current window; return False when that is over `limit`."""
    window = int(time.time() // per_seconds)
    key = key[:200]
    with transaction.atomic():
        if not RateBucket.objects.filter(key=key, window=window).update(count=F("count") + 1):
            expires = timezone.now() + dt.timedelta(seconds=per_seconds)
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=key, window=window, count=1, expires=expires)
            except IntegrityError:  # another process made it first
                RateBucket.objects.filter(key=key, window=window).update(count=F("count") + 1)
            else:
                RateBucket.objects.filter(expires__lt=timezone.now()).delete()
        count = RateBucket.objects.filter(key=key, window=window).values_list("count", flat=True).first() or 0
    return count <= limit

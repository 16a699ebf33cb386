"""The request workflow (domain.md §5.2): which step may follow which, and the service-time targets.

The states and targets are inferred ([I] in domain.md), so the targets, the monitoring months and the limits
read Django settings first and fall back to the defaults below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: The steps that may follow each state; anything else skips a required step and is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "diterima": ("ditelaah", "dibatalkan"),
    "ditelaah": ("asesmen_lapangan", "rekomendasi", "dirujuk", "ditutup_tanpa_solusi", "dibatalkan"),
    "asesmen_lapangan": ("rekomendasi", "dirujuk", "ditutup_tanpa_solusi", "dibatalkan"),
    "rekomendasi": ("pengembangan", "penerapan", "dirujuk", "ditutup_tanpa_solusi", "dibatalkan"),
    # A referral may end the post's part: the source (a university, another post) takes the request over.
    "dirujuk": ("pengembangan", "penerapan", "selesai", "ditutup_tanpa_solusi", "dibatalkan"),
    "pengembangan": ("penerapan", "ditutup_tanpa_solusi", "dibatalkan"),
    "penerapan": ("pemantauan", "ditutup_tanpa_solusi"),
    "pemantauan": ("selesai", "ditutup_tanpa_solusi"),
    "selesai": (),
    "ditutup_tanpa_solusi": (),
    "dibatalkan": (),
}

#: Days a request may stay in a state before it is overdue [I]. Monitoring follows its check-in dates instead.
DEFAULT_TARGET_DAYS: dict[str, int] = {
    "diterima": 2,
    "ditelaah": 7,
    "asesmen_lapangan": 14,
    "rekomendasi": 14,
    "dirujuk": 30,
    "pengembangan": 60,
    "penerapan": 30,
}

#: Months after deployment when the post checks how the technology is doing [I].
DEFAULT_MONITORING_MONTHS = (1, 3, 6)

#: Public submissions allowed: (how many, per seconds), per address and per phone number.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {"ip": (10, 3600), "phone": (3, 86400), "track": (60, 600)}


def target_days() -> dict[str, int]:
    """Return the service-time target per state (settings.CONSULTATION_TARGET_DAYS overrides the defaults)."""
    return {**DEFAULT_TARGET_DAYS, **getattr(settings, "CONSULTATION_TARGET_DAYS", {})}


def monitoring_months() -> tuple[int, ...]:
    """Return the months after deployment when a check-in is due."""
    return tuple(getattr(settings, "CONSULTATION_MONITORING_MONTHS", DEFAULT_MONITORING_MONTHS))


def rate_limit(kind: str) -> tuple[int, int]:
    """Return (limit, per_seconds) for public submissions per `kind` (ip, phone, track)."""
    limits: dict[str, Any] = {**DEFAULT_RATE_LIMITS, **getattr(settings, "CONSULTATION_RATE_LIMITS", {})}
    return tuple(limits[kind])  # type: ignore[return-value]

"""The iCalendar feed of visits (RFC 5545) and the per-user secret link it is read through.

The link carries the user id and the generation of the user's calendar key, signed with django.core.signing (no
timestamp, so the link stays the same until revoked). Raising the generation revokes every link given before.
The generator is small and plain: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character,
and TEXT values escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import transaction

from posyantek.core import audit
from posyantek.visits.models import CalendarKey

SALT = "posyantek.visits.ical"
MAX_OCTETS = 75


# --- The generator (framework-free) ---------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continued with CRLF and one space."""
    raw = line.encode("utf-8")
    if len(raw) <= MAX_OCTETS:
        return line
    pieces: list[str] = []
    current = b""
    limit = MAX_OCTETS
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += b
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def date_value(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def utc_value(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class Event:
    """An all-day event: `end` is the first day after it (exclusive, as RFC 5545 wants)."""

    uid: str
    stamp: dt.datetime
    start: dt.date
    end: dt.date
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{utc_value(self.stamp)}",
            f"DTSTART;VALUE=DATE:{date_value(self.start)}",
            f"DTEND;VALUE=DATE:{date_value(self.end)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.location:
            out.append(f"LOCATION:{escape_text(self.location)}")
        if self.description:
            out.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            out.append(f"URL:{self.url}")
        if self.categories:
            out.append("CATEGORIES:" + ",".join(escape_text(c) for c in self.categories))
        out += [f"STATUS:{self.status}", "TRANSP:TRANSPARENT", "END:VEVENT"]
        return out


def calendar_bytes(events: Iterable[Event], *, name: str, prodid: str = "-//Posyantek//Kunjungan//ID") -> bytes:
    """Return a VCALENDAR with the events, CRLF-terminated and folded, as UTF-8 bytes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Jakarta",
    ]
    for event in events:
        lines += event.lines()
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


# --- The secret link ------------------------------------------------------------------------------------------


def _generation(user_id: int) -> int:
    return CalendarKey.objects.filter(user_id=user_id).values_list("generation", flat=True).first() or 0


def feed_token(user: Any) -> str:
    """Return the user's secret calendar token (the same until revoked)."""
    return signing.Signer(salt=SALT).sign_object({"u": user.pk, "g": _generation(user.pk)})


def feed_user_unscoped(token: str) -> Any:
    """Return the active user a calendar token belongs to, or None if it is bad, tampered with or revoked.

    No scope here: the signed token is the key; the feed then lists only what that user may see.
    """
    from posyantek.accounts.models import User

    if not token or len(token) > 200:
        return None
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("g"), int):
        return None
    user = User.objects.filter(pk=payload["u"], is_active=True).first()
    if user is None or _generation(user.pk) != payload["g"]:
        return None
    return user


@transaction.atomic
def feed_token_revoke(*, actor: Any) -> str:
    """Revoke the actor's calendar links and return the new token."""
    key, _created = CalendarKey.objects.select_for_update().get_or_create(user=actor)
    key.generation += 1
    key.save(update_fields=["generation", "updated"])
    audit.record(actor, "token", key, {"kalender": [key.generation - 1, key.generation]})
    return feed_token(actor)

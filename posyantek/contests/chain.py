"""The append-only, hash-chained contest log, and its verification.

Each `ContestLog` row carries `prev_hash` (the hash of the row before) and `hash` = SHA-256 over prev_hash and the
row's own content (seq, time, actor, edition, kind, object, payload as canonical JSON). Appends lock the single
`ChainHead` row, so two judges saving at once still make one line.

`verify()` checks two things:
1. the chain itself: every row's hash recomputes and points at the row before (the first broken link is named);
2. the data against the chain: every stored score equals the last value the log recorded for it, every locked
   sheet still has the scores it was locked with, and every published ranking still matches its publication.
So a score changed directly in the database (not through the services) is found, and so is a rewritten log row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.contests.models import ChainHead, ContestLog, Edition, Result, Score, ScoreSheet

GENESIS = "0" * 64


def canonical(payload: Any) -> str:
    """Return the payload as canonical JSON (sorted keys, no spaces), the form that is hashed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def link_hash(*, prev_hash: str, seq: int, at: Any, actor_id: Any, edition_id: Any, kind: str, object_key: str,
              payload: Any) -> str:  # fmt: skip
    """Return the hash of one link."""
    body = "|".join([prev_hash, str(seq), at.isoformat(), str(actor_id or ""), str(edition_id or ""), kind,
                     object_key, canonical(payload)])  # fmt: skip
    return hashlib.sha256(body.encode()).hexdigest()


def append(
    *, actor: Any, kind: str, object_key: str, payload: dict[str, Any], edition: Edition | None = None
) -> ContestLog:
    """Append one link to the chain (inside the caller's transaction, or its own)."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            ChainHead.objects.get_or_create(pk=1)
            head = ChainHead.objects.select_for_update().get(pk=1)
        seq = head.seq + 1
        at = timezone.now()
        actor_id = getattr(actor, "pk", None)
        edition_id = edition.pk if edition is not None else None
        digest = link_hash(prev_hash=head.last_hash, seq=seq, at=at, actor_id=actor_id, edition_id=edition_id,
                           kind=kind, object_key=object_key, payload=payload)  # fmt: skip
        row = ContestLog.objects.create(
            seq=seq, at=at, actor_id=actor_id, actor_label=str(actor) if actor is not None else "",
            edition_id=edition_id, kind=kind, object_key=object_key, payload=payload, prev_hash=head.last_hash,
            hash=digest,
        )  # fmt: skip
        ChainHead.objects.filter(pk=1).update(seq=seq, last_hash=digest)
    return row


# ---------------------------------------------------------------- what is logged for each kind of object


def note_digest(note: str) -> str:
    return hashlib.sha256((note or "").encode()).hexdigest()[:16]


def score_key(sheet_id: int, indicator_id: int) -> str:
    return f"score:{sheet_id}:{indicator_id}"


def score_payload(score: Score) -> dict[str, Any]:
    """What the log keeps of a score (the note as a digest: notes may be long)."""
    return {"value": score.value, "note": note_digest(score.note), "seen": bool(score.evidence_seen)}


def log_score(*, actor: Any, score: Score, edition: Edition) -> ContestLog:
    """Log a score as saved (call after saving it, in the same transaction)."""
    sheet = score.sheet
    payload = score_payload(score) | {"entry": sheet.entry_id, "judge": sheet.judge_id, "stage": sheet.stage}
    return append(actor=actor, kind=ContestLog.Kind.SCORE, object_key=score_key(score.sheet_id, score.indicator_id),
                  payload=payload, edition=edition)  # fmt: skip


def sheet_digest(sheet_id: int) -> str:
    """Return a digest of all scores on a sheet (indicator, value, note), as locked."""
    rows = Score.objects.filter(sheet_id=sheet_id).order_by("indicator_id").values_list("indicator_id", "value", "note")
    return hashlib.sha256(canonical([[i, v, note_digest(n)] for i, v, n in rows]).encode()).hexdigest()


def log_lock(*, actor: Any, sheet: ScoreSheet) -> ContestLog:
    """Log a sheet as locked, with the digest of its scores."""
    return append(actor=actor, kind=ContestLog.Kind.LOCK, object_key=f"sheet:{sheet.pk}",
                  payload={"digest": sheet_digest(sheet.pk), "entry": sheet.entry_id, "judge": sheet.judge_id,
                           "stage": sheet.stage}, edition=sheet.edition)  # fmt: skip


def results_digest(edition_id: int) -> str:
    """Return a digest of an edition's ranking (entry, rank, final score)."""
    rows = (
        Result.objects.filter(edition_id=edition_id)
        .order_by("rank", "entry_id")
        .values_list("entry_id", "rank", "final_score")
    )
    return hashlib.sha256(canonical([[e, r, f"{s:.3f}"] for e, r, s in rows]).encode()).hexdigest()


def log_publish(*, actor: Any, edition: Edition) -> ContestLog:
    """Log an edition's ranking as published."""
    return append(actor=actor, kind=ContestLog.Kind.PUBLISH, object_key=f"edition:{edition.pk}",
                  payload={"digest": results_digest(edition.pk),
                           "entries": Result.objects.filter(edition=edition).count()}, edition=edition)  # fmt: skip


# ---------------------------------------------------------------- verification


@dataclass
class Problem:
    """One thing the check found: where, and what."""

    seq: int | None
    object_key: str
    message: str


@dataclass
class Report:
    """The outcome of a chain check."""

    links: int = 0
    scores: int = 0
    sheets: int = 0
    editions: int = 0
    first_broken: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, edition: Edition | None = None, limit: int = 100) -> Report:
    """Check the chain and the data against it; `edition` limits the data checks (the chain is always whole)."""
    report = Report()

    def problem(seq: int | None, key: str, message: str) -> None:
        if len(report.problems) < limit:
            report.problems.append(Problem(seq, key, message))

    prev = GENESIS
    last_score: dict[str, tuple[int, dict[str, Any]]] = {}
    last_lock: dict[str, tuple[int, dict[str, Any]]] = {}
    last_publish: dict[int, tuple[int, dict[str, Any]]] = {}
    rows = ContestLog.objects.order_by("seq").values_list(
        "seq", "at", "actor_id", "edition_id", "kind", "object_key", "payload", "prev_hash", "hash"
    )
    expected_seq = 1
    for seq, at, actor_id, edition_id, kind, key, payload, prev_hash, digest in rows.iterator(chunk_size=5000):
        report.links += 1
        if seq != expected_seq:
            problem(seq, key, _("Nomor urut loncat dari %(a)s ke %(b)s: ada mata rantai yang dihapus.")
                    % {"a": expected_seq - 1, "b": seq})  # fmt: skip
            report.first_broken = report.first_broken or seq
        expected_seq = seq + 1
        if prev_hash != prev:
            problem(seq, key, _("Mata rantai #%(seq)s tidak menunjuk ke hash mata rantai sebelumnya.") % {"seq": seq})
            report.first_broken = report.first_broken or seq
        again = link_hash(prev_hash=prev_hash, seq=seq, at=at, actor_id=actor_id, edition_id=edition_id, kind=kind,
                          object_key=key, payload=payload)  # fmt: skip
        if again != digest:
            problem(seq, key, _("Isi mata rantai #%(seq)s diubah: hash-nya tidak cocok lagi.") % {"seq": seq})
            report.first_broken = report.first_broken or seq
        prev = digest
        if edition is not None and edition_id != edition.pk:
            continue
        if kind == ContestLog.Kind.SCORE:
            last_score[key] = (seq, payload)
        elif kind == ContestLog.Kind.LOCK:
            last_lock[key] = (seq, payload)
        elif kind == ContestLog.Kind.PUBLISH and edition_id:
            last_publish[edition_id] = (seq, payload)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and report.links and (head.seq != expected_seq - 1 or head.last_hash != prev):
        problem(None, "head", _("Ujung rantai tidak cocok dengan mata rantai terakhir: ada yang dihapus dari ujung."))

    scores = Score.objects.select_related("sheet").order_by("pk")
    sheets = ScoreSheet.objects.filter(state=ScoreSheet.State.LOCKED)
    published = Edition.objects.filter(published_at__isnull=False)
    if edition is not None:
        scores = scores.filter(sheet__edition=edition)
        sheets = sheets.filter(edition=edition)
        published = published.filter(pk=edition.pk)
    seen: set[str] = set()
    for sheet_id, indicator_id, value, note, seen_flag in scores.values_list(
        "sheet_id", "indicator_id", "value", "note", "evidence_seen"
    ).iterator(chunk_size=5000):
        report.scores += 1
        key = score_key(sheet_id, indicator_id)
        seen.add(key)
        logged = last_score.get(key)
        if logged is None:
            problem(None, key, _("Skor ini tidak pernah dicatat di log: ditambahkan di luar aplikasi."))
            continue
        seq, payload = logged
        if payload.get("deleted"):
            problem(seq, key, _("Skor ini tercatat sudah dihapus, tetapi ada lagi di basis data."))
        elif (payload.get("value"), payload.get("note"), payload.get("seen")) != (
            value, note_digest(note), bool(seen_flag)
        ):  # fmt: skip
            problem(seq, key, _("Skor di basis data (%(now)s) berbeda dari yang tercatat di log (%(logged)s).")
                    % {"now": value, "logged": payload.get("value")})  # fmt: skip
    for key, (seq, payload) in last_score.items():
        if key not in seen and not payload.get("deleted"):
            problem(seq, key, _("Skor yang tercatat di log hilang dari basis data."))
    for sheet_id in sheets.values_list("pk", flat=True).iterator():
        report.sheets += 1
        logged = last_lock.get(f"sheet:{sheet_id}")
        if logged is None:
            problem(None, f"sheet:{sheet_id}", _("Lembar nilai terkunci tanpa catatan penguncian di log."))
        elif logged[1].get("digest") != sheet_digest(sheet_id):
            problem(logged[0], f"sheet:{sheet_id}", _("Isi lembar nilai berubah setelah dikunci."))
    for edition_id in published.values_list("pk", flat=True):
        report.editions += 1
        logged = last_publish.get(edition_id)
        if logged is None:
            problem(None, f"edition:{edition_id}", _("Hasil diumumkan tanpa catatan pengumuman di log."))
        elif logged[1].get("digest") != results_digest(edition_id):
            problem(logged[0], f"edition:{edition_id}", _("Peringkat yang diumumkan berubah setelah diumumkan."))
    return report

"""Writes on results: compute the ranking, resolve ties in the plenary, publish, forward winners.

Each is atomic, checks that the actor organises the edition, is audited, and appends to the hash chain (COMPUTE for
a computation and for each plenary decision, PUBLISH with the digest of the published ranking, FORWARD per
forwarded entry), so `chain.verify()` finds a published ranking changed afterwards.

Rules written here (issue 8 §5):
- results come from locked sheets only (scoring.py); computing is allowed in the plenary, or as a preview during
  field verification and presentation; it replaces every Result and JudgeStat of the edition;
- a plenary decision orders one group of tied entries; it is re-applied when the ranking is computed again and the
  same entries are still tied;
- only ties that decide a prize or forwarding (ranks up to the last prize, `forward_count`, and 3) must be resolved
  before publication; entries tied further down keep their shared rank;
- a prize's title is the award of its rank (no Prize rows: "Juara 1–3"); ranks 1–3 with an award make the entry
  `juara`, a lower rank with an award `harapan`, every other ranked entry `tidak_juara`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.contests import access, chain, forwarding, scoring
from posyantek.contests.models import ContestLog, Edition, Entry, JudgeStat, Prize, Result, ScoreSheet
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.replication.models import Award

#: Edition states in which results may be computed (the plenary; earlier as a preview).
COMPUTE_STATES = (Edition.State.FIELD, Edition.State.PRESENTATION, Edition.State.PLENARY)
#: Decree fields the publish form may fill in.
DECREE_FIELDS = ("minutes_number", "decree_number", "decree_date", "signatory_name", "signatory_title",
                 "plenary_date", "plenary_place")  # fmt: skip


def _lock(actor: Any, edition: Edition) -> Edition:
    access.require_organiser(actor, edition)
    return lock_current(edition, None)


def _ensure_unpublished(edition: Edition) -> None:
    if edition.published_at is not None:
        raise ValidationError(_("Hasil lomba ini sudah diumumkan dan tidak dapat diubah lagi."))


def award_titles(edition: Edition) -> dict[int, str]:
    """Return the award title of each prize rank (defaults Juara 1–3 when the edition has no prizes)."""
    titles = dict(Prize.objects.filter(edition=edition).values_list("rank", "title"))
    return titles or {n: _("Juara %(n)s") % {"n": n} for n in (1, 2, 3)}


def deciding_rank(edition: Edition) -> int:
    """Return the last rank that decides a prize or forwarding: ties up to it must be resolved."""
    last_prize = Prize.objects.filter(edition=edition).aggregate(m=Max("rank"))["m"] or 0
    return max(last_prize, edition.forward_count, 3)


def _plenary_decisions(edition: Edition) -> dict[frozenset[int], tuple[list[int], str]]:
    """Return the plenary's latest order for each group of tied entries it decided (from the chain)."""
    out: dict[frozenset[int], tuple[list[int], str]] = {}
    rows = ContestLog.objects.filter(edition=edition, kind=ContestLog.Kind.COMPUTE, object_key=f"tie:{edition.pk}")
    for payload in rows.order_by("seq").values_list("payload", flat=True):
        order = [int(x) for x in payload.get("order", [])]
        out[frozenset(order)] = (order, payload.get("note", ""))
    return out


def _tie_note(note: str) -> str:
    return (_("Diputuskan rapat pleno: %(note)s") % {"note": note})[:300]


def _apply_decisions(edition: Edition, ranking: scoring.Ranking) -> int:
    """Re-apply earlier plenary decisions to groups that are still tied; return how many groups."""
    decisions = _plenary_decisions(edition)
    applied = 0
    for group in ranking.ties:
        found = decisions.get(frozenset(e.entry_id for e in group))
        if found is None:
            continue
        order, note = found
        first = group[0].rank
        by_id = {e.entry_id: e for e in group}
        for i, entry_id in enumerate(order):
            e = by_id[entry_id]
            e.rank, e.tie, e.tie_note = first + i, False, _tie_note(note)
        applied += 1
    ranking.entries.sort(key=lambda e: (e.rank, e.entry_id))
    return applied


def _insert_results(edition: Edition, entries: list[scoring.EntryScore], titles: dict[int, str]) -> None:
    """Insert one Result per ranked entry with one prepared statement.

    `bulk_create` spends about a second building SQL for 7,285 rows (on SQLite in batches of a hundred); the
    statement here is the same INSERT, values adapted by the fields themselves, executed once for all rows.
    """
    fields = [Result._meta.get_field(name) for name in ("edition", "entry", "stage_scores", "criterion_scores",
                                                        "final_score", "rank", "tie", "tie_note", "award",
                                                        "forwarded")]  # fmt: skip
    connection = connections[Result.objects.db]
    qn = connection.ops.quote_name
    stage_field, crit_field, final_field = fields[2], fields[3], fields[4]
    sql = (f"INSERT INTO {qn(Result._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")  # fmt: skip
    rows = [(edition.pk, e.entry_id, stage_field.get_db_prep_save(e.stage_scores, connection),
             crit_field.get_db_prep_save(e.criterion_scores, connection),
             final_field.get_db_prep_save(e.final, connection), e.rank, e.tie, e.tie_note,
             titles.get(e.rank, ""), False) for e in entries]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@dataclass
class Computed:
    """What a computation did."""

    ranking: scoring.Ranking
    results: int
    ties: int
    decisions_reapplied: int = 0
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def compute(*, actor: Any, edition: Edition) -> Computed:
    """Compute the ranking from locked sheets and replace the edition's Results and JudgeStats."""
    edition = _lock(actor, edition)
    _ensure_unpublished(edition)
    if edition.state not in COMPUTE_STATES:
        message = _("Hasil dapat dihitung saat verifikasi lapangan, presentasi, atau rapat pleno (tahap lomba "
                    "sekarang: %(state)s).")  # fmt: skip
        raise ValidationError(message % {"state": edition.get_state_display()})
    ranking = scoring.compute(edition)
    if not ranking.entries:
        raise ValidationError(_("Belum ada lembar nilai yang terkunci: belum ada yang dapat dihitung."))
    reapplied = _apply_decisions(edition, ranking)
    titles = award_titles(edition)
    Result.objects.filter(edition=edition).delete()
    JudgeStat.objects.filter(edition=edition).delete()
    _insert_results(edition, ranking.entries, titles)
    JudgeStat.objects.bulk_create(
        JudgeStat(edition=edition, stage=stage, judge_id=judge, n=st.n, mean=st.mean, sd=st.sd)
        for (stage, judge), st in ranking.stats.items()
    )  # fmt: skip
    edition.computed_at = timezone.now()
    edition.version += 1
    edition.save(update_fields=["computed_at", "version", "updated"])
    ties = len(ranking.ties)
    audit.record(actor, "compute", edition, {"peserta": len(ranking.entries), "nilai_sama": ties,
                                             "normalisasi": edition.normalise})  # fmt: skip
    chain.append(actor=actor, kind=ContestLog.Kind.COMPUTE, object_key=f"edition:{edition.pk}", edition=edition,
                 payload={"digest": chain.results_digest(edition.pk), "entries": len(ranking.entries),
                          "sheets": ranking.sheets, "scores": ranking.scores, "normalise": edition.normalise,
                          "ties": ties, "stage_weights": {s: round(w, 3) for s, w in ranking.weights.items()}},
                 )  # fmt: skip
    return Computed(ranking, len(ranking.entries), ties, reapplied)


@transaction.atomic
def resolve_tie(*, actor: Any, edition: Edition, ordering: list[int], note: str) -> list[Result]:
    """Record the plenary's order of one group of tied entries (best first); chained and re-applied on recompute."""
    edition = _lock(actor, edition)
    _ensure_unpublished(edition)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Tuliskan dasar keputusan rapat pleno.")]})
    ordering = [int(x) for x in ordering]
    rows = {r.entry_id: r for r in Result.objects.select_for_update().filter(edition=edition, entry_id__in=ordering)}
    if len(set(ordering)) != len(ordering) or len(rows) != len(ordering) or len(ordering) < 2:
        raise ValidationError({"ordering": [_("Urutan harus memuat setiap peserta yang bernilai sama, sekali saja.")]})
    ranks = {r.rank for r in rows.values()}
    first = min(ranks)
    group = set(Result.objects.filter(edition=edition, rank=first, tie=True).values_list("entry_id", flat=True))
    if len(ranks) != 1 or not all(r.tie for r in rows.values()) or group != set(ordering):
        raise ValidationError({"ordering": [_("Peserta ini tidak sedang bernilai sama di satu peringkat: urutan "
                                              "pleno harus memuat seluruh kelompok nilai sama.")]})  # fmt: skip
    titles = award_titles(edition)
    changed = []
    for i, entry_id in enumerate(ordering):
        r = rows[entry_id]
        r.rank, r.tie, r.tie_note, r.award = first + i, False, _tie_note(note), titles.get(first + i, "")
        changed.append(r)
    Result.objects.bulk_update(changed, ["rank", "tie", "tie_note", "award"])
    names = dict(Entry.objects.filter(pk__in=ordering).values_list("pk", "title"))
    line = _("Nilai sama di peringkat %(rank)s diputuskan: %(order)s. Dasar: %(note)s") % {
        "rank": first, "order": "; ".join(names[e] for e in ordering), "note": note}  # fmt: skip
    edition.plenary_notes = f"{edition.plenary_notes}\n{line}".strip()
    edition.version += 1
    edition.save(update_fields=["plenary_notes", "version", "updated"])
    audit.record(actor, "resolve_tie", edition, {"peringkat": first, "urutan": ordering, "catatan": note})
    chain.append(actor=actor, kind=ContestLog.Kind.COMPUTE, object_key=f"tie:{edition.pk}", edition=edition,
                 payload={"event": "tie_resolved", "rank": first, "order": ordering, "note": note,
                          "digest": chain.results_digest(edition.pk)})  # fmt: skip
    return changed


def publish_problems(edition: Edition) -> list[str]:
    """Return why `edition`'s results cannot be published yet (empty = ready)."""
    problems = []
    if edition.published_at is not None:
        return [_("Hasil lomba ini sudah diumumkan.")]
    if edition.state != Edition.State.PLENARY:
        problems.append(_("Hasil diumumkan setelah rapat pleno: pindahkan lomba ke tahap Rapat pleno lebih dulu."))
    if edition.computed_at is None or not Result.objects.filter(edition=edition).exists():
        problems.append(_("Hasil belum dihitung."))
        return problems
    scored = set(JudgeStat.objects.filter(edition=edition).values_list("stage", flat=True))
    open_sheets = ScoreSheet.objects.filter(edition=edition, stage__in=scored, state=ScoreSheet.State.OPEN).count()
    if open_sheets:
        problems.append(_("Masih ada %(n)s lembar nilai terbuka di tahap yang dinilai: kunci atau selesaikan "
                          "lebih dulu.") % {"n": open_sheets})  # fmt: skip
    if ScoreSheet.objects.filter(edition=edition, state=ScoreSheet.State.LOCKED,
                                 locked_at__gt=edition.computed_at).exists():  # fmt: skip
        problems.append(_("Ada lembar nilai yang dikunci setelah hasil dihitung: hitung ulang hasilnya."))
    limit = deciding_rank(edition)
    tied = Result.objects.filter(edition=edition, tie=True, rank__lte=limit).values_list("rank", flat=True)
    if tied:
        problems.append(_("Ada nilai sama yang menentukan juara atau peserta yang diteruskan (peringkat "
                          "%(ranks)s): putuskan urutannya di rapat pleno lebih dulu.")
                        % {"ranks": ", ".join(str(r) for r in sorted(set(tied)))})  # fmt: skip
    return problems


@dataclass
class Published:
    """What a publication did: awards written, entries forwarded now, and those waiting for the next edition."""

    awards: list[Award]
    forwarded: list[Entry]
    waiting: list[Entry]


@transaction.atomic
def publish(*, actor: Any, edition: Edition, data: dict[str, Any] | None = None) -> Published:
    """Publish the ranking: decide the edition, set entry states and awards, chain it, forward the top N."""
    edition = _lock(actor, edition)
    problems = publish_problems(edition)
    if problems:
        raise ValidationError(problems)
    for name in DECREE_FIELDS:
        if data and data.get(name) not in (None, ""):
            setattr(edition, name, data[name])
    edition.published_at = timezone.now()
    edition.state = Edition.State.DECIDED
    edition.version += 1
    edition.save()
    ranked = Entry.objects.filter(edition=edition, result__isnull=False)
    ranked.filter(result__award__gt="", result__rank__lte=3).update(state=Entry.State.WINNER)
    ranked.filter(result__award__gt="", result__rank__gt=3).update(state=Entry.State.HONOURABLE)
    ranked.filter(result__award="").update(state=Entry.State.NOT_WINNER)
    awards = []
    level = edition.level if edition.level in Award.Level.values else Award.Level.OTHER
    winners = Result.objects.filter(edition=edition).exclude(award="").select_related("entry__post").order_by("rank")
    for r in winners:
        post = r.entry.post
        award = Award.objects.create(post=post, region_id=post.region_id, year=edition.year, level=level,
                                     title=f"{r.award} {edition.name}"[:300],
                                     issuer=edition.organiser[:200])  # fmt: skip
        audit.record(actor, "create", award, {"dari_lomba": edition.pk, "peringkat": r.rank})
        awards.append(award)
    audit.record(actor, "publish", edition, {"peserta": Result.objects.filter(edition=edition).count(),
                                             "juara": len(awards), "sk": edition.decree_number})  # fmt: skip
    chain.log_publish(actor=actor, edition=edition)
    forwarded, waiting = [], []
    if edition.forward_count:
        top = list(Result.objects.filter(edition=edition, rank__lte=edition.forward_count).select_related("entry")
                   .order_by("rank", "pk")[: edition.forward_count])  # fmt: skip
        Result.objects.filter(pk__in=[r.pk for r in top]).update(forwarded=True)
        for r in top:
            made = _forward_one(actor, edition, r.entry)
            (forwarded if made else waiting).append(made or r.entry)
    return Published(awards, forwarded, waiting)


def _forward_one(actor: Any, edition: Edition, entry: Entry) -> Entry | None:
    """Create the forwarded entry in the next edition, or return None when that edition does not exist yet."""
    if Entry.objects.filter(forwarded_from=entry).exists():
        return None
    target = forwarding.next_edition(edition, entry)
    if target is None:
        return None
    return forwarding.create_forwarded_entry(actor=actor, source=entry, edition=target)


@transaction.atomic
def forward(*, actor: Any, edition: Edition, entries: list[Entry]) -> list[Entry]:
    """Forward chosen ranked entries by hand (at most `forward_count` in all); return the entries created."""
    edition = _lock(actor, edition)
    if edition.published_at is None:
        raise ValidationError(_("Umumkan hasil lebih dulu sebelum meneruskan juara."))
    ids = {e.pk for e in entries}
    results = list(Result.objects.select_for_update().filter(edition=edition, entry_id__in=ids).select_related("entry"))
    if len(results) != len(ids) or not ids:
        raise ValidationError({"entries": [_("Pilih peserta yang masuk peringkat lomba ini.")]})
    already = Result.objects.filter(edition=edition, forwarded=True).exclude(entry_id__in=ids).count()
    if already + len(ids) > edition.forward_count:
        raise ValidationError({"entries": [_("Jumlah juara yang diteruskan melebihi ketentuan lomba (%(n)s).")
                                           % {"n": edition.forward_count}]})  # fmt: skip
    Result.objects.filter(pk__in=[r.pk for r in results]).update(forwarded=True)
    audit.record(actor, "forward", edition, {"peserta": sorted(ids)})
    made = [_forward_one(actor, edition, r.entry) for r in sorted(results, key=lambda r: r.rank)]
    return [m for m in made if m is not None]


@transaction.atomic
def forward_pending(*, actor: Any, edition: Edition) -> list[Entry]:
    """Forward the winners chosen at publication that waited for the next level's edition; return those created."""
    edition = _lock(actor, edition)
    if edition.published_at is None:
        raise ValidationError(_("Umumkan hasil lebih dulu sebelum meneruskan juara."))
    pending = [r.entry for r in Result.objects.filter(edition=edition, forwarded=True, entry__forwarded_to__isnull=True)
               .select_related("entry").order_by("rank")]  # fmt: skip
    if not pending:
        raise ValidationError(_("Tidak ada juara yang menunggu diteruskan."))
    made = [m for m in (_forward_one(actor, edition, e) for e in pending) if m is not None]
    if not made:
        raise ValidationError(_("Lomba tingkat berikutnya (kategori dan tahun yang sama) belum dibuat: juara "
                                "diteruskan setelah lomba itu ada."))  # fmt: skip
    return made


def pending_forward(edition: Edition) -> list[Entry]:
    """Return the entries chosen to go up that are not in the next level's edition yet."""
    return [r.entry for r in Result.objects.filter(edition=edition, forwarded=True, entry__forwarded_to__isnull=True)
            .select_related("entry").order_by("rank")]  # fmt: skip

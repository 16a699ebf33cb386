"""Writes on agreements (MoU / PKS): the document, its parties, and its steps from exploring to ended or extended.

Each write is scoped (edit on the agreement's post), atomic and audited; a party added or removed is recorded on
the agreement, and every step is kept in AgreementStep with who, when and why, so its page tells the whole story.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.scoping import Action, rank_on_post, require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.core.validators import sniff_type
from posyantek.partnerships.models import Agreement, AgreementParty, AgreementStep, Partner
from posyantek.partnerships.workflow import FINAL, NEXT, PARTIES_OPEN, State, next_states

AGREEMENT_FIELDS = ["post", "number", "title", "doc_kind", "signed_on", "starts_on", "ends_on", "scope", "value",
                    "manager", "evaluation"]  # fmt: skip
TEXT_FIELDS = ("number", "title", "scope", "evaluation")
AUDITED = ["number", "title", "post", "doc_kind", "signed_on", "starts_on", "ends_on", "scope", "value", "manager",
           "evaluation", "file"]  # fmt: skip
MAX_RUPIAH = 10**13
MAX_TEXT = 20_000
SUFFIX = " (perpanjangan)"


def whole_rupiah(value: Any, field: str, errors: dict[str, list[str]], *, minimum: int = 0) -> int:
    """Return `value` when it is whole rupiah in range; note what is wrong in `errors` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [_("Tulis rupiah bulat, mis. 3500000.")]
        return 0
    if value < minimum:
        errors[field] = [_("Jumlah harus lebih dari Rp 0.") if minimum else _("Tidak boleh negatif.")]
    elif value > MAX_RUPIAH:
        errors[field] = [_("Angkanya terlalu besar; periksa lagi.")]
    return value


def check_pdf(upload: Any, field: str = "file") -> None:
    """Refuse an agreement file that is not a PDF (by its name and its first bytes) or is over the size limit."""
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size and upload.size > limit_mb * 1024 * 1024:
        raise ValidationError({field: [_("Berkas terlalu besar (%(size)s MB). Batasnya %(limit)s MB.")
                                       % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                                          "limit": limit_mb}]})  # fmt: skip
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not (getattr(upload, "name", "") or "").lower().endswith(".pdf") or sniff_type(head) != "application/pdf":
        raise ValidationError({field: [_("Berkas perjanjian harus PDF.")]})


def _snapshot(ag: Agreement) -> dict[str, Any]:
    """Return the audited values, the file by its name (not its storage path)."""
    values = audit.snapshot(ag, AUDITED)
    values["file"] = ag.file.name.rsplit("/", 1)[-1] if ag.file else None
    return values


def can_manage_agreements(user: Any, post: Any) -> bool:
    """Return whether `user` may be an agreement's manager on `post` (an active user who can edit it)."""
    return bool(user is not None and user.is_active and rank_on_post(user, post) >= Action.EDIT)


# --- The agreement --------------------------------------------------------------------------------------------


def _check(actor: Any, ag: Agreement, errors: dict[str, list[str]], *, moved: bool) -> None:
    """Check an agreement's shape and scope; raise every error at once."""
    for f in TEXT_FIELDS:
        setattr(ag, f, (getattr(ag, f) or "").strip())
    if not ag.title:
        errors["title"] = [_("Judul kerja sama wajib diisi.")]
    elif len(ag.title) > 300:
        errors["title"] = [_("Judul paling panjang 300 huruf.")]
    if len(ag.number) > 100:
        errors["number"] = [_("Nomor paling panjang 100 huruf.")]
    for f in ("scope", "evaluation"):
        if len(getattr(ag, f)) > MAX_TEXT:
            errors[f] = [_("Teksnya terlalu panjang; ringkas atau lampirkan di berkas.")]
    if ag.doc_kind not in Agreement.DocKind.values:
        errors["doc_kind"] = [_("Pilih jenis dokumen: MoU, PKS atau surat kesepakatan.")]
    ag.value = whole_rupiah(ag.value, "value", errors)
    if ag.starts_on and ag.ends_on and ag.ends_on < ag.starts_on:
        errors["ends_on"] = [_("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku.")]
    if ag.state not in PARTIES_OPEN and ag.state != State.ENDED and ag.signed_on is None:
        errors["signed_on"] = [_("Kerja sama yang sudah ditandatangani perlu tanggal tanda tangan.")]
    elif ag.signed_on and ag.signed_on > timezone.localdate():
        errors["signed_on"] = [_("Tanggal tanda tangan %(day)s belum tiba.") % {"day": tanggal(ag.signed_on)}]
    if ag.post_id is None:
        errors["post"] = [_("Pilih pos yang bekerja sama.")]
    elif moved and rank_on_post(actor, ag.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat kerja sama untuk pos ini.")]
    else:
        ag.region_id = ag.post.region_id
        if ag.manager_id is not None and not can_manage_agreements(ag.manager, ag.post):
            errors["manager"] = [_("%(user)s tidak dapat mengubah data %(post)s; pilih orang pos itu.")
                                 % {"user": ag.manager, "post": ag.post}]  # fmt: skip
    if errors:
        raise ValidationError(errors)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in AGREEMENT_FIELDS}
    for f in TEXT_FIELDS:
        if f in values and values[f] is None:
            values[f] = ""
    if values.get("value", 0) is None:
        values["value"] = 0
    return values


def _step(ag: Agreement, state: str, actor: Any, note: str) -> AgreementStep:
    who = actor if getattr(actor, "is_authenticated", False) else None
    note = (note or "")[:300]
    return AgreementStep.objects.create(agreement=ag, state=state, at=timezone.now(), actor=who, note=note)


@transaction.atomic
def agreement_create(*, actor: Any, data: dict[str, Any], partner: Partner | None = None) -> Agreement:
    """Record an agreement being explored for a post; the post itself is its first party, the actor its manager.

    The actor manages it unless another user who can edit the post is named. `partner` (one of the post's, as when
    the agreement is recorded from the partner's page) becomes its second party.
    """
    data = dict(data)
    upload = data.pop("file", None)
    ag = Agreement(**_values(data))
    if ag.manager_id is None and getattr(actor, "is_authenticated", False):
        ag.manager = actor
    errors: dict[str, list[str]] = {}
    if partner is not None and partner.post_id != ag.post_id:
        errors["partner"] = [_("%(partner)s adalah mitra pos lain; pilih pos %(partner)s atau catat mitranya "
                               "dulu.") % {"partner": partner}]  # fmt: skip
    _check(actor, ag, errors, moved=True)
    if upload:
        check_pdf(upload)
    ag.state = State.EXPLORING
    ag.save()
    require(actor, ag, "edit")
    if upload:
        ag.file.save(f"kerja-sama-{ag.pk}.pdf", upload, save=True)
    AgreementParty.objects.create(agreement=ag, is_post=True, order=0)
    _step(ag, ag.state, actor, _("Dicatat"))
    audit.record(actor, "create", ag, _snapshot(ag))
    if partner is not None:
        party_add(actor=actor, agreement=ag, partner=partner)
    return ag


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, data: dict[str, Any], version: int | None = None
                     ) -> Agreement:  # fmt: skip
    """Change an agreement's details or replace its file; an edit made on an old version is refused."""
    require(actor, agreement, "edit")
    ag = lock_current(agreement, version)
    data = dict(data)
    upload = data.pop("file", None)
    before = _snapshot(ag)
    old_post = ag.post_id
    for k, v in _values(data).items():
        setattr(ag, k, v)
    moved = ag.post_id != old_post
    errors: dict[str, list[str]] = {}
    if moved and (ag.parties.filter(partner__isnull=False).exists() or ag.results.exists()):
        errors["post"] = [_("Para pihak dan hasil kerja sama ini milik pos lama; kerja sama tidak dapat dipindah.")]
    _check(actor, ag, errors, moved=moved)
    if upload:
        check_pdf(upload)
        ag.file.save(f"kerja-sama-{ag.pk}.pdf", upload, save=False)
    ag.version += 1
    ag.save()
    require(actor, ag, "edit")
    changes = audit.diff(before, _snapshot(ag))
    if changes:
        audit.record(actor, "update", ag, changes)
    return ag


# --- Steps ----------------------------------------------------------------------------------------------------


def _labels(states: list[State]) -> str:
    return ", ".join(str(s.label) for s in states)


def _refuse_move(ag: Agreement, state: str) -> None:
    allowed = next_states(ag.state)
    if state in NEXT[ag.state]:
        return
    if not allowed:
        raise ValidationError({"state": [_("Kerja sama ini sudah %(now)s; tahapnya tidak dapat diubah lagi.")
                                         % {"now": ag.get_state_display().lower()}]})  # fmt: skip
    raise ValidationError(
        {
            "state": [
                _("Dari tahap %(now)s hanya boleh ke: %(next)s. Tahap tidak boleh dilompati atau mundur.")
                % {"now": ag.get_state_display(), "next": _labels(allowed)}
            ]
        }
    )


def _ready_to_sign(ag: Agreement, signed_on: dt.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if signed_on is not None:
        ag.signed_on = signed_on
    if ag.signed_on is None:
        errors["signed_on"] = [_("Isi tanggal tanda tangan.")]
    elif ag.signed_on > timezone.localdate():
        errors["signed_on"] = [_("Tanggal tanda tangan %(day)s belum tiba.") % {"day": tanggal(ag.signed_on)}]
    n = ag.parties.count()
    if n < 2:
        errors["state"] = [_("Kerja sama perlu paling sedikit dua pihak sebelum ditandatangani; baru ada %(n)s. "
                             "Tambahkan mitranya sebagai pihak.") % {"n": n}]  # fmt: skip
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_advance(*, actor: Any, agreement: Agreement, state: str, note: str = "", version: int | None = None,
                      signed_on: dt.date | None = None, evaluation: str | None = None,
                      extension: Agreement | None = None, starts_on: dt.date | None = None,
                      ends_on: dt.date | None = None) -> Agreement:  # fmt: skip
    """Move an agreement to one of its next states; skipping a state or going back is refused.

    Signing needs the signing date (`signed_on`, kept on the agreement) and two parties or more; evaluating needs
    the evaluation text; extending links `extension` (an agreement of the same post) or creates a new agreement
    from `starts_on` (default: the day after the old end) to `ends_on`, which must fall after the old end.
    """
    require(actor, agreement, "edit")
    ag = lock_current(agreement, version)
    if state not in State.values:
        raise ValidationError({"state": [_("Tahap tidak dikenal.")]})
    _refuse_move(ag, state)
    changes: dict[str, Any] = {"state": [ag.state, state], "note": [None, note or None]}
    fields = ["state", "version", "updated"]
    if state == State.SIGNED:
        old_signed = ag.signed_on
        _ready_to_sign(ag, signed_on)
        if ag.signed_on != old_signed:
            changes["signed_on"] = [old_signed, ag.signed_on]
            fields.append("signed_on")
    if state == State.EVALUATED:
        text = (ag.evaluation if evaluation is None else evaluation).strip()
        if not text:
            raise ValidationError({"evaluation": [_("Tulis hasil evaluasinya dulu: apa yang tercapai, apa yang "
                                                    "belum.")]})  # fmt: skip
        if len(text) > MAX_TEXT:
            raise ValidationError({"evaluation": [_("Teksnya terlalu panjang; ringkas atau lampirkan di berkas.")]})
        if text != ag.evaluation:
            changes["evaluation"] = [ag.evaluation or None, text]
            ag.evaluation = text
            fields.append("evaluation")
    new = None
    if state == State.EXTENDED:
        new = _extend(actor, ag, extension=extension, starts_on=starts_on, ends_on=ends_on)
        changes["perpanjangan"] = [None, str(new)]
    ag.state = state
    ag.version += 1
    ag.save(update_fields=fields)
    _step(ag, state, actor, note)
    audit.record(actor, "status", ag, changes)
    return ag


def _extend(actor: Any, old: Agreement, *, extension: Agreement | None, starts_on: dt.date | None,
            ends_on: dt.date | None) -> Agreement:  # fmt: skip
    """Link or create the agreement that extends `old`; its end must fall after the old end."""
    if extension is not None:
        return _link_extension(actor, old, extension)
    errors: dict[str, list[str]] = {}
    starts = starts_on or (old.ends_on + dt.timedelta(days=1) if old.ends_on else None)
    if ends_on is None:
        errors["ends_on"] = [_("Isi tanggal berakhir perpanjangan.")]
    elif old.ends_on and ends_on <= old.ends_on:
        errors["ends_on"] = [_("Perpanjangan harus berakhir sesudah %(day)s, akhir kerja sama lama.")
                             % {"day": tanggal(old.ends_on)}]  # fmt: skip
    elif starts and ends_on < starts:
        errors["ends_on"] = [_("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku.")]
    if errors:
        raise ValidationError(errors)
    title = old.title if old.title.endswith(SUFFIX) else (old.title[: 300 - len(SUFFIX)] + SUFFIX)
    new = Agreement.objects.create(
        post=old.post, region_id=old.region_id, title=title, doc_kind=old.doc_kind, scope=old.scope,
        manager=old.manager, starts_on=starts, ends_on=ends_on, extends=old, state=State.DRAFT,
    )  # fmt: skip
    for p in old.parties.all():
        AgreementParty.objects.create(agreement=new, partner_id=p.partner_id, is_post=p.is_post, order=p.order,
                                      signatory=p.signatory, signatory_title=p.signatory_title,
                                      obligations=p.obligations)  # fmt: skip
    _step(new, State.DRAFT, actor, _("Perpanjangan dari %(old)s") % {"old": old})
    audit.record(actor, "create", new, {**_snapshot(new), "extends": [None, str(old)]})
    return new


def _link_extension(actor: Any, old: Agreement, extension: Agreement) -> Agreement:
    require(actor, extension, "edit")
    ext = Agreement.objects.select_for_update().get(pk=extension.pk)
    problem = None
    if ext.pk == old.pk:
        problem = _("Kerja sama tidak dapat memperpanjang dirinya sendiri.")
    elif ext.post_id != old.post_id:
        problem = _("Perpanjangan harus kerja sama %(post)s juga.") % {"post": old.post}
    elif ext.extends_id not in (None, old.pk):
        problem = _("%(ext)s sudah memperpanjang kerja sama lain.") % {"ext": ext}
    elif ext.state in FINAL:
        problem = _("%(ext)s sudah %(state)s.") % {"ext": ext, "state": ext.get_state_display().lower()}
    elif old.ends_on and (ext.ends_on is None or ext.ends_on <= old.ends_on):
        problem = _("Perpanjangan harus berakhir sesudah %(day)s, akhir kerja sama lama.") % {
            "day": tanggal(old.ends_on)
        }
    if problem:
        raise ValidationError({"extension": [problem]})
    if ext.extends_id != old.pk:
        ext.extends = old
        ext.version += 1
        ext.save(update_fields=["extends", "version", "updated"])
        audit.record(actor, "update", ext, {"extends": [None, str(old)]})
    return ext


# --- Parties --------------------------------------------------------------------------------------------------


def party_text(party: AgreementParty) -> str:
    """Return how a party reads in the agreement's history: who, and who signs for it."""
    who = str(party.partner) if party.partner_id else str(party.agreement.post)
    if party.signatory:
        sign = party.signatory + (f", {party.signatory_title}" if party.signatory_title else "")
        return _("%(who)s (penanda tangan: %(sign)s)") % {"who": who, "sign": sign}
    return who


def _check_party(party: AgreementParty) -> None:
    errors: dict[str, list[str]] = {}
    for f in ("signatory", "signatory_title", "obligations"):
        setattr(party, f, (getattr(party, f) or "").strip())
    if len(party.signatory) > 200:
        errors["signatory"] = [_("Nama penanda tangan paling panjang 200 huruf.")]
    if len(party.signatory_title) > 200:
        errors["signatory_title"] = [_("Jabatan paling panjang 200 huruf.")]
    if len(party.obligations) > MAX_TEXT:
        errors["obligations"] = [_("Teksnya terlalu panjang; ringkas atau lampirkan di berkas.")]
    if errors:
        raise ValidationError(errors)


def _parties_open(ag: Agreement) -> None:
    if ag.state not in PARTIES_OPEN:
        raise ValidationError({"partner": [_("Para pihak tidak dapat ditambah atau dihapus setelah kerja sama "
                                             "ditandatangani.")]})  # fmt: skip


@transaction.atomic
def party_add(*, actor: Any, agreement: Agreement, partner: Partner | None = None, is_post: bool = False,
              signatory: str = "", signatory_title: str = "", obligations: str = "") -> AgreementParty:  # fmt: skip
    """Add a party to an agreement: one of the post's partners, or the post itself; each party appears once."""
    require(actor, agreement, "edit")
    ag = Agreement.objects.select_for_update().select_related("post").get(pk=agreement.pk)
    _parties_open(ag)
    if (partner is None) == (not is_post):
        raise ValidationError({"partner": [_("Pilih satu mitra, atau pos ini sendiri.")]})
    if partner is not None and partner.post_id != ag.post_id:
        raise ValidationError({"partner": [_("Pilih mitra %(post)s; tambahkan dulu di daftar mitra bila belum ada.")
                                           % {"post": ag.post}]})  # fmt: skip
    listed = ag.parties.filter(partner=partner) if partner is not None else ag.parties.filter(is_post=True)
    if listed.exists():
        who = partner if partner is not None else ag.post
        raise ValidationError({"partner": [_("%(who)s sudah tercatat sebagai pihak pada kerja sama ini; satu pihak "
                                             "hanya dicatat sekali.") % {"who": who}]})  # fmt: skip
    order = (ag.parties.aggregate(m=Max("order"))["m"] or 0) + 1
    party = AgreementParty(agreement=ag, partner=partner, is_post=is_post, order=order, signatory=signatory,
                           signatory_title=signatory_title, obligations=obligations)  # fmt: skip
    _check_party(party)
    party.save()
    audit.record(actor, "update", ag, {"pihak": [None, party_text(party)]})
    return party


@transaction.atomic
def party_update(*, actor: Any, party: AgreementParty, data: dict[str, Any]) -> AgreementParty:
    """Change who signs for a party and what it must do (until the agreement has ended)."""
    require(actor, party.agreement, "edit")
    party = (
        AgreementParty.objects.select_for_update(of=("self",))
        .select_related("agreement__post", "partner")
        .get(pk=party.pk)
    )
    if party.agreement.state in FINAL:
        raise ValidationError({"obligations": [_("Kerja sama ini sudah %(state)s; para pihaknya tidak diubah lagi.")
                                               % {"state": party.agreement.get_state_display().lower()}]})  # fmt: skip
    before = (party_text(party), party.obligations)
    for f in ("signatory", "signatory_title", "obligations"):
        if f in data and data[f] is not None:
            setattr(party, f, data[f])
    _check_party(party)
    party.save()
    changes: dict[str, Any] = {}
    if party_text(party) != before[0]:
        changes["pihak"] = [before[0], party_text(party)]
    if party.obligations != before[1]:
        who = str(party.partner) if party.partner_id else str(party.agreement.post)
        changes["kewajiban"] = [f"{who}: {before[1]}" if before[1] else None,
                                f"{who}: {party.obligations}" if party.obligations else None]  # fmt: skip
    if changes:
        audit.record(actor, "update", party.agreement, changes)
    return party


@transaction.atomic
def party_remove(*, actor: Any, party: AgreementParty) -> None:
    """Remove a party listed by mistake (before the agreement is signed)."""
    require(actor, party.agreement, "edit")
    ag = Agreement.objects.select_for_update().get(pk=party.agreement_id)
    _parties_open(ag)
    audit.record(actor, "update", ag, {"pihak": [party_text(party), None]})
    party.delete()

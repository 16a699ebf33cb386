"""Writes on Bintek: plan, states, participants, attendance, files, certificates, follow-up and outcomes."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyantek.catalog.models import Ttg
from posyantek.core import audit
from posyantek.core.concurrency import lock_current
from posyantek.core.lib import images
from posyantek.core.lib import phone as phones
from posyantek.core.scoping import Action, covers_region, rank_on_post, require
from posyantek.core.templatetags.fmt import tanggal
from posyantek.core.validators import sniff_type, validate_document
from posyantek.people.models import Person
from posyantek.regions.models import Region
from posyantek.trainings.models import (
    Attendance,
    AttendanceSession,
    Bintek,
    BintekStep,
    FollowUp,
    Material,
    Outcome,
    Participant,
)

BINTEK_FIELDS = ["title", "post", "ttg", "topic", "target_group", "venue", "region", "starts_on", "ends_on",
                 "trainer_partners", "budget", "funding_source", "registration_open"]  # fmt: skip
PARTICIPANT_FIELDS = ["name", "sex", "group", "phone", "address", "invited", "person", "pre_score", "post_score"]
FOLLOWUP_FIELDS = ["kind", "description", "owner", "target_date", "status", "evidence_note"]
OUTCOME_FIELDS = ["month", "measured_on", "applying", "new_products", "income_per_month", "jobs", "note"]
#: Letters and digits that cannot be mistaken for one another when read off a screen at the venue.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ORDER = list(Bintek.State.values)
MAX_BUDGET = 10**13


def normalize_phone(value: str) -> str:
    """Return a phone number as people write it at home: a mobile number as 08… (read by core/lib/phone.py),
    any other number as its digits with +62/62 written as a leading 0."""
    if mobile := phones.normalize_phone(value):
        return "0" + mobile[2:]
    digits = re.sub(r"\D", "", value or "")
    return "0" + digits[2:] if digits.startswith("62") else digits


def _code(n: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(n))


def _require_pdf(upload: Any, field: str) -> None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff_type(head) != "application/pdf":  # not "PDF or image", as validate_document would say
        raise ValidationError({field: [_("Berkas harus PDF.")]})
    try:
        validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


# --- Bintek ---------------------------------------------------------------------------------------------------


def _prepare(
    actor: Any,
    bintek: Bintek,
    trainers: list[Person] | None,
    kept_ttg: int | None = None,
    kept: frozenset[int] = frozenset(),
) -> None:
    """Check a plan's shape and scope; the location must lie in the organising post's area.

    A TTG or trainer the plan already had stays allowed (`kept_ttg`, `kept`) even if the editor cannot see it, e.g.
    the village post's staff editing a Bintek about a TTG recorded by the kecamatan post.
    """
    errors: dict[str, list[str]] = {}
    if not (bintek.title or "").strip():
        errors["title"] = [_("Judul wajib diisi.")]
    if bintek.budget is None or bintek.budget < 0:
        errors["budget"] = [_("Anggaran tidak boleh negatif.")]
    elif bintek.budget > MAX_BUDGET:
        errors["budget"] = [_("Anggaran terlalu besar; periksa angkanya.")]
    if bintek.starts_on and bintek.ends_on and bintek.ends_on < bintek.starts_on:
        errors["ends_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if bintek.funding_source and bintek.funding_source not in Bintek.Funding.values:
        errors["funding_source"] = [_("Sumber dana tidak dikenal.")]
    if bintek.post_id is None:
        errors["post"] = [_("Pilih pos penyelenggara.")]
    elif rank_on_post(actor, bintek.post) < Action.EDIT:
        errors["post"] = [_("Anda tidak dapat mencatat Bintek untuk pos ini.")]
    elif not bintek.region_id:
        bintek.region_id = bintek.post.region_id
    elif not covers_region(bintek.post.region_id, bintek.region_id):
        errors["region"] = [_("Lokasi harus di wilayah pos penyelenggara.")]
    if (bintek.ttg_id and bintek.ttg_id != kept_ttg
            and not Ttg.objects.for_user(actor, "view").filter(pk=bintek.ttg_id).exists()):  # fmt: skip
        errors["ttg"] = [_("TTG ini tidak ada dalam cakupan Anda.")]
    new_trainers = {p.pk for p in trainers or []} - kept
    if new_trainers:
        visible = Person.objects.for_user(actor, "view").filter(pk__in=new_trainers).count()
        if visible != len(new_trainers):
            errors["trainer_people"] = [_("Ada narasumber di luar cakupan Anda.")]
    if errors:
        raise ValidationError(errors)


def _resolve_region(data: dict[str, Any]) -> None:
    if "region" in data and not data["region"]:
        data.pop("region")  # no location given: the post's region (new plan) or the one it had (edit)
    if isinstance(data.get("region"), str):
        code = data["region"].strip()
        data["region"] = Region.objects.filter(code=code).first()
        if data["region"] is None:
            raise ValidationError({"region": [_("Kode wilayah %(code)s tidak ada.") % {"code": code}]})


@transaction.atomic
def bintek_create(*, actor: Any, data: dict[str, Any]) -> Bintek:
    """Plan a Bintek for a post the actor works for; it starts at `direncanakan`."""
    data = dict(data)
    trainers = list(data.pop("trainer_people", None) or [])
    tor = data.pop("tor", None)
    _resolve_region(data)
    bintek = Bintek(**{k: v for k, v in data.items() if k in BINTEK_FIELDS and v is not None})
    _prepare(actor, bintek, trainers)
    if tor:
        _require_pdf(tor, "tor")
    bintek.public_token = secrets.token_urlsafe(12)
    bintek.save()
    if tor:
        bintek.tor.save(f"kak-{slugify(bintek.title)[:40] or 'bintek'}.pdf", tor, save=True)
    bintek.trainer_people.set(trainers)
    require(actor, bintek, "edit")
    BintekStep.objects.create(bintek=bintek, state=bintek.state, at=timezone.now(), actor=actor, note=_("Dicatat"))
    audit.record(actor, "create", bintek, audit.snapshot(bintek, ["title", "post", "ttg", "region", "starts_on",
                                                                  "ends_on", "budget", "funding_source"]))  # fmt: skip
    return bintek


@transaction.atomic
def bintek_update(*, actor: Any, bintek: Bintek, data: dict[str, Any], version: int | None = None) -> Bintek:
    """Change a Bintek's plan; an edit made on an old version is refused."""
    require(actor, bintek, "edit")
    bintek = lock_current(bintek, version)
    data = dict(data)
    trainers = data.pop("trainer_people", None)
    tor = data.pop("tor", None)
    _resolve_region(data)
    fields = [f for f in BINTEK_FIELDS if f in data]
    before = audit.snapshot(bintek, fields)
    kept_ttg, kept = bintek.ttg_id, frozenset(bintek.trainer_people.values_list("pk", flat=True))
    for f in fields:
        setattr(bintek, f, data[f])
    _prepare(actor, bintek, list(trainers) if trainers is not None else None, kept_ttg, kept)
    if tor:
        _require_pdf(tor, "tor")
        bintek.tor.save(f"kak-{slugify(bintek.title)[:40] or 'bintek'}.pdf", tor, save=False)
        fields.append("tor")
    bintek.version += 1
    bintek.save()
    if trainers is not None:
        bintek.trainer_people.set(trainers)
    require(actor, bintek, "edit")
    changes = audit.diff(before, audit.snapshot(bintek, fields))
    if changes:
        audit.record(actor, "update", bintek, changes)
    return bintek


def _missing_for(bintek: Bintek, state: str) -> list[str]:
    """Return what a Bintek still lacks before it may enter `state`."""
    missing = []
    if state == Bintek.State.INVITED and not bintek.participants.exists():
        missing.append(_("daftar peserta/undangan"))
    if state == Bintek.State.HELD and not Attendance.objects.filter(session__bintek=bintek).exists():
        missing.append(_("presensi peserta"))
    if state == Bintek.State.REPORTED and not (bintek.report_text.strip() or bintek.report_file):
        missing.append(_("laporan kegiatan"))
    if state == Bintek.State.FOLLOW_UP and not bintek.followups.exists():
        missing.append(_("paling sedikit satu tindak lanjut"))
    if state == Bintek.State.EVALUATED and not bintek.outcomes.filter(month__gt=0).exists():
        missing.append(_("indikator hasil 3, 6 atau 12 bulan"))
    return missing


@transaction.atomic
def bintek_advance(*, actor: Any, bintek: Bintek, state: str, note: str = "", version: int | None = None) -> Bintek:
    """Move a Bintek to the next state only; skipping a step or going back is refused."""
    require(actor, bintek, "edit")
    bintek = lock_current(bintek, version)
    if state not in ORDER:
        raise ValidationError({"state": [_("Tahap tidak dikenal.")]})
    current = ORDER.index(bintek.state)
    target = ORDER.index(state)
    if target != current + 1:
        if target <= current:
            raise ValidationError({"state": [_("Bintek sudah pada tahap %(now)s; tahap tidak dapat mundur.")
                                             % {"now": bintek.get_state_display()}]})  # fmt: skip
        raise ValidationError({"state": [_("Tahap tidak boleh dilompati: setelah %(now)s harus %(next)s dulu.")
                                         % {"now": bintek.get_state_display(),
                                            "next": Bintek.State(ORDER[current + 1]).label}]})  # fmt: skip
    if state == Bintek.State.HELD and bintek.starts_on > timezone.localdate():
        raise ValidationError({"state": [_("Bintek ini baru mulai %(day)s; tandai dilaksanakan setelah hari itu tiba.")
                                         % {"day": tanggal(bintek.starts_on)}]})  # fmt: skip
    if missing := _missing_for(bintek, state):
        message = _("Belum bisa pindah ke %(state)s; lengkapi dulu: %(what)s.")
        raise ValidationError({"state": [message % {"state": Bintek.State(state).label, "what": ", ".join(missing)}]})
    old = bintek.state
    bintek.state = state
    if state != Bintek.State.PLANNED:
        bintek.registration_open = bintek.registration_open and state == Bintek.State.INVITED
    bintek.version += 1
    bintek.save(update_fields=["state", "registration_open", "version", "updated"])
    BintekStep.objects.create(bintek=bintek, state=state, at=timezone.now(), actor=actor, note=note[:300])
    audit.record(actor, "status", bintek, {"state": [old, state], "note": [None, note or None]})
    return bintek


@transaction.atomic
def bintek_report(*, actor: Any, bintek: Bintek, text: str, upload: Any = None) -> Bintek:
    """Write the Bintek's report (text, and an optional PDF)."""
    require(actor, bintek, "edit")
    bintek = lock_current(bintek, None)
    if bintek.state_index < ORDER.index(Bintek.State.HELD):
        raise ValidationError({"report_text": [_("Laporan ditulis setelah Bintek dilaksanakan.")]})
    if not (text or "").strip() and not upload:
        raise ValidationError({"report_text": [_("Tulis laporannya atau unggah PDF-nya.")]})
    if upload:
        _require_pdf(upload, "report_file")
    before = audit.snapshot(bintek, ["report_text", "report_file"])
    bintek.report_text = text or ""
    if upload:
        bintek.report_file.save(f"laporan-{slugify(bintek.title)[:40] or 'bintek'}.pdf", upload, save=False)
    bintek.version += 1
    bintek.save()
    audit.record(actor, "update", bintek, audit.diff(before, audit.snapshot(bintek, ["report_text", "report_file"])))
    return bintek


@transaction.atomic
def material_add(*, actor: Any, bintek: Bintek, kind: str, upload: Any, caption: str = "") -> Material:
    """Add a teaching material (PDF or image) or a photo (checked, cleaned of metadata and GPS)."""
    require(actor, bintek, "edit")
    if kind not in Material.Kind.values:
        raise ValidationError({"kind": [_("Jenis berkas tidak dikenal.")]})
    material = Material(bintek=bintek, kind=kind, caption=(caption or "")[:200])
    stem = slugify(bintek.title)[:40] or "bintek"
    if kind == Material.Kind.PHOTO:
        try:
            images.check_image(upload)
            clean = images.clean_image(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        material.file.save(f"foto-{stem}.{clean.extension}", ContentFile(clean.data), save=False)
    else:
        try:
            validate_document(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        name = getattr(upload, "name", "materi") or "materi"
        material.file.save(f"materi-{slugify(name.rsplit('.', 1)[0])[:40]}.{name.rsplit('.', 1)[-1].lower()}",
                           upload, save=False)  # fmt: skip
    material.save()
    label = {"materi": "materi", "foto": "foto"}[kind]
    audit.record(actor, "update", bintek, {label: [None, str(material)]})
    return material


# --- Participants ---------------------------------------------------------------------------------------------


def _check_participant(p: Participant) -> None:
    errors: dict[str, list[str]] = {}
    if not (p.name or "").strip():
        errors["name"] = [_("Nama wajib diisi.")]
    if p.sex not in Participant.Sex.values:
        errors["sex"] = [_("Pilih jenis kelamin (L atau P).")]
    if p.group not in Participant.Group.values:
        errors["group"] = [_("Kelompok tidak dikenal.")]
    for field in ("pre_score", "post_score"):
        value = getattr(p, field)
        if value is not None and not 0 <= value <= 100:
            errors[field] = [_("Nilai harus antara 0 dan 100.")]
    p.phone = normalize_phone(p.phone)
    if p.phone and not 8 <= len(p.phone) <= 15:
        errors["phone"] = [_("Nomor telepon tidak valid.")]
    elif p.phone and (Participant.objects.filter(bintek_id=p.bintek_id, phone=p.phone).exclude(pk=p.pk).exists()):
        errors["phone"] = [_("Nomor telepon ini sudah terdaftar di Bintek ini.")]
    if errors:
        raise ValidationError(errors)


def _add_participant(bintek: Bintek, data: dict[str, Any], source: str) -> Participant:
    p = Participant(bintek=bintek, source=source,
                    **{k: v for k, v in data.items() if k in PARTICIPANT_FIELDS and v is not None})  # fmt: skip
    _check_participant(p)
    # Lock the Bintek row so two registrations at once do not take the same number.
    list(Bintek._base_manager.select_for_update().filter(pk=bintek.pk).values_list("pk", flat=True))
    p.number = (bintek.participants.aggregate(n=Max("number"))["n"] or 0) + 1
    p.save()
    return p


@transaction.atomic
def participant_register(*, actor: Any, bintek: Bintek, data: dict[str, Any], source: str = "staf") -> Participant:
    """Register a participant on the post's side (form, import)."""
    require(actor, bintek, "edit")
    person = data.get("person")
    if person is not None and not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise ValidationError({"person": [_("Orang ini tidak ada dalam cakupan Anda.")]})
    if bintek.state_index > ORDER.index(Bintek.State.HELD):
        raise ValidationError(_("Pendaftaran ditutup: Bintek sudah selesai dilaksanakan."))
    p = _add_participant(bintek, data, source)
    audit.record(actor, "create", p, audit.snapshot(p, ["number", "name", "sex", "group", "invited", "source"]),
                 region_id=bintek.region_id, post_id=bintek.post_id)  # fmt: skip
    audit.record(actor, "update", bintek, {"peserta": [None, f"{p.registration_code} {p.name}"]})
    return p


@transaction.atomic
def participant_register_public(*, bintek: Bintek, data: dict[str, Any]) -> Participant:
    """Register oneself through the Bintek's public link, while its registration is open."""
    if not bintek.registration_open or bintek.state not in (Bintek.State.PLANNED, Bintek.State.INVITED):
        raise ValidationError(_("Pendaftaran untuk Bintek ini sudah ditutup."))
    data = {k: data.get(k) for k in ("name", "sex", "group", "phone", "address")}
    if not normalize_phone(data.get("phone") or ""):
        raise ValidationError({"phone": [_("Isi nomor telepon/WhatsApp; dipakai untuk presensi.")]})
    p = _add_participant(bintek, data, Participant.Source.SELF)
    audit.record(None, "create", p, audit.snapshot(p, ["number", "name", "sex", "group", "source"]),
                 region_id=bintek.region_id, post_id=bintek.post_id)  # fmt: skip
    audit.record(None, "update", bintek, {"peserta": [None, f"{p.registration_code} {p.name}"]})
    return p


@transaction.atomic
def participant_update(
    *, actor: Any, participant: Participant, data: dict[str, Any], version: int | None = None
) -> Participant:
    """Change a participant (details, invitation, pre/post-test scores); refuse a stale edit."""
    require(actor, participant.bintek, "edit")
    participant = lock_current(participant, version)
    fields = [f for f in PARTICIPANT_FIELDS if f in data]
    person = data.get("person")
    if (person is not None and person.pk != participant.person_id
            and not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists()):  # fmt: skip
        raise ValidationError({"person": [_("Orang ini tidak ada dalam cakupan Anda.")]})
    before = audit.snapshot(participant, fields)
    for f in fields:
        setattr(participant, f, data[f])
    _check_participant(participant)
    participant.version += 1
    participant.save()
    changes = audit.diff(before, audit.snapshot(participant, fields))
    if changes:
        where = {"region_id": participant.bintek.region_id, "post_id": participant.bintek.post_id}
        audit.record(actor, "update", participant, changes, **where)
    return participant


# --- Attendance -----------------------------------------------------------------------------------------------


@transaction.atomic
def session_open(
    *, actor: Any, bintek: Bintek, day: dt.date | None = None, label: str = "", hours: int = 12
) -> AttendanceSession:
    """Open an attendance session with a short code shown at the venue, valid for `hours` hours."""
    require(actor, bintek, "edit")
    if bintek.state not in (Bintek.State.INVITED, Bintek.State.HELD, Bintek.State.PLANNED):
        raise ValidationError(_("Presensi hanya dibuka sebelum laporan ditulis."))
    if not 1 <= hours <= 72:
        raise ValidationError({"hours": [_("Masa berlaku kode 1 sampai 72 jam.")]})
    last = bintek.ends_on or bintek.starts_on
    day = day or min(max(timezone.localdate(), bintek.starts_on), last)  # today, or the nearest day of the Bintek
    if not bintek.starts_on <= day <= (bintek.ends_on or bintek.starts_on):
        raise ValidationError({"day": [_("Hari presensi harus di antara %(a)s dan %(b)s, tanggal Bintek ini.")
                                       % {"a": tanggal(bintek.starts_on),
                                          "b": tanggal(bintek.ends_on or bintek.starts_on)}]})  # fmt: skip
    for _attempt in range(5):
        code = _code(6)
        if not AttendanceSession.objects.filter(code=code).exists():
            break
    # A session opened ahead (a QR printed the day before) counts its hours from the start of its day.
    opens = max(timezone.now(), timezone.make_aware(dt.datetime.combine(day, dt.time.min)))
    session = AttendanceSession.objects.create(bintek=bintek, day=day, label=(label or "")[:100], code=code,
                                               expires_at=opens + dt.timedelta(hours=hours))  # fmt: skip
    audit.record(actor, "update", bintek, {"sesi_presensi": [None, f"{tanggal(day)} {session.label}".strip()]})
    return session


def _find_participant(bintek: Bintek, who: str) -> Participant | None:
    who = (who or "").strip()
    if not who:
        return None
    if who.isdigit() and len(who) <= 5:
        found = bintek.participants.filter(number=int(who)).first()
        if found:
            return found
    phone = normalize_phone(who)
    return bintek.participants.filter(phone=phone).first() if phone else None


@transaction.atomic
def attendance_check_in(*, code: str, who: str) -> Attendance:
    """Record presence with the code shown at the venue and the participant's phone or registration number."""
    code = re.sub(r"[\s-]", "", code or "").upper()
    session = AttendanceSession.objects.select_related("bintek").filter(code=code).first() if code else None
    if session is None:
        raise ValidationError({"code": [_("Kode presensi salah. Periksa lagi kode yang ditampilkan di lokasi.")]})
    if session.expires_at <= timezone.now():
        raise ValidationError({"code": [_("Kode presensi ini sudah kedaluwarsa. Minta kode baru ke panitia.")]})
    if session.bintek.state_index > ORDER.index(Bintek.State.HELD):
        raise ValidationError({"code": [_("Presensi Bintek ini sudah ditutup: laporannya sudah ditulis.")]})
    if session.day > timezone.localdate():
        raise ValidationError({"code": [_("Kode ini untuk sesi tanggal %(day)s; presensi dibuka pada hari itu.")
                                        % {"day": tanggal(session.day)}]})  # fmt: skip
    participant = _find_participant(session.bintek, who)
    if participant is None:
        raise ValidationError({"who": [_("Nomor telepon atau nomor pendaftaran tidak ditemukan di Bintek ini. "
                                         "Daftar dulu ke panitia.")]})  # fmt: skip
    existing = Attendance.objects.filter(session=session, participant=participant).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            att = Attendance.objects.create(session=session, participant=participant, at=timezone.now())
    except IntegrityError:  # checked in twice at the same moment
        return Attendance.objects.get(session=session, participant=participant)
    # Recorded on the participant, so the Riwayat of the participant's page shows each day present.
    audit.record(None, "update", participant, {"kehadiran": [None, f"{session} ({att.get_method_display()})"]},
                 region_id=session.bintek.region_id, post_id=session.bintek.post_id)  # fmt: skip
    return att


@transaction.atomic
def attendance_mark(*, actor: Any, session: AttendanceSession, participant: Participant) -> Attendance:
    """Mark a participant present at a session (by the staff, e.g. someone without a phone)."""
    require(actor, session.bintek, "edit")
    if participant.bintek_id != session.bintek_id:
        raise ValidationError({"participant": [_("Peserta ini bukan peserta Bintek tersebut.")]})
    state = Bintek.objects.filter(pk=session.bintek_id).values_list("state", flat=True).get()  # not a stale copy
    if ORDER.index(state) > ORDER.index(Bintek.State.HELD):
        # As for opening a session: once reported, the attendance (and so who may get a certificate) is final.
        raise ValidationError({"session": [_("Presensi sudah ditutup: laporan Bintek ini sudah ditulis.")]})
    if session.day > timezone.localdate():
        raise ValidationError({"session": [_("Sesi tanggal %(day)s belum berlangsung; kehadiran dicatat pada hari itu.")
                                           % {"day": tanggal(session.day)}]})  # fmt: skip
    att, created = Attendance.objects.get_or_create(session=session, participant=participant,
                                                    defaults={"at": timezone.now(), "method": "staf"})  # fmt: skip
    if created:
        audit.record(actor, "update", participant, {"kehadiran": [None, f"{session} ({att.get_method_display()})"]},
                     region_id=session.bintek.region_id, post_id=session.bintek.post_id)  # fmt: skip
    return att


# --- Certificates ---------------------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, actor: Any, participant: Participant) -> Participant:
    """Issue a participant's certificate with a public verification code; only for someone who attended."""
    require(actor, participant.bintek, "edit")
    participant = lock_current(participant, None)
    bintek = participant.bintek
    if bintek.state_index < ORDER.index(Bintek.State.HELD):
        raise ValidationError(_("Sertifikat baru dapat diterbitkan setelah Bintek dilaksanakan."))
    if not participant.attendances.exists():
        raise ValidationError(_("%(name)s tidak tercatat hadir, jadi tidak dapat diberi sertifikat.")
                              % {"name": participant.name})  # fmt: skip
    if participant.certificate_code:
        return participant
    for _attempt in range(5):
        code = _code(10)
        if not Participant.objects.filter(certificate_code=code).exists():
            break
    participant.certificate_code = code
    participant.certificate_issued_on = timezone.localdate()
    participant.version += 1
    participant.save(update_fields=["certificate_code", "certificate_issued_on", "version", "updated"])
    audit.record(actor, "update", participant, {"certificate_code": [None, code]},
                 region_id=bintek.region_id, post_id=bintek.post_id)  # fmt: skip
    return participant


@transaction.atomic
def certificates_issue_all(*, actor: Any, bintek: Bintek) -> int:
    """Issue certificates to every participant who attended and has none yet; return how many."""
    require(actor, bintek, "edit")
    todo = bintek.participants.filter(attendances__isnull=False, certificate_code__isnull=True).distinct()
    n = 0
    for p in todo:
        certificate_issue(actor=actor, participant=p)
        n += 1
    return n


# --- Follow-up and outcomes -----------------------------------------------------------------------------------


def _check_followup(item: FollowUp, upload: Any) -> None:
    errors: dict[str, list[str]] = {}
    if item.kind not in FollowUp.Kind.values:
        errors["kind"] = [_("Jenis tindak lanjut tidak dikenal.")]
    if item.status not in FollowUp.Status.values:
        errors["status"] = [_("Status tidak dikenal.")]
    if not (item.description or "").strip():
        errors["description"] = [_("Uraikan tindak lanjutnya.")]
    if not (item.owner or "").strip():
        errors["owner"] = [_("Sebutkan penanggung jawabnya.")]
    if item.target_date is None:
        errors["target_date"] = [_("Isi tanggal target.")]
    if item.status == FollowUp.Status.DONE and not (item.evidence_note.strip() or item.evidence_file or upload):
        errors["evidence_note"] = [_("Tindak lanjut yang selesai perlu bukti: catatan atau berkas.")]
    if upload:
        try:
            validate_document(upload)
        except ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def followup_create(*, actor: Any, bintek: Bintek, data: dict[str, Any], upload: Any = None) -> FollowUp:
    """Add a follow-up item to a Bintek."""
    require(actor, bintek, "edit")
    item = FollowUp(bintek=bintek, **{k: v for k, v in data.items() if k in FOLLOWUP_FIELDS and v is not None})
    _check_followup(item, upload)
    if item.status == FollowUp.Status.DONE:
        item.done_on = item.done_on or timezone.localdate()
    if upload:
        item.evidence_file.save(f"bukti-{slugify(item.description)[:40]}.{upload.name.rsplit('.', 1)[-1].lower()}",
                                upload, save=False)  # fmt: skip
    item.save()
    audit.record(actor, "create", item, audit.snapshot(item, FOLLOWUP_FIELDS))
    audit.record(actor, "update", bintek, {"tindak_lanjut": [None, str(item)]})
    return item


@transaction.atomic
def followup_update(
    *, actor: Any, item: FollowUp, data: dict[str, Any], upload: Any = None, version: int | None = None
) -> FollowUp:
    """Change a follow-up item (status, evidence); a stale edit is refused."""
    require(actor, item.bintek, "edit")
    item = lock_current(item, version)
    fields = [f for f in FOLLOWUP_FIELDS if f in data]
    before = audit.snapshot(item, [*fields, "evidence_file"])
    for f in fields:
        setattr(item, f, data[f])
    _check_followup(item, upload)
    if item.status == FollowUp.Status.DONE and item.done_on is None:
        item.done_on = timezone.localdate()
    elif item.status != FollowUp.Status.DONE:
        item.done_on = None
    if upload:
        item.evidence_file.save(f"bukti-{slugify(item.description)[:40]}.{upload.name.rsplit('.', 1)[-1].lower()}",
                                upload, save=False)  # fmt: skip
    item.version += 1
    item.save()
    changes = audit.diff(before, audit.snapshot(item, [*fields, "evidence_file"]))
    if changes:
        audit.record(actor, "update", item, changes)
    return item


@transaction.atomic
def outcome_record(*, actor: Any, bintek: Bintek, data: dict[str, Any]) -> Outcome:
    """Record (or correct) the outcome indicators at 0 (baseline), 3, 6 or 12 months."""
    require(actor, bintek, "edit")
    errors: dict[str, list[str]] = {}
    month = data.get("month")
    if month not in Outcome.Month.values:
        errors["month"] = [_("Pilih bulan ke-0 (awal), 3, 6 atau 12.")]
    for field in ("applying", "new_products", "jobs"):
        value = data.get(field)
        if value is None or value < 0:
            errors[field] = [_("Isi angka 0 atau lebih.")]
    if data.get("income_per_month") is None or data["income_per_month"] < 0:
        errors["income_per_month"] = [_("Isi pendapatan rata-rata per bulan (Rp), 0 atau lebih.")]
    measured = data.get("measured_on") or timezone.localdate()
    if measured > timezone.localdate():
        errors["measured_on"] = [_("Tanggal ini belum terjadi; periksa tahunnya.")]
    n = bintek.participants.count()
    if data.get("applying") is not None and data["applying"] > max(n, 0) and n:
        errors["applying"] = [_("Lebih banyak dari jumlah peserta (%(n)s).") % {"n": n}]
    if month and month > 0 and bintek.state_index < ORDER.index(Bintek.State.HELD):
        errors["month"] = [_("Indikator sesudah Bintek dicatat setelah Bintek dilaksanakan.")]
    if errors:
        raise ValidationError(errors)
    values = {k: data.get(k) for k in OUTCOME_FIELDS if k != "month"}
    values["measured_on"] = measured
    values["note"] = values.get("note") or ""
    existing = Outcome.objects.select_for_update().filter(bintek=bintek, month=month).first()
    if existing:
        before = audit.snapshot(existing, list(values))
        for k, v in values.items():
            setattr(existing, k, v)
        existing.save()
        outcome = existing
        diff = audit.diff(before, audit.snapshot(outcome, list(values)))
        told = "; ".join(f"{Outcome._meta.get_field(k).verbose_name}: {a} → {b}" for k, (a, b) in diff.items())
        summary = f"{outcome.get_month_display()} ({_('diubah')}) {told}".strip()
    else:
        outcome = Outcome.objects.create(bintek=bintek, month=month, **values)
        summary = _("%(month)s: %(n)s peserta menerapkan, pendapatan Rp %(income)s/bulan") % {
            "month": outcome.get_month_display(), "n": outcome.applying,
            "income": f"{outcome.income_per_month:,}".replace(",", "."),
        }  # fmt: skip
    audit.record(actor, "update", bintek, {"indikator_hasil": [None, summary]})
    return outcome


# --- Removal --------------------------------------------------------------------------------------------------


@transaction.atomic
def bintek_remove(*, actor: Any, bintek: Bintek) -> None:
    """Delete a Bintek planned by mistake: only while planned and before anyone registered."""
    require(actor, bintek, "edit")
    bintek = lock_current(bintek, None)
    if bintek.state != Bintek.State.PLANNED or bintek.participants.exists():
        raise ValidationError(_("Hanya Bintek yang masih direncanakan dan belum punya peserta yang dapat dihapus."))
    audit.record(actor, "delete", bintek, audit.snapshot(bintek, ["title", "post", "starts_on", "budget"]))
    for f in (bintek.tor, bintek.report_file):
        if f:
            f.delete(save=False)
    bintek.delete()


@transaction.atomic
def participant_remove(*, actor: Any, participant: Participant) -> None:
    """Take a participant off the list; one holding a certificate stays, so the certificate keeps verifying."""
    require(actor, participant.bintek, "edit")
    participant = lock_current(participant, None)
    if participant.certificate_code:
        raise ValidationError(_("%(name)s sudah bersertifikat, jadi tidak dapat dihapus dari daftar peserta.")
                              % {"name": participant.name})  # fmt: skip
    bintek = participant.bintek
    reported = bintek.state_index >= list(Bintek.State.values).index(Bintek.State.REPORTED)
    if reported and participant.attendances.exists():
        raise ValidationError(_("%(name)s hadir dan laporannya sudah ditulis, jadi tetap di daftar peserta.")
                              % {"name": participant.name})  # fmt: skip
    audit.record(actor, "update", bintek, {"peserta": [f"{participant.registration_code} {participant.name}", None]})
    participant.delete()


@transaction.atomic
def followup_remove(*, actor: Any, item: FollowUp) -> None:
    """Delete a follow-up item recorded by mistake."""
    require(actor, item.bintek, "edit")
    audit.record(actor, "update", item.bintek, {"tindak_lanjut": [str(item), None]})
    if item.evidence_file:
        item.evidence_file.delete(save=False)
    item.delete()


@transaction.atomic
def material_remove(*, actor: Any, material: Material) -> None:
    """Delete a material or photo."""
    require(actor, material.bintek, "edit")
    audit.record(actor, "update", material.bintek, {material.kind: [str(material), None]})
    material.file.delete(save=False)
    material.delete()

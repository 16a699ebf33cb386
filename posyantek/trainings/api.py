"""API for Bintek, participants, attendance, follow-ups and outcomes; the public certificate check by code."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog.models import Ttg
from posyantek.core import ratelimit
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.trainings import services
from posyantek.trainings.filters import BintekFilter, ParticipantFilter
from posyantek.trainings.models import Attendance, AttendanceSession, Bintek, FollowUp, Outcome, Participant
from posyantek.trainings.public_views import CHECK_INS_PER_MINUTE
from posyantek.trainings.selectors import bintek_list, certificate_get_unscoped, participant_list

router = Router(tags=["Bintek"])


# --- Schemas --------------------------------------------------------------------------------------------------


class BintekOut(Schema):
    id: int
    title: str
    post_id: int
    ttg_id: int | None
    topic: str
    target_group: str
    venue: str
    region_code: str = Field(alias="region_id")
    starts_on: dt.date
    ends_on: dt.date
    trainer_person_ids: list[int]
    trainer_partners: list[str] = Field(description="Partner trainers, free text (no partners registry yet)")
    budget: int = Field(description="Rupiah")
    funding_source: str
    state: Bintek.State
    registration_open: bool
    report_text: str
    version: int

    @staticmethod
    def resolve_trainer_person_ids(obj: Bintek) -> list[int]:
        return [p.pk for p in obj.trainer_people.all()]

    @staticmethod
    def resolve_trainer_partners(obj: Bintek) -> list[str]:
        return [line.strip() for line in obj.trainer_partners.splitlines() if line.strip()]


class BintekIn(Schema):
    title: str = Field(min_length=2, max_length=200)
    post_id: int = Field(ge=1, le=2**62)
    ttg_id: int | None = Field(None, ge=1, le=2**62)
    topic: str = Field("", max_length=300)
    target_group: str = Field("", max_length=300)
    venue: str = Field("", max_length=300)
    region_code: str | None = Field(None, max_length=13, description="Location; default: the post's region")
    starts_on: dt.date
    ends_on: dt.date
    trainer_person_ids: list[int] = Field(default_factory=list, max_length=50)
    trainer_partners: list[str] = Field(default_factory=list, max_length=50)
    budget: int = Field(0, ge=0, le=10**13, description="Rupiah")
    funding_source: Bintek.Funding | None = None
    registration_open: bool = False


class BintekPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    title: str | None = Field(None, min_length=2, max_length=200)
    topic: str | None = Field(None, max_length=300)
    target_group: str | None = Field(None, max_length=300)
    venue: str | None = Field(None, max_length=300)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    budget: int | None = Field(None, ge=0, le=10**13)
    funding_source: Bintek.Funding | None = None
    registration_open: bool | None = None


class StateIn(Schema):
    state: Bintek.State
    note: str = Field("", max_length=300)
    version: int | None = None


class BintekFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    state: Bintek.State | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    region: str | None = Field(None, max_length=13)


class ParticipantOut(Schema):
    id: int
    number: int
    name: str
    sex: str
    group: str
    phone: str
    address: str
    invited: bool
    source: str
    person_id: int | None
    pre_score: int | None
    post_score: int | None
    sessions_present: int
    certificate_code: str | None
    certificate_issued_on: dt.date | None
    version: int

    @staticmethod
    def resolve_sessions_present(obj: Participant) -> int:
        return getattr(obj, "n_present", 0) or 0


class ParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    sex: Participant.Sex
    group: Participant.Group = Participant.Group.GENERAL
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    invited: bool = False
    person_id: int | None = Field(None, ge=1, le=2**62)
    pre_score: int | None = Field(None, ge=0, le=100)
    post_score: int | None = Field(None, ge=0, le=100)


class ParticipantPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, min_length=1, max_length=150)
    sex: Participant.Sex | None = None
    group: Participant.Group | None = None
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    invited: bool | None = None
    pre_score: int | None = Field(None, ge=0, le=100)
    post_score: int | None = Field(None, ge=0, le=100)


class ParticipantFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    sex: Participant.Sex | None = None
    group: Participant.Group | None = None
    present: bool | None = None
    invited: bool | None = None


class SessionIn(Schema):
    day: dt.date | None = None
    label: str = Field("", max_length=100)
    hours: int = Field(12, ge=1, le=72, description="How long the code works")


class SessionOut(Schema):
    id: int
    day: dt.date
    label: str
    code: str
    expires_at: dt.datetime


class AttendanceIn(Schema):
    session_id: int = Field(ge=1, le=2**62)


class AttendanceOut(Schema):
    id: int
    session_id: int
    participant_id: int
    at: dt.datetime
    method: str


class CheckInIn(Schema):
    code: str = Field(min_length=1, max_length=12, description="The code shown at the venue")
    who: str = Field(min_length=1, max_length=30, description="The participant's phone or registration number")


class FollowUpOut(Schema):
    id: int
    kind: FollowUp.Kind
    description: str
    owner: str
    target_date: dt.date
    status: FollowUp.Status
    done_on: dt.date | None
    evidence_note: str
    has_evidence_file: bool
    version: int

    @staticmethod
    def resolve_has_evidence_file(obj: FollowUp) -> bool:
        return bool(obj.evidence_file)


class FollowUpIn(Schema):
    kind: FollowUp.Kind
    description: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=150)
    target_date: dt.date
    status: FollowUp.Status = FollowUp.Status.OPEN
    evidence_note: str = Field("", max_length=5000)


class FollowUpPatch(Schema):
    version: int | None = None
    description: str | None = Field(None, min_length=1, max_length=300)
    owner: str | None = Field(None, min_length=1, max_length=150)
    target_date: dt.date | None = None
    status: FollowUp.Status | None = None
    evidence_note: str | None = Field(None, max_length=5000)


class OutcomeIn(Schema):
    month: Outcome.Month = Field(description="0 (baseline), 3, 6 or 12")
    measured_on: dt.date | None = None
    applying: int = Field(ge=0, le=10**6, description="Participants applying the technology")
    new_products: int = Field(ge=0, le=10**6)
    income_per_month: int = Field(ge=0, le=10**12, description="Average income per participant per month, rupiah")
    jobs: int = Field(ge=0, le=10**6)
    note: str = Field("", max_length=5000)


class OutcomeOut(Schema):
    id: int
    month: int
    measured_on: dt.date
    applying: int
    new_products: int
    income_per_month: int
    jobs: int
    note: str


class CertificateOut(Schema):
    """What the public may know of a certificate: nothing private."""

    code: str = Field(alias="certificate_code")
    name: str
    bintek_title: str
    starts_on: dt.date
    ends_on: dt.date
    post_name: str
    region_name: str
    issued_on: dt.date | None = Field(alias="certificate_issued_on")

    @staticmethod
    def resolve_bintek_title(obj: Participant) -> str:
        return obj.bintek.title

    @staticmethod
    def resolve_starts_on(obj: Participant) -> dt.date:
        return obj.bintek.starts_on

    @staticmethod
    def resolve_ends_on(obj: Participant) -> dt.date:
        return obj.bintek.ends_on

    @staticmethod
    def resolve_post_name(obj: Participant) -> str:
        return obj.bintek.post.name

    @staticmethod
    def resolve_region_name(obj: Participant) -> str:
        return obj.bintek.region.name


# --- Helpers --------------------------------------------------------------------------------------------------


def _bintek(request: HttpRequest, bintek_id: int, action: str = "view") -> Bintek:
    return get_scoped_object(bintek_list(user=request.user), request.user, action, pk=bintek_id)


def _one(request: HttpRequest, pk: int) -> Bintek:
    return bintek_list(user=request.user).prefetch_related("trainer_people").get(pk=pk)


def _participant(request: HttpRequest, bintek: Bintek, pid: int, action: str = "edit") -> Participant:
    return get_scoped_object(participant_list(user=request.user, bintek=bintek), request.user, action, pk=pid)


def _refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids into rows the user may see; anything else is a 422 with the field named."""
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    if "ttg_id" in data:
        ttg_id = data.pop("ttg_id")
        data["ttg"] = Ttg.objects.for_user(request.user, "view").filter(pk=ttg_id).first() if ttg_id else None
        if ttg_id and data["ttg"] is None:
            raise ValidationError({"ttg": [_("TTG tidak ditemukan atau di luar cakupan Anda.")]})
    if "person_id" in data:
        pid = data.pop("person_id")
        data["person"] = Person.objects.for_user(request.user, "view").filter(pk=pid).first() if pid else None
        if pid and data["person"] is None:
            raise ValidationError({"person": [_("Orang tidak ditemukan atau di luar cakupan Anda.")]})
    if "trainer_person_ids" in data:
        ids = data.pop("trainer_person_ids")
        data["trainer_people"] = list(Person.objects.for_user(request.user, "view").filter(pk__in=ids))
        if len(data["trainer_people"]) != len(set(ids)):
            raise ValidationError({"trainer_people": [_("Ada narasumber di luar cakupan Anda.")]})
    if "trainer_partners" in data:
        data["trainer_partners"] = "\n".join(p.strip() for p in data["trainer_partners"] if p.strip())
    if "region_code" in data:
        code = data.pop("region_code")
        if code:
            data["region"] = code
    if data.get("funding_source") is None:
        data.pop("funding_source", None)
    return data


# --- Public ---------------------------------------------------------------------------------------------------


@router.get("/sertifikat/{code}", response={200: CertificateOut, 404: ErrorOut, 422: ErrorOut}, auth=None,
            url_name="bintek-certificate-verify")  # fmt: skip
def certificate_verify_api(request: HttpRequest, code: str) -> Any:
    """Check a certificate by its code: name, Bintek, dates, post. No login needed."""
    participant = certificate_get_unscoped(code)
    if participant is None:
        raise Http404
    return participant


@router.post("/check-in", response={201: AttendanceOut, 422: ErrorOut, 429: ErrorOut}, auth=None,
             url_name="bintek-check-in")  # fmt: skip
def check_in_api(request: HttpRequest, payload: CheckInIn) -> Any:
    """Public check-in: the venue's code and one's phone or registration number; a wrong or expired code is 422."""
    if not ratelimit.allow(f"bintek-hadir:{ratelimit.client_ip(request)}", limit=CHECK_INS_PER_MINUTE,
                           per_seconds=60):  # fmt: skip
        return Status(429, ErrorOut(detail=_("Terlalu banyak permintaan dari alamat Anda. Tunggu sebentar.")))
    return Status(201, services.attendance_check_in(code=payload.code, who=payload.who))


# --- Bintek ---------------------------------------------------------------------------------------------------


@router.get("", response={200: list[BintekOut], **ERRORS}, url_name="bintek-list")
@paginate(Pagination)
def bintek_list_api(request: HttpRequest, filters: Query[BintekFilterIn]) -> Any:
    """List the Bintek you may see."""
    params = {k: v for k, v in filters.dict().items() if v}
    qs = bintek_list(user=request.user).prefetch_related("trainer_people").order_by("-starts_on", "-pk")
    return BintekFilter(params, queryset=qs).qs


@router.post("", response={201: BintekOut, **ERRORS}, url_name="bintek-create")
def bintek_create_api(request: HttpRequest, payload: BintekIn) -> Any:
    """Plan a Bintek for a post you work for; a post you may only view answers 403."""
    data = _refs(request, payload.dict())
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    bintek = services.bintek_create(actor=request.user, data=data)
    return Status(201, _one(request, bintek.pk))


@router.get("/{bintek_id}", response={200: BintekOut, **ERRORS}, url_name="bintek-detail")
def bintek_get_api(request: HttpRequest, bintek_id: int) -> Any:
    """One Bintek; 404 outside your scope."""
    return get_scoped_object(bintek_list(user=request.user).prefetch_related("trainer_people"), request.user,
                             pk=bintek_id)  # fmt: skip


@router.patch("/{bintek_id}", response={200: BintekOut, **ERRORS}, url_name="bintek-update")
def bintek_update_api(request: HttpRequest, bintek_id: int, payload: BintekPatch) -> Any:
    """Change a Bintek's plan; a stale `version` answers 422."""
    bintek = _bintek(request, bintek_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"}
    version = data.pop("version", None)
    services.bintek_update(actor=request.user, bintek=bintek, data=data, version=version)
    return _one(request, bintek_id)


@router.delete("/{bintek_id}", response={204: None, **ERRORS}, url_name="bintek-delete")
def bintek_delete_api(request: HttpRequest, bintek_id: int) -> Any:
    """Delete a Bintek planned by mistake (still planned, no participants); otherwise 422."""
    services.bintek_remove(actor=request.user, bintek=_bintek(request, bintek_id, "edit"))
    return Status(204, None)


@router.post("/{bintek_id}/state", response={200: BintekOut, **ERRORS}, url_name="bintek-state")
def bintek_state_api(request: HttpRequest, bintek_id: int, payload: StateIn) -> Any:
    """Move a Bintek to its next state; skipping a step or going back answers 422."""
    bintek = _bintek(request, bintek_id, "edit")
    services.bintek_advance(actor=request.user, bintek=bintek, state=payload.state, note=payload.note,
                            version=payload.version)  # fmt: skip
    return _one(request, bintek_id)


# --- Participants and attendance -------------------------------------------------------------------------------


@router.get("/{bintek_id}/participants", response={200: list[ParticipantOut], **ERRORS},
            url_name="bintek-participant-list")  # fmt: skip
@paginate(Pagination)
def participant_list_api(request: HttpRequest, bintek_id: int, filters: Query[ParticipantFilterIn]) -> Any:
    """The participants of a Bintek you may see."""
    bintek = _bintek(request, bintek_id)
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return ParticipantFilter(params, queryset=participant_list(user=request.user, bintek=bintek)).qs


@router.post("/{bintek_id}/participants", response={201: ParticipantOut, **ERRORS},
             url_name="bintek-participant-create")  # fmt: skip
def participant_create_api(request: HttpRequest, bintek_id: int, payload: ParticipantIn) -> Any:
    """Register a participant."""
    bintek = _bintek(request, bintek_id, "edit")
    p = services.participant_register(actor=request.user, bintek=bintek, data=_refs(request, payload.dict()))
    return Status(201, participant_list(user=request.user, bintek=bintek).get(pk=p.pk))


@router.patch("/{bintek_id}/participants/{participant_id}", response={200: ParticipantOut, **ERRORS},
              url_name="bintek-participant-update")  # fmt: skip
def participant_update_api(request: HttpRequest, bintek_id: int, participant_id: int, payload: ParticipantPatch) -> Any:
    """Change a participant (details, pre/post-test scores 0–100); a stale `version` answers 422."""
    bintek = _bintek(request, bintek_id, "edit")
    p = _participant(request, bintek, participant_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    data = {k: v for k, v in data.items() if v is not None or k in ("pre_score", "post_score")}
    services.participant_update(actor=request.user, participant=p, data=data, version=version)
    return participant_list(user=request.user, bintek=bintek).get(pk=p.pk)


@router.delete("/{bintek_id}/participants/{participant_id}", response={204: None, **ERRORS},
               url_name="bintek-participant-delete")  # fmt: skip
def participant_delete_api(request: HttpRequest, bintek_id: int, participant_id: int) -> Any:
    """Remove a participant; one holding a certificate answers 422."""
    bintek = _bintek(request, bintek_id, "edit")
    services.participant_remove(actor=request.user, participant=_participant(request, bintek, participant_id))
    return Status(204, None)


@router.post("/{bintek_id}/participants/{participant_id}/certificate", response={200: ParticipantOut, **ERRORS},
             url_name="bintek-certificate-issue")  # fmt: skip
def certificate_issue_api(request: HttpRequest, bintek_id: int, participant_id: int) -> Any:
    """Issue the participant's certificate; 422 for someone who did not attend."""
    bintek = _bintek(request, bintek_id, "edit")
    p = _participant(request, bintek, participant_id)
    services.certificate_issue(actor=request.user, participant=p)
    return participant_list(user=request.user, bintek=bintek).get(pk=p.pk)


@router.get("/{bintek_id}/sessions", response={200: list[SessionOut], **ERRORS}, url_name="bintek-session-list")
def session_list_api(request: HttpRequest, bintek_id: int) -> Any:
    """The attendance sessions of a Bintek, with their codes."""
    bintek = _bintek(request, bintek_id)
    return AttendanceSession.objects.for_user(request.user, "view").filter(bintek=bintek)


@router.post("/{bintek_id}/sessions", response={201: SessionOut, **ERRORS}, url_name="bintek-session-create")
def session_create_api(request: HttpRequest, bintek_id: int, payload: SessionIn) -> Any:
    """Open an attendance session with a short code that expires."""
    bintek = _bintek(request, bintek_id, "edit")
    return Status(201, services.session_open(actor=request.user, bintek=bintek, **payload.dict()))


@router.get("/{bintek_id}/attendance", response={200: list[AttendanceOut], **ERRORS},
            url_name="bintek-attendance-list")  # fmt: skip
@paginate(Pagination)
def attendance_list_api(request: HttpRequest, bintek_id: int) -> Any:
    """Who was present at which session."""
    bintek = _bintek(request, bintek_id)
    return Attendance.objects.for_user(request.user, "view").filter(session__bintek=bintek).order_by("at", "pk")


@router.post("/{bintek_id}/participants/{participant_id}/attendance", response={201: AttendanceOut, **ERRORS},
             url_name="bintek-attendance-create")  # fmt: skip
def attendance_create_api(request: HttpRequest, bintek_id: int, participant_id: int, payload: AttendanceIn) -> Any:
    """Mark a participant present at a session."""
    bintek = _bintek(request, bintek_id, "edit")
    p = _participant(request, bintek, participant_id)
    sessions = AttendanceSession.objects.for_user(request.user, "edit").filter(bintek=bintek)
    session = sessions.filter(pk=payload.session_id).first()
    if session is None:
        raise Http404
    return Status(201, services.attendance_mark(actor=request.user, session=session, participant=p))


# --- Follow-up and outcomes -----------------------------------------------------------------------------------


@router.get("/{bintek_id}/followups", response={200: list[FollowUpOut], **ERRORS},
            url_name="bintek-followup-list")  # fmt: skip
def followup_list_api(request: HttpRequest, bintek_id: int) -> Any:
    """The follow-up items of a Bintek."""
    bintek = _bintek(request, bintek_id)
    return FollowUp.objects.for_user(request.user, "view").filter(bintek=bintek)


@router.post("/{bintek_id}/followups", response={201: FollowUpOut, **ERRORS}, url_name="bintek-followup-create")
def followup_create_api(request: HttpRequest, bintek_id: int, payload: FollowUpIn) -> Any:
    """Add a follow-up item; one marked done needs evidence (a note here)."""
    bintek = _bintek(request, bintek_id, "edit")
    return Status(201, services.followup_create(actor=request.user, bintek=bintek, data=payload.dict()))


@router.patch("/{bintek_id}/followups/{followup_id}", response={200: FollowUpOut, **ERRORS},
              url_name="bintek-followup-update")  # fmt: skip
def followup_update_api(request: HttpRequest, bintek_id: int, followup_id: int, payload: FollowUpPatch) -> Any:
    """Change a follow-up item; a stale `version` answers 422."""
    bintek = _bintek(request, bintek_id, "edit")
    item = get_scoped_object(FollowUp.objects.for_user(request.user, "view").filter(bintek=bintek), request.user,
                             "edit", pk=followup_id)  # fmt: skip
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"}
    version = data.pop("version", None)
    return services.followup_update(actor=request.user, item=item, data=data, version=version)


@router.delete("/{bintek_id}/followups/{followup_id}", response={204: None, **ERRORS},
               url_name="bintek-followup-delete")  # fmt: skip
def followup_delete_api(request: HttpRequest, bintek_id: int, followup_id: int) -> Any:
    """Delete a follow-up item."""
    bintek = _bintek(request, bintek_id, "edit")
    item = get_scoped_object(FollowUp.objects.for_user(request.user, "view").filter(bintek=bintek), request.user,
                             "edit", pk=followup_id)  # fmt: skip
    services.followup_remove(actor=request.user, item=item)
    return Status(204, None)


@router.get("/{bintek_id}/outcomes", response={200: list[OutcomeOut], **ERRORS}, url_name="bintek-outcome-list")
def outcome_list_api(request: HttpRequest, bintek_id: int) -> Any:
    """The outcome indicators of a Bintek (month 0 is the baseline)."""
    bintek = _bintek(request, bintek_id)
    return Outcome.objects.for_user(request.user, "view").filter(bintek=bintek)


@router.post("/{bintek_id}/outcomes", response={201: OutcomeOut, **ERRORS}, url_name="bintek-outcome-create")
def outcome_create_api(request: HttpRequest, bintek_id: int, payload: OutcomeIn) -> Any:
    """Record (or correct) the indicators at 0, 3, 6 or 12 months."""
    bintek = _bintek(request, bintek_id, "edit")
    return Status(201, services.outcome_record(actor=request.user, bintek=bintek, data=payload.dict()))

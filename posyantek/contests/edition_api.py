"""API of contest editions and entries (mounted by api.py under /api/v1/lomba): editions, their schedule and
prizes, stage moves; entries, their dossier, the pre-filled self-assessment, submission and the organiser's decisions.

The same services and scoping as the pages: out of scope → 404, role too low → 403, bad input → 422, an edit based
on an old `version` → 409. Evidence files are uploaded on the entry page only (not through the API).
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.catalog.models import Innovator, Ttg
from posyantek.contests import access, edition_services, entry_services, selectors
from posyantek.contests.edition_forms import EditionFilter
from posyantek.contests.models import Category, Edition, EditionStage, Entry, Level, Prize
from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.posts.models import Post
from posyantek.regions.models import Region

router = Router(tags=["lomba"])

CategoryT = Literal[tuple(Category.values)]  # type: ignore[valid-type]
LevelT = Literal[tuple(Level.values)]  # type: ignore[valid-type]
EditionStateT = Literal[tuple(Edition.State.values)]  # type: ignore[valid-type]
EntryStateT = Literal[tuple(Entry.State.values)]  # type: ignore[valid-type]
StageKindT = Literal[tuple(EditionStage.Kind.values)]  # type: ignore[valid-type]
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
ID = Field(ge=1, le=2**62)


def _stale_or_raise(exc: ValidationError) -> Any:
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


# --- Schemas --------------------------------------------------------------------------------------------------


class StageOut(Schema):
    id: int
    kind: StageKindT
    starts: dt.date
    deadline: dt.date
    note: str


class StageIn(Schema):
    kind: StageKindT
    starts: dt.date
    deadline: dt.date
    note: str = Field("", max_length=300)


class StagePatch(Schema):
    kind: StageKindT | None = None
    starts: dt.date | None = None
    deadline: dt.date | None = None
    note: str | None = Field(None, max_length=300)


class PrizeOut(Schema):
    id: int
    rank: int
    title: str
    amount: int = Field(description="Whole rupiah")
    other: str


class PrizeIn(Schema):
    rank: int = Field(ge=1, le=100)
    title: str = Field(min_length=1, max_length=100)
    amount: int = Field(0, ge=0, le=10**13, description="Whole rupiah")
    other: str = Field("", max_length=200)


class PrizePatch(Schema):
    rank: int | None = Field(None, ge=1, le=100)
    title: str | None = Field(None, min_length=1, max_length=100)
    amount: int | None = Field(None, ge=0, le=10**13)
    other: str | None = Field(None, max_length=200)


class EditionOut(Schema):
    id: int
    name: str
    category: CategoryT
    year: int
    level: LevelT
    region_id: str | None = Field(description="Kemendagri code; null for a national edition")
    organiser: str
    rubric_id: int
    state: EditionStateT
    period_start: dt.date
    period_end: dt.date
    description: str
    forward_count: int
    normalise: bool
    tie_rule: str
    plenary_date: dt.date | None
    plenary_place: str
    minutes_number: str
    decree_number: str
    decree_date: dt.date | None
    published_at: dt.datetime | None
    version: int


class EditionDetailOut(EditionOut):
    stages: list[StageOut]
    prizes: list[PrizeOut]

    @staticmethod
    def resolve_stages(obj: Edition) -> list[EditionStage]:
        return list(obj.stages.all())

    @staticmethod
    def resolve_prizes(obj: Edition) -> list[Prize]:
        return list(obj.prizes.all())


class EditionIn(Schema):
    name: str = Field(min_length=1, max_length=250)
    category: CategoryT
    year: int = Field(ge=2000, le=2200)
    level: LevelT
    region_id: str | None = Field(None, max_length=20, description="A kota (kabkota) or province; null: national")
    organiser: str = Field(min_length=1, max_length=250)
    rubric_id: int = ID
    period_start: dt.date
    period_end: dt.date
    description: str = Field("", max_length=20_000)
    forward_count: int = Field(1, ge=0, le=100)
    normalise: bool = False
    tie_rule: str | None = Field(None, max_length=60, description="Criterion codes, e.g. E,D; null: the template's")


class EditionPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    name: str | None = Field(None, min_length=1, max_length=250)
    organiser: str | None = Field(None, min_length=1, max_length=250)
    rubric_id: int | None = Field(None, ge=1, le=2**62)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    description: str | None = Field(None, max_length=20_000)
    forward_count: int | None = Field(None, ge=0, le=100)
    normalise: bool | None = None
    tie_rule: str | None = Field(None, max_length=60)
    plenary_date: dt.date | None = None
    plenary_place: str | None = Field(None, max_length=200)
    plenary_notes: str | None = Field(None, max_length=20_000)
    minutes_number: str | None = Field(None, max_length=100)
    decree_number: str | None = Field(None, max_length=100)
    decree_date: dt.date | None = None
    signatory_name: str | None = Field(None, max_length=150)
    signatory_title: str | None = Field(None, max_length=150)


class EditionFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    category: CategoryT | None = None
    year: int | None = Field(None, ge=2000, le=2200)
    level: LevelT | None = None
    state: EditionStateT | None = None


class MoveIn(Schema):
    state: EditionStateT = Field(description="A later stage; penetapan/selesai come with the publication of results")


class FigureOut(Schema):
    key: str
    value: int | str
    label: str
    url: str


class DossierFileOut(Schema):
    id: int
    title: str
    link: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj: Any) -> bool:
        return bool(obj.file)


class DossierRowOut(Schema):
    indicator_id: int
    criterion: str
    code: str
    title: str
    evidence: str
    evidence_mandatory: bool
    narrative: str
    self_score: int | None
    version: int | None = Field(description="Send it back with PUT to guard against stale edits")
    files: list[DossierFileOut]
    figure: FigureOut | None


class EntryOut(Schema):
    id: int
    edition_id: int
    post_id: int
    region_id: str
    ttg_id: int | None
    innovator_ids: list[int]
    title: str
    state: EntryStateT
    forwarded_from_id: int | None
    proposed_by: str
    submitted_at: dt.datetime | None
    return_note: str
    admin_passed: bool | None
    admin_reasons: str
    prefilled_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_innovator_ids(obj: Entry) -> list[int]:
        return [i.pk for i in obj.innovators.all()]


def dossier_rows(entry: Entry) -> list[dict[str, Any]]:
    """Return the dossier of an entry as plain rows, with the system figure beside each indicator."""
    rows = []
    for group in selectors.dossier(entry):
        for row in group.rows:
            ind, item = row.indicator, row.item
            fig = {"key": ind.prefill_key, **row.figure} if row.figure else None
            rows.append({"indicator_id": ind.pk, "criterion": group.criterion.code, "code": ind.code,
                         "title": ind.title, "evidence": ind.evidence, "evidence_mandatory": ind.evidence_mandatory,
                         "narrative": item.narrative if item else "", "self_score": item.self_score if item else None,
                         "version": item.version if item else None, "files": row.files, "figure": fig})  # fmt: skip
    return rows


class EntryDetailOut(EntryOut):
    self_assessment: list[FigureOut]
    dossier: list[DossierRowOut]

    @staticmethod
    def resolve_self_assessment(obj: Entry) -> list[dict[str, Any]]:
        return selectors.self_assessment_rows(obj)

    @staticmethod
    def resolve_dossier(obj: Entry) -> list[dict[str, Any]]:
        return dossier_rows(obj)


class EntryIn(Schema):
    edition_id: int = ID
    post_id: int = ID
    ttg_id: int | None = Field(None, ge=1, le=2**62, description="For Inovasi TTG and TTG Unggulan")
    innovator_ids: list[int] = Field(default_factory=list, max_length=50)
    title: str = Field("", max_length=250)


class EntryFilterIn(Schema):
    edition: int = Field(ge=1, le=2**62, description="Edition id")
    state: EntryStateT | None = None
    q: str | None = Field(None, max_length=100)


class DossierIn(Schema):
    narrative: str = Field("", max_length=20_000)
    self_score: int | None = Field(None, ge=0, le=100, description="Within the rubric's scale")
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=5000)
    version: int | None = None


class AdminIn(Schema):
    passed: bool
    reasons: str = Field("", max_length=5000, description="Required")
    version: int | None = None


class EntryStateIn(Schema):
    state: Literal["nominasi", "finalis"]
    note: str = Field("", max_length=300)
    version: int | None = None


# --- Helpers --------------------------------------------------------------------------------------------------


def _edition(request: HttpRequest, edition_id: int, organise: bool = False) -> Edition:
    return access.get_edition(request.user, edition_id, organise=organise)


def _pick(qs: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Tidak ditemukan atau di luar cakupan Anda.")]})
    return found


# --- Editions -------------------------------------------------------------------------------------------------


@router.get("/lomba-edisi", response={200: list[EditionOut], **ERRORS}, url_name="edition-list")
@paginate(Pagination)
def edition_list_api(request: HttpRequest, filters: Query[EditionFilterIn]) -> Any:
    """List the editions you may open; filter by category, year, level, stage, or search."""
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return EditionFilter(params, queryset=selectors.edition_list(user=request.user)).qs


@router.post("/lomba-edisi", response={201: EditionDetailOut, **ERRORS}, url_name="edition-create")
def edition_create_api(request: HttpRequest, payload: EditionIn) -> Any:
    """Start an edition (in `persiapan`) for a kota or province you oversee, or nationally as national admin."""
    if not selectors.can_create_edition(user=request.user):
        raise PermissionDenied
    data = payload.dict()
    region_id = data.pop("region_id")
    data["region"] = Region.objects.filter(pk=region_id).first() if region_id else None
    if region_id and data["region"] is None:
        raise ValidationError({"region": [_("Wilayah tidak ditemukan.")]})
    data["rubric"] = _pick(edition_services.rubric_choices(user=request.user), data.pop("rubric_id"), "rubric")
    edition = edition_services.edition_create(actor=request.user, data=data)
    return Status(201, _edition(request, edition.pk))


@router.get("/lomba-edisi/{edition_id}", response={200: EditionDetailOut, **ERRORS}, url_name="edition-detail")
def edition_get_api(request: HttpRequest, edition_id: int) -> Any:
    """One edition with its schedule and prizes; 404 when you may not open it."""
    return _edition(request, edition_id)


@router.patch("/lomba-edisi/{edition_id}", response={200: EditionDetailOut, **WRITE_ERRORS},
              url_name="edition-update")  # fmt: skip
def edition_update_api(request: HttpRequest, edition_id: int, payload: EditionPatch) -> Any:
    """Change an edition's details (organisers); rubric and period only while in `persiapan`."""
    edition = _edition(request, edition_id, organise=True)
    nullable = ("version", "plenary_date", "decree_date")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    version = data.pop("version", None)
    if "rubric_id" in data:
        data["rubric"] = _pick(edition_services.rubric_choices(user=request.user), data.pop("rubric_id"), "rubric")
    try:
        edition_services.edition_update(actor=request.user, edition=edition, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _edition(request, edition_id)


@router.post("/lomba-edisi/{edition_id}/tahap", response={200: EditionDetailOut, **ERRORS},
             url_name="edition-move")  # fmt: skip
def edition_move_api(request: HttpRequest, edition_id: int, payload: MoveIn) -> Any:
    """Move the edition forward to a later stage; leaving `persiapan` needs a usable rubric."""
    edition = _edition(request, edition_id, organise=True)
    edition_services.move_state(actor=request.user, edition=edition, state=payload.state)
    return _edition(request, edition_id)


@router.get("/lomba-edisi/{edition_id}/jadwal", response={200: list[StageOut], **ERRORS}, url_name="stage-list")
def stage_list_api(request: HttpRequest, edition_id: int) -> Any:
    """The edition's schedule."""
    return list(_edition(request, edition_id).stages.all())


@router.post("/lomba-edisi/{edition_id}/jadwal", response={201: StageOut, **ERRORS}, url_name="stage-add")
def stage_add_api(request: HttpRequest, edition_id: int, payload: StageIn) -> Any:
    """Add a step to the schedule (one per kind; the deadline not before the start)."""
    edition = _edition(request, edition_id, organise=True)
    return Status(201, edition_services.stage_save(actor=request.user, edition=edition, data=payload.dict()))


@router.patch("/lomba-edisi/{edition_id}/jadwal/{stage_id}", response={200: StageOut, **ERRORS},
              url_name="stage-update")  # fmt: skip
def stage_update_api(request: HttpRequest, edition_id: int, stage_id: int, payload: StagePatch) -> Any:
    """Change a step of the schedule."""
    edition = _edition(request, edition_id, organise=True)
    stage = edition.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return edition_services.stage_save(actor=request.user, edition=edition, data=data, stage=stage)


@router.delete("/lomba-edisi/{edition_id}/jadwal/{stage_id}", response={204: None, **ERRORS},
               url_name="stage-delete")  # fmt: skip
def stage_delete_api(request: HttpRequest, edition_id: int, stage_id: int) -> Any:
    """Remove a step of the schedule."""
    edition = _edition(request, edition_id, organise=True)
    stage = edition.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    edition_services.stage_remove(actor=request.user, stage=stage)
    return Status(204, None)


@router.get("/lomba-edisi/{edition_id}/hadiah", response={200: list[PrizeOut], **ERRORS}, url_name="prize-list")
def prize_list_api(request: HttpRequest, edition_id: int) -> Any:
    """The edition's prizes by rank."""
    return list(_edition(request, edition_id).prizes.all())


@router.post("/lomba-edisi/{edition_id}/hadiah", response={201: PrizeOut, **ERRORS}, url_name="prize-add")
def prize_add_api(request: HttpRequest, edition_id: int, payload: PrizeIn) -> Any:
    """Add a prize (one per rank)."""
    edition = _edition(request, edition_id, organise=True)
    return Status(201, edition_services.prize_save(actor=request.user, edition=edition, data=payload.dict()))


@router.patch("/lomba-edisi/{edition_id}/hadiah/{prize_id}", response={200: PrizeOut, **ERRORS},
              url_name="prize-update")  # fmt: skip
def prize_update_api(request: HttpRequest, edition_id: int, prize_id: int, payload: PrizePatch) -> Any:
    """Change a prize."""
    edition = _edition(request, edition_id, organise=True)
    prize = edition.prizes.filter(pk=prize_id).first()
    if prize is None:
        raise Http404
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return edition_services.prize_save(actor=request.user, edition=edition, data=data, prize=prize)


@router.delete("/lomba-edisi/{edition_id}/hadiah/{prize_id}", response={204: None, **ERRORS},
               url_name="prize-delete")  # fmt: skip
def prize_delete_api(request: HttpRequest, edition_id: int, prize_id: int) -> Any:
    """Remove a prize."""
    edition = _edition(request, edition_id, organise=True)
    prize = edition.prizes.filter(pk=prize_id).first()
    if prize is None:
        raise Http404
    edition_services.prize_remove(actor=request.user, prize=prize)
    return Status(204, None)


# --- Entries --------------------------------------------------------------------------------------------------


@router.get("/peserta", response={200: list[EntryOut], **ERRORS}, url_name="entry-list")
@paginate(Pagination)
def entry_list_api(request: HttpRequest, filters: Query[EntryFilterIn]) -> Any:
    """The entries of one edition you may see (organisers: all; entrants: their own; judges: those they score)."""
    from posyantek.contests.edition_forms import EntryFilter

    edition = _edition(request, filters.edition)
    params = {k: v for k, v in filters.dict().items() if v not in (None, "") and k != "edition"}
    qs = selectors.entry_list(user=request.user, edition=edition).prefetch_related("innovators")
    return EntryFilter(params, queryset=qs).qs


@router.post("/peserta", response={201: EntryDetailOut, **ERRORS}, url_name="entry-register")
def entry_register_api(request: HttpRequest, payload: EntryIn) -> Any:
    """Register your post (or a TTG of it with its innovators) while the edition's registration is open."""
    edition = _edition(request, payload.edition_id)
    post = Post.objects.for_user(request.user, "view").filter(pk=payload.post_id).first()
    if post is None:
        raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    ttg = _pick(Ttg.objects.for_user(request.user, "view").filter(post=post), payload.ttg_id, "ttg")
    innovators = list(Innovator.objects.for_user(request.user, "view").filter(pk__in=payload.innovator_ids))
    if len(innovators) != len(set(payload.innovator_ids)):
        raise ValidationError({"innovators": [_("Inovator tidak ditemukan atau di luar cakupan Anda.")]})
    entry = entry_services.entry_register(actor=request.user, edition=edition, post=post, ttg=ttg,
                                          innovators=innovators, title=payload.title)  # fmt: skip
    return Status(201, (access.get_entry(request.user, entry.pk)))


@router.get("/peserta/{entry_id}", response={200: EntryDetailOut, **ERRORS}, url_name="entry-detail")
def entry_get_api(request: HttpRequest, entry_id: int) -> Any:
    """One entry with its dossier per indicator and the pre-filled self-assessment."""
    return access.get_entry(request.user, entry_id)


@router.put("/peserta/{entry_id}/dossier/{indicator_id}", response={200: EntryDetailOut, **WRITE_ERRORS},
            url_name="entry-dossier")  # fmt: skip
def dossier_put_api(request: HttpRequest, entry_id: int, indicator_id: int, payload: DossierIn) -> Any:
    """Save the narrative and self-score of one indicator (while the dossier is open). Evidence files are uploaded
    on the entry page, not through the API."""
    entry = access.get_entry(request.user, entry_id, "edit")
    indicator = selectors.indicator_of(entry, indicator_id)
    if indicator is None:
        raise Http404
    try:
        entry_services.dossier_save(actor=request.user, entry=entry, indicator=indicator, **payload.dict())
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return access.get_entry(request.user, entry_id)


@router.post("/peserta/{entry_id}/prefill", response={200: EntryDetailOut, **ERRORS}, url_name="entry-prefill")
def entry_prefill_api(request: HttpRequest, entry_id: int) -> Any:
    """Take the self-assessment figures from the system's own data for the edition's period."""
    entry = access.get_entry(request.user, entry_id, "edit")
    entry_services.entry_prefill(actor=request.user, entry=entry)
    return access.get_entry(request.user, entry_id)


def _act(request: HttpRequest, entry_id: int, action: str, call: Any) -> Any:
    entry = access.get_entry(request.user, entry_id, action)
    try:
        call(entry)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return access.get_entry(request.user, entry_id)


@router.post("/peserta/{entry_id}/ajukan", response={200: EntryDetailOut, **WRITE_ERRORS}, url_name="entry-submit")
def entry_submit_api(request: HttpRequest, entry_id: int, payload: VersionIn) -> Any:
    """Submit the dossier (locks it); 422 naming each indicator whose mandatory evidence is missing."""
    return _act(request, entry_id, "manage", lambda e: entry_services.entry_submit(
        actor=request.user, entry=e, version=payload.version))  # fmt: skip


@router.post("/peserta/{entry_id}/kembalikan", response={200: EntryDetailOut, **WRITE_ERRORS},
             url_name="entry-return")  # fmt: skip
def entry_return_api(request: HttpRequest, entry_id: int, payload: NoteIn) -> Any:
    """Return a submitted dossier for revision (organisers; the note is required)."""
    return _act(request, entry_id, "organise", lambda e: entry_services.entry_return(
        actor=request.user, entry=e, note=payload.note, version=payload.version))  # fmt: skip


@router.post("/peserta/{entry_id}/administrasi", response={200: EntryDetailOut, **WRITE_ERRORS},
             url_name="entry-admin")  # fmt: skip
def entry_admin_api(request: HttpRequest, entry_id: int, payload: AdminIn) -> Any:
    """Decide the administrative selection (organisers, from `seleksi_administrasi` on): pass or fail with reasons."""
    return _act(request, entry_id, "organise", lambda e: entry_services.entry_admin_decide(
        actor=request.user, entry=e, passed=payload.passed, reasons=payload.reasons,
        version=payload.version))  # fmt: skip


@router.post("/peserta/{entry_id}/status", response={200: EntryDetailOut, **WRITE_ERRORS}, url_name="entry-state")
def entry_state_api(request: HttpRequest, entry_id: int, payload: EntryStateIn) -> Any:
    """Make an entry a nominee or a finalist (organisers)."""
    return _act(request, entry_id, "organise", lambda e: entry_services.set_state(
        actor=request.user, entry=e, state=payload.state, note=payload.note, version=payload.version))  # fmt: skip


@router.post("/peserta/{entry_id}/mundur", response={200: EntryDetailOut, **WRITE_ERRORS}, url_name="entry-withdraw")
def entry_withdraw_api(request: HttpRequest, entry_id: int, payload: NoteIn) -> Any:
    """Withdraw an entry (its post's manager or an organiser)."""
    entry = access.get_entry(request.user, entry_id)
    if not (access.can_organise(request.user, entry.edition) or
            Entry.objects.for_user(request.user, "manage").filter(pk=entry.pk).exists()):  # fmt: skip
        raise PermissionDenied
    return _act(request, entry_id, "view", lambda e: entry_services.entry_withdraw(
        actor=request.user, entry=e, note=payload.note, version=payload.version))  # fmt: skip

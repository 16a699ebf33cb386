"""API of judging, mounted by api.py under /api/v1/lomba: score sheets (a judge only ever sees their own until the
results are published; an organiser sees the states of every sheet of their edition, never the scores), scoring one
indicator, locking, declaring a conflict; panels and their judges, assigning sheets. The same services and access
rules as the pages: outside your sight 404, a role too low 403, bad input 422 with messages per field."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.contests import access
from posyantek.contests import judging_services as services
from posyantek.contests.judging_selectors import (
    api_sheet,
    api_sheets,
    edition_judge,
    edition_panels,
    organiser_judge,
)
from posyantek.contests.models import Panel, PanelJudge, Score, ScoreSheet, Stage
from posyantek.core.api import ERRORS, Pagination
from posyantek.posts.models import Post
from posyantek.regions.models import Region

router = Router(tags=["lomba"])

# A Literal, not the model's TextChoices: OpenAPI names an enum after its class, and other apps have their own.
JudgingStage = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
SheetState = Literal[tuple(ScoreSheet.State.values)]  # type: ignore[valid-type]
Id = Annotated[int, Field(ge=1, le=2**62)]


# --- Schemas --------------------------------------------------------------------------------------------------


class ScoreOut(Schema):
    indicator_id: int
    indicator_code: str
    value: int
    note: str
    evidence_seen: bool
    updated: dt.datetime

    @staticmethod
    def resolve_indicator_code(obj: Score) -> str:
        return obj.indicator.code


class SheetOut(Schema):
    id: int
    edition_id: int
    stage: JudgingStage
    entry_id: int
    entry_title: str
    judge_id: int
    judge_email: str
    state: SheetState
    scored: int = Field(description="Indicators scored so far")
    locked_at: dt.datetime | None
    version: int
    scores: list[ScoreOut] | None = Field(description="Null when you may see the sheet's state but not its scores")

    @staticmethod
    def resolve_entry_title(obj: ScoreSheet) -> str:
        return obj.entry.title

    @staticmethod
    def resolve_judge_email(obj: ScoreSheet) -> str:
        return obj.judge.user.email

    @staticmethod
    def resolve_scored(obj: ScoreSheet) -> int:
        return obj.n_scored  # type: ignore[attr-defined]

    @staticmethod
    def resolve_scores(obj: ScoreSheet) -> list[Score] | None:
        return list(obj.scores.all()) if getattr(obj, "show_scores", False) else None


class SheetFilter(Schema):
    lomba: Id | None = Field(None, description="An edition: its sheets you may see (organisers: states only)")


class ScoreIn(Schema):
    value: int = Field(ge=0, le=1000, description="Within the rubric's scale (e.g. 1–4)")
    note: str = Field("", max_length=5000)
    evidence_seen: bool = False


class ConflictIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ConflictOut(Schema):
    id: int
    judge_id: int
    entry_id: int
    reason: str
    automatic: bool


class JudgeOut(Schema):
    id: int
    panel_id: int
    stage: JudgingStage
    user_id: int
    email: str
    full_name: str
    institution: str
    home_region_code: str | None = Field(alias="home_region_id")
    home_post_id: int | None
    is_chair: bool

    @staticmethod
    def resolve_stage(obj: PanelJudge) -> str:
        return obj.panel.stage

    @staticmethod
    def resolve_email(obj: PanelJudge) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: PanelJudge) -> str:
        return obj.user.full_name


class PanelOut(Schema):
    id: int
    stage: JudgingStage
    name: str
    judges: list[JudgeOut]

    @staticmethod
    def resolve_judges(obj: Panel) -> list[PanelJudge]:
        return list(obj.judges.all())


class JudgeIn(Schema):
    panel_id: Id | None = Field(None, description="The panel; or give `stage` (its first panel, made if missing)")
    stage: JudgingStage | None = None
    email: str = Field(min_length=3, max_length=254)
    full_name: str = Field("", max_length=150, description="Needed for someone without an account (invited)")
    institution: str = Field("", max_length=200)
    home_region_code: str | None = Field(None, max_length=13, description="e.g. 31.75; same kota = conflict")
    home_post_id: Id | None = None
    is_chair: bool = False


class AssignIn(Schema):
    stage: JudgingStage


class AssignOut(Schema):
    created: int
    conflicts: int


# --- Score sheets ---------------------------------------------------------------------------------------------


@router.get("/lembar-nilai", response={200: list[SheetOut], **ERRORS}, url_name="sheet-list")
@paginate(Pagination)
def sheet_list_api(request: HttpRequest, filters: Query[SheetFilter]) -> Any:
    """Your own score sheets; with `lomba`, that edition's sheets you may see (organisers: states without scores;
    after publication: every sheet with its scores)."""
    return api_sheets(request.user, edition_id=filters.lomba)


@router.get("/lembar-nilai/{sheet_id}", response={200: SheetOut, **ERRORS}, url_name="sheet-detail")
def sheet_get_api(request: HttpRequest, sheet_id: Id) -> Any:
    """One sheet with its scores: your own; anyone else's only after publication (else 404)."""
    return api_sheet(request.user, sheet_id)


@router.put("/lembar-nilai/{sheet_id}/skor/{indicator_id}", response={200: ScoreOut, **ERRORS}, url_name="sheet-score")
def sheet_score_api(request: HttpRequest, sheet_id: Id, indicator_id: Id, payload: ScoreIn) -> Any:
    """Score one indicator on your own open sheet (create or change); refused when locked, outside the stage,
    outside the scale, or in conflict."""
    sheet = access.get_own_sheet(request.user, sheet_id)
    return services.save_score(actor=request.user, sheet=sheet, indicator=indicator_id, **payload.dict())


@router.post("/lembar-nilai/{sheet_id}/kunci", response={200: SheetOut, **ERRORS}, url_name="sheet-lock")
def sheet_lock_api(request: HttpRequest, sheet_id: Id) -> Any:
    """Submit and lock your sheet; refused until every indicator is scored."""
    sheet = access.get_own_sheet(request.user, sheet_id)
    services.lock_sheet(actor=request.user, sheet=sheet)
    return api_sheet(request.user, sheet_id)


@router.post("/lembar-nilai/{sheet_id}/konflik", response={201: ConflictOut, **ERRORS}, url_name="sheet-conflict")
def sheet_conflict_api(request: HttpRequest, sheet_id: Id, payload: ConflictIn) -> Any:
    """Declare a conflict of interest with the sheet's entry; the sheet (still without scores) is removed."""
    sheet = access.get_own_sheet(request.user, sheet_id)
    return Status(201, services.conflict_declare(actor=request.user, sheet=sheet, reason=payload.reason))


# --- Panels, judges, assignment -------------------------------------------------------------------------------


@router.get("/lomba-edisi/{edition_id}/juri", response={200: list[PanelOut], **ERRORS}, url_name="panel-list")
def panel_list_api(request: HttpRequest, edition_id: Id) -> Any:
    """An edition's panels and their judges (its organisers)."""
    return edition_panels(access.get_edition(request.user, edition_id, organise=True))


@router.post("/lomba-edisi/{edition_id}/juri", response={201: JudgeOut, **ERRORS}, url_name="judge-add")
def judge_add_api(request: HttpRequest, edition_id: Id, payload: JudgeIn) -> Any:
    """Seat a judge: an existing account by e-mail, or a new one invited (give `full_name`)."""
    edition = access.get_edition(request.user, edition_id, organise=True)
    if payload.panel_id:
        panel = next((p for p in edition_panels(edition) if p.pk == payload.panel_id), None)
        if panel is None:
            raise Http404
    elif payload.stage:
        panel = next((p for p in edition_panels(edition) if p.stage == payload.stage), None)
        panel = panel or services.panel_create(actor=request.user, edition=edition, stage=payload.stage, name="")
    else:
        return Status(422, {"detail": {"panel_id": [_("Pilih tim juri atau tahapnya.")]}})
    region = post = None
    if payload.home_region_code:
        region = Region.objects.filter(code=payload.home_region_code).first()
        if region is None:
            return Status(422, {"detail": {"home_region_code": [_("Kode wilayah tidak dikenal.")]}})
    if payload.home_post_id:
        post = Post.objects.for_user(request.user, "view").filter(pk=payload.home_post_id).first()
        if post is None:
            return Status(422, {"detail": {"home_post_id": [_("Pos tidak ditemukan di wilayah Anda.")]}})
    judge = services.judge_add(actor=request.user, panel=panel, email=payload.email, full_name=payload.full_name,
                               institution=payload.institution, home_region=region, home_post=post,
                               is_chair=payload.is_chair)  # fmt: skip
    return Status(201, edition_judge(edition, judge.pk))


@router.delete("/juri/{judge_id}", response={204: None, **ERRORS}, url_name="judge-remove")
def judge_remove_api(request: HttpRequest, judge_id: Id) -> Any:
    """Take a judge off a panel while they hold no scores (the edition's organisers)."""
    services.judge_remove(actor=request.user, judge=organiser_judge(request.user, judge_id))
    return Status(204, None)


@router.post("/lomba-edisi/{edition_id}/penugasan", response={200: AssignOut, **ERRORS}, url_name="assign")
def assign_api(request: HttpRequest, edition_id: Id, payload: AssignIn) -> Any:
    """Give every judge of the stage a sheet for each entry in that stage; conflicts are found and recorded."""
    edition = access.get_edition(request.user, edition_id, organise=True)
    return services.assign(actor=request.user, edition=edition, stage=payload.stage)

"""API of contest results, mounted under /api/v1/lomba: the ranking (public once published, the organiser's before),
compute, publish, plenary tie decisions, forwarding, one entry's breakdown, and the leaderboard. The same services
and access rules as the pages: outside your scope 404, not the organiser 403, a refusal 422 with its message."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from posyantek.contests import access, result_services, scoring
from posyantek.contests.models import Category, Edition, Result
from posyantek.contests.result_selectors import (
    leaderboard_unscoped,
    public_edition_get_unscoped,
    public_ranking_unscoped,
    public_result_unscoped,
    result_rows,
)
from posyantek.core.api import ERRORS, ErrorOut, Pagination, api_auth

router = Router(tags=["lomba"])

Id = Annotated[int, Field(ge=1, le=2**62)]
ContestCategory = Literal[tuple(Category.values)]  # type: ignore[valid-type]
PUBLIC_ERRORS = {404: ErrorOut, 422: ErrorOut}


# --- Schemas --------------------------------------------------------------------------------------------------


class ResultOut(Schema):
    rank: int
    entry_id: int
    entry_title: str
    region_code: str
    region_name: str
    stage_scores: dict[str, float] = Field(description="0–100 per scored stage")
    criterion_scores: dict[str, float] = Field(description="Stage-weighted, 0–100 per criterion code")
    final_score: float
    tie: bool = Field(description="Equal to another entry after the tie rule: for the plenary")
    tie_note: str
    award: str
    forwarded: bool

    @staticmethod
    def resolve_entry_title(obj: Result) -> str:
        return obj.entry.title

    @staticmethod
    def resolve_region_code(obj: Result) -> str:
        return obj.entry.region_id

    @staticmethod
    def resolve_region_name(obj: Result) -> str:
        return obj.entry.region.name


class ComputeOut(Schema):
    results: int
    ties: int
    decisions_reapplied: int
    computed_at: dt.datetime


class PublishIn(Schema):
    minutes_number: str = Field("", max_length=100)
    decree_number: str = Field("", max_length=100)
    decree_date: dt.date | None = None
    signatory_name: str = Field("", max_length=150)
    signatory_title: str = Field("", max_length=150)
    plenary_date: dt.date | None = None
    plenary_place: str = Field("", max_length=200)


class PublishOut(Schema):
    published_at: dt.datetime
    awards: int
    forwarded_entry_ids: list[int] = Field(description="The new entries in the next level's edition")
    waiting_entry_ids: list[int] = Field(description="Winners waiting for the next level's edition to exist")


class TieIn(Schema):
    order: list[Id] = Field(min_length=2, max_length=100, description="The tied entries' ids, best first")
    note: str = Field(min_length=1, max_length=250, description="What the plenary based its decision on")


class ForwardIn(Schema):
    entry_ids: list[Id] = Field(default_factory=list, max_length=100, description="Ranked entries to forward")
    pending: bool = Field(False, description="Instead: forward the winners that waited for the next edition")


class ForwardOut(Schema):
    created_entry_ids: list[int]


class IndicatorLineOut(Schema):
    code: str
    title: str
    weight: int
    value: int
    mapped: float = Field(description="The score on 0–100")
    note: str


class CriterionLineOut(Schema):
    code: str
    title: str
    weight: int
    raw: float
    normalised: float | None
    indicators: list[IndicatorLineOut]


class SheetLineOut(Schema):
    judge: str
    institution: str
    note: str
    judge_mean: float | None
    judge_sd: float | None
    criteria: list[CriterionLineOut]


class StageCriterionOut(Schema):
    code: str
    title: str
    weight: int
    score: float


class StageLineOut(Schema):
    stage: str
    label: str
    weight: float = Field(description="The stage's weight after re-scaling to the scored stages")
    rubric_weight: int
    stage_mean: float
    stage_sd: float
    score: float
    criteria: list[StageCriterionOut]
    sheets: list[SheetLineOut]


class BreakdownOut(Schema):
    entry_id: int
    entry_title: str
    rank: int
    final_score: float
    award: str
    tie_note: str
    normalise: bool
    scale_min: int
    scale_max: int
    stages: list[StageLineOut]


class LeaderOut(Schema):
    rank: int
    post_id: int
    name: str
    slug: str
    region: str
    points: int
    wins: int
    honourable: int


class LeaderFilter(Schema):
    provinsi: str | None = Field(None, max_length=2, pattern=r"^\d{2}$", description="Province code, e.g. 31")
    year: int | None = Field(None, ge=1990, le=2100)
    category: ContestCategory | None = None


# --- Helpers --------------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    """The signed-in user on a public endpoint: a bearer token, else the session, else anonymous."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        api_auth[0](request)
    return request.user


def _readable(request: HttpRequest, edition_id: int) -> tuple[Edition, bool]:
    """The edition and whether its results may be read: published (anyone) or by its organiser; else 404."""
    edition = public_edition_get_unscoped(edition_id)
    if edition is not None and edition.published_at is not None:
        return edition, True
    user = _user(request)
    editions = access.visible_editions(user).filter(pk=edition_id)
    found = editions.select_related("rubric", "region").first()
    if found is None or not access.can_organise(user, found):
        raise Http404
    return found, False


def _organised(request: HttpRequest, edition_id: int) -> Edition:
    return access.get_edition(request.user, edition_id, organise=True)


def _breakdown_out(edition: Edition, result: Result) -> dict[str, Any]:
    b = scoring.breakdown(edition, result.entry)
    stages = []
    for st in b.stages:
        sheets = [{"judge": s.judge.user.full_name or s.judge.user.email, "institution": s.judge.institution,
                   "note": s.note, "judge_mean": s.stat.mean if s.stat else None,
                   "judge_sd": s.stat.sd if s.stat else None, "criteria": s.criteria} for s in st.sheets]  # fmt: skip
        criteria = [{"code": c, "title": t, "weight": w, "score": m} for c, t, w, m in st.criteria]
        stages.append({"stage": st.stage, "label": st.label, "weight": st.weight, "rubric_weight": st.raw_weight,
                       "stage_mean": st.pooled.mean, "stage_sd": st.pooled.sd, "score": st.score, "sheets": sheets,
                       "criteria": criteria})  # fmt: skip
    return {"entry_id": result.entry_id, "entry_title": result.entry.title, "rank": result.rank,
            "final_score": float(result.final_score), "award": result.award, "tie_note": result.tie_note,
            "normalise": b.normalise, "scale_min": b.scale[0], "scale_max": b.scale[1], "stages": stages}  # fmt: skip


# --- Endpoints ------------------------------------------------------------------------------------------------


@router.get("/lomba-edisi/{edition_id}/hasil", response={200: list[ResultOut], **PUBLIC_ERRORS}, auth=None,
            url_name="result-list")  # fmt: skip
@paginate(Pagination)
def result_list_api(request: HttpRequest, edition_id: Id) -> Any:
    """The ranking: anyone once published; before that only the edition's organisers (404 for others)."""
    edition, published = _readable(request, edition_id)
    return public_ranking_unscoped(edition) if published else result_rows(edition)


@router.get("/lomba-edisi/{edition_id}/hasil/{entry_id}/rincian", response={200: BreakdownOut, **PUBLIC_ERRORS},
            auth=None, url_name="result-breakdown")  # fmt: skip
def result_breakdown_api(request: HttpRequest, edition_id: Id, entry_id: Id) -> Any:
    """How one entry's score was computed, from each judge's sheet (public once published)."""
    edition, published = _readable(request, edition_id)
    if published:
        result = public_result_unscoped(edition, entry_id)
    else:
        result = result_rows(edition).filter(entry_id=entry_id).first()
    if result is None:
        raise Http404
    return _breakdown_out(edition, result)


@router.post("/lomba-edisi/{edition_id}/hitung", response={200: ComputeOut, **ERRORS}, url_name="result-compute")
def result_compute_api(request: HttpRequest, edition_id: Id) -> Any:
    """Compute the ranking from the locked sheets (the organiser; field, presentation or plenary stage)."""
    edition = _organised(request, edition_id)
    done = result_services.compute(actor=request.user, edition=edition)
    edition.refresh_from_db(fields=["computed_at"])
    return {"results": done.results, "ties": done.ties, "decisions_reapplied": done.decisions_reapplied,
            "computed_at": edition.computed_at}  # fmt: skip


@router.post("/lomba-edisi/{edition_id}/pleno", response={200: list[ResultOut], **ERRORS}, url_name="result-tie")
def result_tie_api(request: HttpRequest, edition_id: Id, payload: TieIn) -> Any:
    """Record the plenary's order of one group of tied entries (best first)."""
    edition = _organised(request, edition_id)
    result_services.resolve_tie(actor=request.user, edition=edition, ordering=payload.order, note=payload.note)
    return list(result_rows(edition).filter(entry_id__in=payload.order))


@router.post("/lomba-edisi/{edition_id}/umumkan", response={200: PublishOut, **ERRORS}, url_name="result-publish")
def result_publish_api(request: HttpRequest, edition_id: Id, payload: PublishIn) -> Any:
    """Publish the ranking: entry states, awards, the chain, and the top N forwarded to the next level."""
    edition = _organised(request, edition_id)
    done = result_services.publish(actor=request.user, edition=edition, data=payload.dict())
    edition.refresh_from_db(fields=["published_at"])
    return {"published_at": edition.published_at, "awards": len(done.awards),
            "forwarded_entry_ids": [e.pk for e in done.forwarded],
            "waiting_entry_ids": [e.pk for e in done.waiting]}  # fmt: skip


@router.post("/lomba-edisi/{edition_id}/teruskan", response={200: ForwardOut, **ERRORS}, url_name="result-forward")
def result_forward_api(request: HttpRequest, edition_id: Id, payload: ForwardIn) -> Any:
    """Forward ranked entries by hand (no more than the edition's `forward_count`), or the waiting winners."""
    edition = _organised(request, edition_id)
    if payload.pending:
        made = result_services.forward_pending(actor=request.user, edition=edition)
    else:
        entries = [r.entry for r in result_rows(edition).filter(entry_id__in=payload.entry_ids)]
        if len(entries) != len(set(payload.entry_ids)):
            raise Http404
        made = result_services.forward(actor=request.user, edition=edition, entries=entries)
    return {"created_entry_ids": [e.pk for e in made]}


@router.get("/peringkat", response={200: list[LeaderOut], 422: ErrorOut}, auth=None, url_name="leaderboard")
@paginate(Pagination)
def leaderboard_api(request: HttpRequest, filters: Query[LeaderFilter]) -> Any:
    """Posts ranked by points from published awards (national 30/25/20, province 15/12/10, kota 6/5/4, harapan 1)."""
    return leaderboard_unscoped(province=filters.provinsi or "", year=filters.year, category=filters.category or "")

"""API for periodic reports: list, one report, create, the narrative, the steps up the chain, and the posts that
have not reported (same services, selectors and scope as the pages). A stale `version` answers 409."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import get_scoped_object
from posyantek.posts.models import Post
from posyantek.reports import selectors, services
from posyantek.reports.figures import figure_rows
from posyantek.reports.filters import ReportFilter
from posyantek.reports.models import Report

router = Router(tags=["Laporan berkala"])

# Literal choices, not the model's TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Kind` and `State`.
ReportKind = Literal[tuple(Report.Kind.values)]  # type: ignore[valid-type]
ReportPeriod = Literal[tuple(Report.Period.values)]  # type: ignore[valid-type]
ReportState = Literal[tuple(Report.State.values)]  # type: ignore[valid-type]
Id = int
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
SECTION_KEYS = sorted({k for sections in Report.SECTIONS.values() for k, _l, _h in sections})


class ReportFigureOut(Schema):
    key: str
    label: str
    group: str
    value: Any
    text: str


class ReportStepOut(Schema):
    from_state: str
    to_state: ReportState
    actor_id: int | None
    at: dt.datetime
    note: str


class ReportOut(Schema):
    id: int
    post_id: int
    post_name: str
    kind: ReportKind
    year: int
    period: ReportPeriod
    state: ReportState
    recipient_code: str = Field(alias="recipient_id")
    starts_on: dt.date
    ends_on: dt.date
    figures_at: dt.datetime | None
    verified_by_id: int | None
    verified_at: dt.datetime | None
    submitted_by_id: int | None
    submitted_at: dt.datetime | None
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str
    version: int

    @staticmethod
    def resolve_post_name(obj: Report) -> str:
        return obj.post.name


class ReportDetailOut(ReportOut):
    narrative: dict[str, str] = Field(description=f"Sections by key: {', '.join(SECTION_KEYS)}")
    figures: list[ReportFigureOut]
    steps: list[ReportStepOut]
    actions: list[str] = Field(description="Steps you may take now: refresh, verify, submit, receive, return, reopen")

    @staticmethod
    def resolve_figures(obj: Report) -> list[Any]:
        return figure_rows(obj.figures or {})

    @staticmethod
    def resolve_steps(obj: Report) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_actions(obj: Report, context: Any) -> list[str]:
        return services.actions_for(context["request"].user, obj)


class ReportIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    kind: ReportKind
    year: int = Field(ge=2000, le=2100)
    period: ReportPeriod = Field(description="tw1–tw4 or tahunan; a work plan (rencana_kerja) is taken as tahunan")
    narrative: dict[str, str] = Field(default_factory=dict, description="Optional sections to start with")


class ReportNarrativeIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    narrative: dict[str, str] = Field(description="Sections to change; the others stay as they are")


class ReportStepIn(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    note: str = Field("", max_length=2000, description="Required to return a report")


class ReportFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")
    kind: ReportKind | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    period: ReportPeriod | None = None
    state: ReportState | None = None


class ReportMissingIn(Schema):
    kind: ReportKind = "pengelolaan"
    year: int = Field(ge=2000, le=2100)
    period: ReportPeriod = Field(description="tw1–tw4 or tahunan (a work plan is always tahunan)")


class ReportMissingOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str = Field(alias="region_id")
    region_name: str
    has_draft: bool = Field(description="A report was started but is not submitted (or was returned)")
    returned_at: dt.datetime | None = Field(None, description="When the office returned it for revision, if it is")

    @staticmethod
    def resolve_region_name(obj: Post) -> str:
        return obj.region.name


def _report(request: HttpRequest, report_id: int) -> Report:
    return get_scoped_object(selectors.report_list(user=request.user), request.user, "view", pk=report_id)


def _fresh(request: HttpRequest, report_id: int) -> Report:
    """Return the report as it is now (after a write), with its steps."""
    return selectors.report_list(user=request.user).prefetch_related("steps").get(pk=report_id)


def _stale_or_raise(exc: ValidationError) -> Any:
    """Answer 409 for an edit based on an old version; any other refusal stays a 422."""
    if getattr(exc, "code", None) == "stale" or (
        hasattr(exc, "error_list") and any(e.code == "stale" for e in exc.error_list)
    ):
        return Status(409, {"detail": exc.messages[0]})
    raise exc


@router.get("", response={200: list[ReportOut], **ERRORS}, url_name="report-list")
@paginate(Pagination)
def report_list_api(request: HttpRequest, filters: Query[ReportFilterIn]) -> Any:
    """List the reports of the posts you may see, newest period first; the same filters as the page."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return ReportFilter(params, queryset=selectors.report_list(user=request.user), request=request).qs


@router.get("/belum-melapor", response={200: list[ReportMissingOut], **ERRORS}, url_name="report-missing")
@paginate(Pagination)
def report_missing_api(request: HttpRequest, filters: Query[ReportMissingIn]) -> Any:
    """The active posts under your offices that have not submitted this report (403 unless you work for an office
    that receives reports: a region grant of kecamatan coordinator or above)."""
    if not selectors.is_office(request.user):
        raise PermissionDenied
    period = "tahunan" if filters.kind == Report.Kind.WORK_PLAN else filters.period
    return selectors.not_reported(user=request.user, kind=filters.kind, year=filters.year, period=period)


@router.post("", response={201: ReportDetailOut, **ERRORS}, url_name="report-create")
def report_create_api(request: HttpRequest, payload: ReportIn) -> Any:
    """Start a report of a post you work for: a grant on the post itself with edit or more, else 403 (an officer
    never writes a post's report). Its figures are counted now; an existing one answers 422. A work plan is
    always yearly: its period is taken as tahunan whatever is sent."""
    post = get_scoped_object(Post.objects.for_user(request.user, "view"), request.user, "edit", pk=payload.post_id)
    report = services.report_create(actor=request.user, post=post, kind=payload.kind, year=payload.year,
                                    period=payload.period, narrative=payload.narrative)  # fmt: skip
    return Status(201, _fresh(request, report.pk))


@router.get("/{report_id}", response={200: ReportDetailOut, **ERRORS}, url_name="report-detail")
def report_get_api(request: HttpRequest, report_id: Id) -> Any:
    """One report with its figures, narrative and steps; 404 outside your scope."""
    _report(request, report_id)
    return _fresh(request, report_id)


@router.patch("/{report_id}", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-update")
def report_update_api(request: HttpRequest, report_id: Id, payload: ReportNarrativeIn) -> Any:
    """Change narrative sections of a draft or returned report; a stale `version` answers 409."""
    report = _report(request, report_id)
    try:
        services.report_update(actor=request.user, report=report, narrative=payload.narrative,
                               version=payload.version)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _fresh(request, report_id)


def _step(request: HttpRequest, report_id: int, payload: ReportStepIn, step: str) -> Any:
    report = _report(request, report_id)
    service = {"refresh": services.report_refresh, "verify": services.report_verify,
               "submit": services.report_submit, "receive": services.report_receive,
               "return": services.report_return, "reopen": services.report_reopen}[step]  # fmt: skip
    kwargs: dict[str, Any] = {"version": payload.version}
    if step in ("receive", "return"):
        kwargs["note"] = payload.note
    try:
        service(actor=request.user, report=report, **kwargs)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _fresh(request, report_id)


@router.post("/{report_id}/refresh", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-refresh")
def report_refresh_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Count a draft's figures again (post staff: a grant on the post itself; anyone else 403)."""
    return _step(request, report_id, payload, "refresh")


@router.post("/{report_id}/verify", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-verify")
def report_verify_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Verify a draft or returned report as the chair (a post manager grant on the post itself; region officers
    and the national admin get 403); its figures are frozen."""
    return _step(request, report_id, payload, "verify")


@router.post("/{report_id}/submit", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-submit")
def report_submit_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Send a verified report to the office above (a post manager grant on the post itself, else 403)."""
    return _step(request, report_id, payload, "submit")


@router.post("/{report_id}/receive", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-receive")
def report_receive_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Accept a submitted report (a region grant of oversee or more over the receiving region, else 403)."""
    return _step(request, report_id, payload, "receive")


@router.post("/{report_id}/return", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-return")
def report_return_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Return a submitted report for revision with a note (a region grant of oversee or more over the receiving
    region, else 403)."""
    return _step(request, report_id, payload, "return")


@router.post("/{report_id}/reopen", response={200: ReportDetailOut, **WRITE_ERRORS}, url_name="report-reopen")
def report_reopen_api(request: HttpRequest, report_id: Id, payload: ReportStepIn) -> Any:
    """Take a verified or returned report back to draft (a post manager grant on the post itself, else 403)."""
    return _step(request, report_id, payload, "reopen")

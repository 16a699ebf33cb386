"""API of rubrics and the chain check; mounted by api.py under /api/v1/lomba.

The same services and scoping as the pages: a rubric you may not open → 404, one you may not change → 403, bad input
(weights not summing to 100, a bad scale, a rubric in use) → 422 with Indonesian messages, a stale `version` → 409.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.contests import chain
from posyantek.contests import rubric_selectors as selectors
from posyantek.contests import rubric_services as services
from posyantek.contests.defaults import PREFILL_KEYS
from posyantek.contests.models import Category, Criterion, Indicator, Rubric
from posyantek.contests.rubric_forms import RubricFilter, prefill_label
from posyantek.core.api import ERRORS, ErrorOut, Pagination

router = Router(tags=["lomba"])

CategoryCode = Literal[tuple(Category.values)]  # type: ignore[valid-type]
PrefillKey = Literal[tuple(["", *PREFILL_KEYS])]  # type: ignore[valid-type]
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
VERSION = Field(None, description="The rubric's `version` you read; a stale one answers 409")


def _stale_or_raise(exc: ValidationError) -> Any:
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


# --- Schemas --------------------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    criterion_id: int
    code: str
    title: str
    weight: int = Field(description="% of its criterion")
    anchors: dict[str, str] = Field(description="What each score means, keyed by the score")
    evidence: str
    evidence_mandatory: bool
    prefill_key: str
    prefill_label: str = Field(description="The system figure shown beside it in the self-assessment")
    order: int

    @staticmethod
    def resolve_prefill_label(obj: Indicator) -> str:
        return prefill_label(obj.prefill_key)


class CriterionOut(Schema):
    id: int
    code: str
    title: str
    weight: int = Field(description="% of the rubric")
    order: int
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: Criterion) -> list[Indicator]:
        return list(obj.indicators.all())


class RubricOut(Schema):
    id: int
    family: str
    version_no: int
    previous_id: int | None
    name: str
    category: CategoryCode
    region_code: str | None
    year: int | None
    notes: str
    scale_min: int
    scale_max: int
    weight_admin: int
    weight_field: int
    weight_presentation: int
    is_template: bool
    in_use: bool = Field(description="Used by an edition past `persiapan`: cannot change; make a new version")
    version: int

    @staticmethod
    def resolve_region_code(obj: Rubric) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_in_use(obj: Rubric) -> bool:
        return bool(obj.in_use) if hasattr(obj, "in_use") else obj.is_in_use


class RubricDetailOut(RubricOut):
    criteria: list[CriterionOut]
    problems: list[str] = Field(description="What keeps it from being used; empty = usable")

    @staticmethod
    def resolve_criteria(obj: Rubric) -> list[Criterion]:
        return selectors.rubric_tree(obj)

    @staticmethod
    def resolve_problems(obj: Rubric) -> list[str]:
        return services.rubric_problems(obj)


class RubricFilterIn(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name or family code")
    category: CategoryCode | None = None


class RubricIn(Schema):
    category: CategoryCode = Field(description="The template to copy")
    region_code: str | None = Field(None, max_length=20, description="A province or kota you oversee; none: national")
    year: int | None = Field(None, ge=2000, le=2100)
    family: str = Field(min_length=1, max_length=60, description="Unique code shared by all versions")
    name: str = Field("", max_length=200)


class NewVersionIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class RubricPatch(Schema):
    version: int | None = VERSION
    name: str | None = Field(None, min_length=1, max_length=200)
    year: int | None = Field(None, ge=2000, le=2100)
    notes: str | None = Field(None, max_length=20_000)
    scale_min: int | None = Field(None, ge=0, le=10)
    scale_max: int | None = Field(None, ge=0, le=10)
    weight_admin: int | None = Field(None, ge=0, le=100)
    weight_field: int | None = Field(None, ge=0, le=100)
    weight_presentation: int | None = Field(None, ge=0, le=100)


class WeightsIn(Schema):
    version: int | None = VERSION
    weights: dict[str, int] = Field(description="Weight by code (criteria of the rubric, or indicators of the "
                                                "criterion), all of them, summing to 100")  # fmt: skip


class CriterionIn(Schema):
    version: int | None = VERSION
    code: str = Field(min_length=1, max_length=10)
    title: str = Field(min_length=1, max_length=200)
    weight: int = Field(ge=0, le=100)
    order: int | None = Field(None, ge=0, le=999)


class CriterionPatch(Schema):
    version: int | None = VERSION
    code: str | None = Field(None, min_length=1, max_length=10)
    title: str | None = Field(None, min_length=1, max_length=200)
    weight: int | None = Field(None, ge=0, le=100)
    order: int | None = Field(None, ge=0, le=999)


class IndicatorIn(Schema):
    version: int | None = VERSION
    code: str = Field(min_length=1, max_length=10)
    title: str = Field(min_length=1, max_length=300)
    weight: int = Field(ge=0, le=100)
    anchors: dict[str, str] = Field(default_factory=dict, description="Score (as text) → what it means")
    evidence: str = Field("", max_length=300)
    evidence_mandatory: bool = False
    prefill_key: PrefillKey = ""
    order: int | None = Field(None, ge=0, le=999)


class IndicatorPatch(Schema):
    version: int | None = VERSION
    code: str | None = Field(None, min_length=1, max_length=10)
    title: str | None = Field(None, min_length=1, max_length=300)
    weight: int | None = Field(None, ge=0, le=100)
    anchors: dict[str, str] | None = None
    evidence: str | None = Field(None, max_length=300)
    evidence_mandatory: bool | None = None
    prefill_key: PrefillKey | None = None
    order: int | None = Field(None, ge=0, le=999)


class VersionQuery(Schema):
    version: int | None = VERSION


class ProblemOut(Schema):
    seq: int | None
    object_key: str
    message: str


class ChainOut(Schema):
    ok: bool
    edition_id: int | None
    links: int = Field(description="Links of the chain checked (always the whole chain)")
    scores: int
    sheets: int = Field(description="Locked sheets checked")
    editions: int = Field(description="Published editions checked")
    first_broken: int | None = Field(description="The seq of the first broken link")
    problems: list[ProblemOut]


class ChainQuery(Schema):
    lomba: int | None = Field(None, ge=1, le=2**62, description="Check the data of one edition")


# --- Helpers --------------------------------------------------------------------------------------------------


def _rubric(request: HttpRequest, rubric_id: int, *, change: bool = False) -> Rubric:
    return selectors.rubric_get(request.user, rubric_id, change=change)


def _weights(rows: list[Any], weights: dict[str, int]) -> dict[int, int]:
    by_code = {r.code: r.pk for r in rows}
    unknown = [c for c in weights if c not in by_code]
    if unknown:
        raise ValidationError({"weights": [_("Kode tidak dikenal: %(c)s.") % {"c": ", ".join(unknown)}]})
    return {by_code[c]: w for c, w in weights.items()}


def _set(payload: Schema) -> tuple[dict[str, Any], int | None]:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    return {k: v for k, v in data.items() if v is not None or k == "year"}, version


# --- Rubrics --------------------------------------------------------------------------------------------------


@router.get("/rubrik", response={200: list[RubricOut], **ERRORS}, url_name="rubric-list")
@paginate(Pagination)
def rubric_list_api(request: HttpRequest, filters: Query[RubricFilterIn]) -> Any:
    """The national templates and the rubrics you may open; filter by category, search by name."""
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return RubricFilter(params, queryset=selectors.rubric_list(user=request.user), request=request).qs


@router.get("/rubrik/{rubric_id}", response={200: RubricDetailOut, **ERRORS}, url_name="rubric-detail")
def rubric_get_api(request: HttpRequest, rubric_id: int) -> Any:
    """One rubric with its criteria → indicators (weights, anchors, evidence) and what is still wrong with it."""
    return _rubric(request, rubric_id)


@router.post("/rubrik", response={201: RubricDetailOut, **ERRORS}, url_name="rubric-create")
def rubric_create_api(request: HttpRequest, payload: RubricIn) -> Any:
    """Create version 1 of a rubric for a region you oversee (national: the national admin), from a template."""
    if not services.can_create(request.user):
        raise PermissionDenied
    region = None
    if payload.region_code:
        region = selectors.owner_region_choices(request.user).filter(pk=payload.region_code).first()
        if region is None:
            raise ValidationError({"region": [_("Wilayah tidak ditemukan atau di luar wewenang Anda.")]})
    elif not services.may_own(request.user, None):
        raise ValidationError({"region": [_("Pilih wilayah pemilik rubrik.")]})
    rubric = services.rubric_create(actor=request.user, category=payload.category, region=region, year=payload.year,
                                    family=payload.family, name=payload.name)  # fmt: skip
    return Status(201, _rubric(request, rubric.pk))


@router.post("/rubrik/{rubric_id}/versi-baru", response={201: RubricDetailOut, **ERRORS},
             url_name="rubric-new-version")  # fmt: skip
def rubric_new_version_api(request: HttpRequest, rubric_id: int, payload: NewVersionIn) -> Any:
    """Copy a rubric (also one in use) as the next version of its family."""
    rubric = _rubric(request, rubric_id, change=True)
    new = services.rubric_new_version(actor=request.user, rubric=rubric, year=payload.year)
    return Status(201, _rubric(request, new.pk))


@router.patch("/rubrik/{rubric_id}", response={200: RubricDetailOut, **WRITE_ERRORS}, url_name="rubric-update")
def rubric_update_api(request: HttpRequest, rubric_id: int, payload: RubricPatch) -> Any:
    """Change name, year, notes, scale and stage weights (these must sum to 100)."""
    rubric = _rubric(request, rubric_id, change=True)
    data, version = _set(payload)
    try:
        services.rubric_update(actor=request.user, rubric=rubric, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _rubric(request, rubric_id)


@router.put("/rubrik/{rubric_id}/bobot", response={200: RubricDetailOut, **WRITE_ERRORS},
            url_name="rubric-weights")  # fmt: skip
def rubric_weights_api(request: HttpRequest, rubric_id: int, payload: WeightsIn) -> Any:
    """Set every criterion's weight at once, by criterion code; they must sum to 100."""
    rubric = _rubric(request, rubric_id, change=True)
    weights = _weights(list(rubric.criteria.all()), payload.weights)
    try:
        services.rubric_set_weights(actor=request.user, rubric=rubric, weights=weights, version=payload.version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _rubric(request, rubric_id)


# --- Criteria -------------------------------------------------------------------------------------------------


@router.post("/rubrik/{rubric_id}/kriteria", response={201: CriterionOut, **WRITE_ERRORS},
             url_name="rubric-criterion-add")  # fmt: skip
def criterion_add_api(request: HttpRequest, rubric_id: int, payload: CriterionIn) -> Any:
    """Add a criterion (the rubric's weights may then need the weights call to sum to 100 again)."""
    rubric = _rubric(request, rubric_id, change=True)
    data, version = _set(payload)
    try:
        crit = services.criterion_add(actor=request.user, rubric=rubric, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return Status(201, crit)


@router.patch("/rubrik/{rubric_id}/kriteria/{criterion_id}", response={200: CriterionOut, **WRITE_ERRORS},
              url_name="rubric-criterion-update")  # fmt: skip
def criterion_update_api(request: HttpRequest, rubric_id: int, criterion_id: int, payload: CriterionPatch) -> Any:
    """Change a criterion's code, title, weight or order."""
    rubric = _rubric(request, rubric_id, change=True)
    crit = selectors.child_criterion(rubric, criterion_id)
    data, version = _set(payload)
    try:
        return services.criterion_update(actor=request.user, criterion=crit, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)


@router.delete("/rubrik/{rubric_id}/kriteria/{criterion_id}", response={204: None, **WRITE_ERRORS},
               url_name="rubric-criterion-delete")  # fmt: skip
def criterion_delete_api(request: HttpRequest, rubric_id: int, criterion_id: int, q: Query[VersionQuery]) -> Any:
    """Remove a criterion with its indicators."""
    rubric = _rubric(request, rubric_id, change=True)
    crit = selectors.child_criterion(rubric, criterion_id)
    try:
        services.criterion_remove(actor=request.user, criterion=crit, version=q.version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return Status(204, None)


@router.put("/rubrik/{rubric_id}/kriteria/{criterion_id}/bobot", response={200: CriterionOut, **WRITE_ERRORS},
            url_name="rubric-criterion-weights")  # fmt: skip
def criterion_weights_api(request: HttpRequest, rubric_id: int, criterion_id: int, payload: WeightsIn) -> Any:
    """Set the weights of all indicators of a criterion at once, by indicator code; they must sum to 100."""
    rubric = _rubric(request, rubric_id, change=True)
    crit = selectors.child_criterion(rubric, criterion_id)
    weights = _weights(list(crit.indicators.all()), payload.weights)
    try:
        services.criterion_set_weights(actor=request.user, criterion=crit, weights=weights, version=payload.version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return selectors.child_criterion(rubric, criterion_id)


# --- Indicators -----------------------------------------------------------------------------------------------


@router.post("/rubrik/{rubric_id}/kriteria/{criterion_id}/indikator", response={201: IndicatorOut, **WRITE_ERRORS},
             url_name="rubric-indicator-add")  # fmt: skip
def indicator_add_api(request: HttpRequest, rubric_id: int, criterion_id: int, payload: IndicatorIn) -> Any:
    """Add an indicator with its weight in the criterion, anchors per score and the evidence asked."""
    rubric = _rubric(request, rubric_id, change=True)
    crit = selectors.child_criterion(rubric, criterion_id)
    data, version = _set(payload)
    try:
        ind = services.indicator_add(actor=request.user, criterion=crit, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return Status(201, ind)


@router.patch("/rubrik/{rubric_id}/indikator/{indicator_id}", response={200: IndicatorOut, **WRITE_ERRORS},
              url_name="rubric-indicator-update")  # fmt: skip
def indicator_update_api(request: HttpRequest, rubric_id: int, indicator_id: int, payload: IndicatorPatch) -> Any:
    """Change an indicator: code, title, weight, anchors, evidence asked, system figure."""
    rubric = _rubric(request, rubric_id, change=True)
    ind = selectors.child_indicator(rubric, indicator_id)
    data, version = _set(payload)
    try:
        return services.indicator_update(actor=request.user, indicator=ind, data=data, version=version)
    except ValidationError as exc:
        return _stale_or_raise(exc)


@router.delete("/rubrik/{rubric_id}/indikator/{indicator_id}", response={204: None, **WRITE_ERRORS},
               url_name="rubric-indicator-delete")  # fmt: skip
def indicator_delete_api(request: HttpRequest, rubric_id: int, indicator_id: int, q: Query[VersionQuery]) -> Any:
    """Remove an indicator."""
    rubric = _rubric(request, rubric_id, change=True)
    ind = selectors.child_indicator(rubric, indicator_id)
    try:
        services.indicator_remove(actor=request.user, indicator=ind, version=q.version)
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return Status(204, None)


# --- The chain ------------------------------------------------------------------------------------------------


@router.get("/rantai", response={200: ChainOut, **ERRORS}, url_name="chain-check")
def chain_check_api(request: HttpRequest, q: Query[ChainQuery]) -> Any:
    """Verify the log's hash chain and the scores, locked sheets and published rankings against it.

    `lomba` limits the data checks to one edition you may open (or a published one); the chain is checked whole.
    """
    edition = None
    if q.lomba is not None:
        edition = selectors.chain_editions(request.user).filter(pk=q.lomba).first()
        if edition is None:
            raise Http404
    report = chain.verify(edition=edition)
    return {"ok": report.ok, "edition_id": edition.pk if edition else None, "links": report.links,
            "scores": report.scores, "sheets": report.sheets, "editions": report.editions,
            "first_broken": report.first_broken,
            "problems": [{"seq": p.seq, "object_key": p.object_key, "message": p.message}
                         for p in report.problems]}  # fmt: skip

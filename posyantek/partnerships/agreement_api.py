"""API of agreements (MoU / PKS): the agreement, its parties, its steps and its results; mounted by api.py.

The same services and scoping as the pages: out of scope → 404, role too low → 403, bad input → 422, an edit based
on an old `version` → 409.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, ErrorOut, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.partnerships import agreement_services as services
from posyantek.partnerships import result_services
from posyantek.partnerships.filters import AgreementFilter
from posyantek.partnerships.models import Agreement, AgreementParty, AgreementResult, Partner
from posyantek.partnerships.selectors import (
    agreement_choices,
    agreement_list,
    agreement_produced,
    manager_choices,
    result_targets,
)
from posyantek.posts.models import Post

router = Router(tags=["Kemitraan"])

AgreementState = Literal[tuple(Agreement.State.values)]  # type: ignore[valid-type]
AgreementDocKind = Literal[tuple(Agreement.DocKind.values)]  # type: ignore[valid-type]
ResultKind = Literal[tuple(AgreementResult.Kind.values)]  # type: ignore[valid-type]
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


def _stale_or_raise(exc: ValidationError) -> Any:
    if getattr(exc, "code", None) == "stale":
        return Status(409, {"detail": exc.messages[0]})
    raise exc


# --- Schemas --------------------------------------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    partner_id: int | None
    is_post: bool
    name: str
    signatory: str
    signatory_title: str
    obligations: str

    @staticmethod
    def resolve_name(obj: AgreementParty) -> str:
        return obj.partner.name if obj.partner_id else obj.agreement.post.name


class AgreementOut(Schema):
    id: int
    post_id: int
    number: str
    title: str
    doc_kind: AgreementDocKind
    state: AgreementState
    signed_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    expiring_soon: bool = Field(description="In force and ending within 90 days")
    scope: str
    value: int = Field(description="Whole rupiah")
    manager_id: int | None
    extends_id: int | None
    evaluation: str
    has_file: bool
    version: int
    parties: list[PartyOut]

    @staticmethod
    def resolve_has_file(obj: Agreement) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[AgreementParty]:
        return list(obj.parties.all())


class AgreementIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    number: str = Field("", max_length=100)
    title: str = Field(min_length=1, max_length=300)
    doc_kind: AgreementDocKind = "mou"
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    scope: str = Field("", max_length=20_000)
    value: int = Field(0, ge=0, le=10**13, description="Whole rupiah")
    manager_id: int | None = Field(None, ge=1, le=2**62, description="A user who can edit the post; default: you")


class AgreementPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 409")
    number: str | None = Field(None, max_length=100)
    title: str | None = Field(None, min_length=1, max_length=300)
    doc_kind: AgreementDocKind | None = None
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    scope: str | None = Field(None, max_length=20_000)
    value: int | None = Field(None, ge=0, le=10**13)
    manager_id: int | None = Field(None, ge=1, le=2**62)


class AgreementFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    state: AgreementState | None = None
    doc_kind: AgreementDocKind | None = None
    expiring: bool | None = Field(None, description="Only those in force that end within 90 days")
    past_end: bool | None = Field(None, description="Only those still in force whose end date has passed")
    partner: int | None = Field(None, ge=1, le=2**62, description="Partner id")
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")


class StepIn(Schema):
    state: AgreementState = Field(description="One of the next states")
    note: str = Field("", max_length=300)
    version: int | None = None
    signed_on: dt.date | None = Field(None, description="For `ditandatangani`")
    evaluation: str | None = Field(None, max_length=20_000, description="For `dievaluasi`")
    extension_id: int | None = Field(None, ge=1, le=2**62, description="For `diperpanjang`: link this agreement")
    starts_on: dt.date | None = Field(None, description="For `diperpanjang` without extension_id")
    ends_on: dt.date | None = Field(None, description="For `diperpanjang` without extension_id")


class PartyIn(Schema):
    partner_id: int | None = Field(None, ge=1, le=2**62)
    is_post: bool = Field(False, description="The post itself, instead of a partner")
    signatory: str = Field("", max_length=200)
    signatory_title: str = Field("", max_length=200)
    obligations: str = Field("", max_length=20_000)


class PartyPatch(Schema):
    signatory: str | None = Field(None, max_length=200)
    signatory_title: str | None = Field(None, max_length=200)
    obligations: str | None = Field(None, max_length=20_000)


class ResultOut(Schema):
    id: int
    kind: ResultKind
    bintek_id: int | None
    service_request_id: int | None
    ttg_id: int | None
    order_id: int | None
    grant_id: int | None
    amount: int = Field(description="Whole rupiah (funds, or another result's value)")
    occurred_on: dt.date
    description: str
    label: str

    @staticmethod
    def resolve_label(obj: AgreementResult) -> str:
        return result_services.result_text(obj)


class ResultIn(Schema):
    kind: ResultKind
    bintek_id: int | None = Field(None, ge=1, le=2**62)
    service_request_id: int | None = Field(None, ge=1, le=2**62)
    ttg_id: int | None = Field(None, ge=1, le=2**62)
    order_id: int | None = Field(None, ge=1, le=2**62)
    grant_id: int | None = Field(None, ge=1, le=2**62)
    amount: int | None = Field(None, ge=0, le=10**13, description="Whole rupiah; required for `dana`")
    occurred_on: dt.date | None = None
    description: str = Field("", max_length=300)


class CountOut(Schema):
    kind: ResultKind
    count: int


class SummaryOut(Schema):
    agreement_id: int
    counts: list[CountOut]
    participants: int = Field(description="Participants of the Bintek given")
    orders_total: int
    funds_total: int
    total: int = Field(description="Rupiah brought: orders, funds and other results with a value")


# --- Helpers --------------------------------------------------------------------------------------------------


def _agreement(request: HttpRequest, agreement_id: int, action: str = "view") -> Agreement:
    return get_scoped_object(agreement_list(user=request.user), request.user, action, pk=agreement_id)


def _child(request: HttpRequest, model: Any, ag: Agreement, pk: int) -> Any:
    qs = model.objects.for_user(request.user, "view").filter(agreement=ag).select_related("agreement__post")
    return get_scoped_object(qs, request.user, "edit", pk=pk)


def _data(request: HttpRequest, data: dict[str, Any], post: Post | None) -> dict[str, Any]:
    if "post_id" in data:
        post = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if post is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
        data["post"] = post
    if "manager_id" in data:
        manager = data.pop("manager_id")
        data["manager"] = manager_choices(user=request.user, post=post).filter(pk=manager).first() if manager else None
        if manager and data["manager"] is None:
            raise ValidationError({"manager": [_("Pilih orang yang dapat mengubah data pos ini.")]})
    return data


def _pick(qs: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Tidak ditemukan di pos ini atau di luar cakupan Anda.")]})
    return found


# --- Agreements -----------------------------------------------------------------------------------------------


@router.get("/agreements", response={200: list[AgreementOut], **ERRORS}, url_name="agreement-list")
@paginate(Pagination)
def agreement_list_api(request: HttpRequest, filters: Query[AgreementFilterIn]) -> Any:
    """List the agreements you may see; the same filters as the page (`expiring`: ending within 90 days)."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    if "expiring" in params:
        params["expiring"] = "ya" if params["expiring"] else ""
    if params.pop("past_end", False):
        params["expiring"] = "lewat"
    return AgreementFilter(params, queryset=agreement_list(user=request.user), request=request).qs


@router.post("/agreements", response={201: AgreementOut, **ERRORS}, url_name="agreement-create")
def agreement_create_api(request: HttpRequest, payload: AgreementIn) -> Any:
    """Record an agreement being explored for a post you work for; the post is its first party."""
    data = _data(request, payload.dict(), None)
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    ag = services.agreement_create(actor=request.user, data=data)
    return Status(201, _agreement(request, ag.pk))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS}, url_name="agreement-detail")
def agreement_get_api(request: HttpRequest, agreement_id: int) -> Any:
    """One agreement with its parties; 404 outside your scope."""
    return _agreement(request, agreement_id)


@router.patch("/agreements/{agreement_id}", response={200: AgreementOut, **WRITE_ERRORS},
              url_name="agreement-update")  # fmt: skip
def agreement_update_api(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Any:
    """Change an agreement's details; an end before its start answers 422, a stale `version` 409."""
    ag = _agreement(request, agreement_id, "edit")
    nullable = ("version", "signed_on", "starts_on", "ends_on", "manager_id")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    version = data.pop("version", None)
    try:
        services.agreement_update(actor=request.user, agreement=ag, data=_data(request, data, ag.post),
                                  version=version)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _agreement(request, agreement_id)


@router.post("/agreements/{agreement_id}/state", response={200: AgreementOut, **WRITE_ERRORS},
             url_name="agreement-advance")  # fmt: skip
def agreement_advance_api(request: HttpRequest, agreement_id: int, payload: StepIn) -> Any:
    """Move an agreement to one of its next states; a skipped state answers 422 naming the allowed ones."""
    ag = _agreement(request, agreement_id, "edit")
    extension = _pick(agreement_choices(user=request.user, agreement=ag), payload.extension_id, "extension")
    try:
        services.agreement_advance(actor=request.user, agreement=ag, state=payload.state, note=payload.note,
                                   version=payload.version, signed_on=payload.signed_on,
                                   evaluation=payload.evaluation, extension=extension, starts_on=payload.starts_on,
                                   ends_on=payload.ends_on)  # fmt: skip
    except ValidationError as exc:
        return _stale_or_raise(exc)
    return _agreement(request, agreement_id)


# --- Parties --------------------------------------------------------------------------------------------------


@router.get("/agreements/{agreement_id}/parties", response={200: list[PartyOut], **ERRORS},
            url_name="agreement-parties")  # fmt: skip
def party_list_api(request: HttpRequest, agreement_id: int) -> Any:
    """The parties to an agreement, with signatories and obligations."""
    ag = _agreement(request, agreement_id)
    return AgreementParty.objects.for_user(request.user, "view").filter(agreement=ag).select_related(
        "partner", "agreement__post")  # fmt: skip


@router.post("/agreements/{agreement_id}/parties", response={201: PartyOut, **ERRORS},
             url_name="agreement-party-add")  # fmt: skip
def party_add_api(request: HttpRequest, agreement_id: int, payload: PartyIn) -> Any:
    """Add a party (a partner of the post, or the post itself); a party listed twice answers 422."""
    ag = _agreement(request, agreement_id, "edit")
    own = Partner.objects.for_user(request.user, "view").filter(post_id=ag.post_id)
    data = payload.dict()
    partner = _pick(own, data.pop("partner_id"), "partner")
    return Status(201, services.party_add(actor=request.user, agreement=ag, partner=partner, **data))


@router.patch("/agreements/{agreement_id}/parties/{party_id}", response={200: PartyOut, **ERRORS},
              url_name="agreement-party-update")  # fmt: skip
def party_update_api(request: HttpRequest, agreement_id: int, party_id: int, payload: PartyPatch) -> Any:
    """Change who signs for a party and what it must do."""
    ag = _agreement(request, agreement_id, "edit")
    party = _child(request, AgreementParty, ag, party_id)
    return services.party_update(actor=request.user, party=party, data=payload.dict(exclude_unset=True))


@router.delete("/agreements/{agreement_id}/parties/{party_id}", response={204: None, **ERRORS},
               url_name="agreement-party-delete")  # fmt: skip
def party_delete_api(request: HttpRequest, agreement_id: int, party_id: int) -> Any:
    """Remove a party (before signing)."""
    ag = _agreement(request, agreement_id, "edit")
    services.party_remove(actor=request.user, party=_child(request, AgreementParty, ag, party_id))
    return Status(204, None)


# --- Results --------------------------------------------------------------------------------------------------


@router.get("/agreements/{agreement_id}/results", response={200: list[ResultOut], **ERRORS},
            url_name="agreement-results")  # fmt: skip
def result_list_api(request: HttpRequest, agreement_id: int) -> Any:
    """What an agreement produced, oldest first."""
    ag = _agreement(request, agreement_id)
    return (
        AgreementResult.objects.for_user(request.user, "view").filter(agreement=ag)
        .select_related("bintek", "service_request", "ttg", "order", "grant").order_by("occurred_on", "pk")
    )  # fmt: skip


@router.get("/agreements/{agreement_id}/summary", response={200: SummaryOut, **ERRORS},
            url_name="agreement-summary")  # fmt: skip
def result_summary_api(request: HttpRequest, agreement_id: int) -> Any:
    """Counts per kind of result, Bintek participants, and the rupiah brought."""
    p = agreement_produced(agreement=_agreement(request, agreement_id))
    return {"agreement_id": agreement_id, "participants": p.participants, "orders_total": p.orders_total,
            "funds_total": p.funds_total, "total": p.total,
            "counts": [{"kind": k, "count": len(rows)} for k, rows in p.groups.items() if rows]}  # fmt: skip


@router.post("/agreements/{agreement_id}/results", response={201: ResultOut, **ERRORS},
             url_name="agreement-result-add")  # fmt: skip
def result_add_api(request: HttpRequest, agreement_id: int, payload: ResultIn) -> Any:
    """Record a result of a signed agreement: link a Bintek, request, TTG or order of the post, or funds."""
    ag = _agreement(request, agreement_id, "edit")
    targets = result_targets(user=request.user, agreement=ag)
    data: dict[str, Any] = {"kind": payload.kind, "amount": payload.amount, "occurred_on": payload.occurred_on,
                            "description": payload.description}  # fmt: skip
    for name, qs in targets.items():
        data[name] = _pick(qs, getattr(payload, f"{name}_id"), name)
    return Status(201, result_services.result_add(actor=request.user, agreement=ag, data=data))


@router.delete("/agreements/{agreement_id}/results/{result_id}", response={204: None, **ERRORS},
               url_name="agreement-result-delete")  # fmt: skip
def result_delete_api(request: HttpRequest, agreement_id: int, result_id: int) -> Any:
    """Remove a result recorded by mistake."""
    ag = _agreement(request, agreement_id, "edit")
    result_services.result_remove(actor=request.user, result=_child(request, AgreementResult, ag, result_id))
    return Status(204, None)

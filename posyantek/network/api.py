"""API for the marketing network (agents): list, detail with sales, add, change, switch on/off."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, Pagination
from posyantek.core.scoping import Action, get_scoped_object, rank_on_post
from posyantek.network import services
from posyantek.network.filters import AgentFilter
from posyantek.network.models import Agent
from posyantek.network.selectors import agent_list, agent_sales, partner_post_choices_unscoped
from posyantek.posts.models import Post

router = Router(tags=["Jejaring"])

# Literal choices, not the models' TextChoices: OpenAPI names an enum after its class, and other apps have their
# own `Kind` and `Rule`, so one would overwrite the other in the schema.
AgentKind = Literal[tuple(Agent.Kind.values)]  # type: ignore[valid-type]
AgentRule = Literal[tuple(Agent.Rule.values)]  # type: ignore[valid-type]


class AgentOut(Schema):
    id: int
    post_id: int
    kind: AgentKind
    partner_post_id: int | None
    name: str
    contact_person: str
    phone: str = Field(description="Indonesian mobile number as 628…, or empty")
    email: str
    address: str
    area_code: str | None = Field(alias="area_id", description="Where the agent sells (region code)")
    commission_rule: AgentRule
    commission_percent: float = Field(description="Percent of the order total (rule `persen`), 2 decimals at most")
    commission_amount: int = Field(description="Rupiah per unit or per order (rules `per_unit`, `per_pesanan`)")
    commission_rule_text: str = Field(description="The rule in words")
    joined_on: dt.date | None
    active: bool
    notes: str
    version: int

    @staticmethod
    def resolve_commission_percent(obj: Agent) -> float:
        return float(obj.commission_percent)

    @staticmethod
    def resolve_commission_rule_text(obj: Agent) -> str:
        return obj.rule_text


class AgentDetailOut(AgentOut):
    orders: int = Field(alias="n_orders", description="Orders the agent brought (every state)")
    orders_counted: int = Field(description="Of which confirmed and not cancelled or returned")
    orders_value: int = Field(description="Total of the counted orders, rupiah")
    commission_total: int = Field(description="Commission on the counted orders, rupiah")


class AgentIn(Schema):
    post_id: int = Field(ge=1, le=2**62)
    kind: AgentKind = "agen"
    partner_post_id: int | None = Field(None, ge=1, le=2**62, description="Only for kind `posyantek`")
    name: str = Field(min_length=1, max_length=200)
    contact_person: str = Field("", max_length=150)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=2000)
    area_code: str | None = Field(None, max_length=13)
    commission_rule: AgentRule = "tanpa"
    commission_percent: Decimal = Field(Decimal(0), ge=0, le=100, description="0–100, two decimals at most")
    commission_amount: int = Field(0, ge=0, le=10**13, description="Whole rupiah")
    joined_on: dt.date | None = None
    notes: str = Field("", max_length=5000)


class AgentPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    kind: AgentKind | None = None
    partner_post_id: int | None = Field(None, ge=1, le=2**62)
    name: str | None = Field(None, min_length=1, max_length=200)
    contact_person: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=2000)
    area_code: str | None = Field(None, max_length=13)
    commission_rule: AgentRule | None = None
    commission_percent: Decimal | None = Field(None, ge=0, le=100)
    commission_amount: int | None = Field(None, ge=0, le=10**13)
    joined_on: dt.date | None = None
    notes: str | None = Field(None, max_length=5000)


class AgentActiveIn(Schema):
    active: bool
    version: int | None = None


class AgentFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    kind: AgentKind | None = None
    province: str | None = Field(None, max_length=2, description="Province code of the area, e.g. 33")
    active: bool | None = None
    post: int | None = Field(None, ge=1, le=2**62, description="Post id")


def _agent(request: HttpRequest, agent_id: int, action: str = "view") -> Agent:
    return get_scoped_object(agent_list(user=request.user), request.user, action, pk=agent_id)


def _detail(request: HttpRequest, agent: Agent) -> Agent:
    sales = agent_sales(user=request.user, agent=agent)
    agent.n_orders = sales.orders  # type: ignore[attr-defined]
    agent.orders_counted = sales.counted  # type: ignore[attr-defined]
    agent.orders_value = sales.value  # type: ignore[attr-defined]
    agent.commission_total = sales.commission  # type: ignore[attr-defined]
    return agent


def _refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids and codes into rows; an unknown or unseen one is a 422 with the field named."""
    if "post_id" in data:
        data["post"] = Post.objects.for_user(request.user, "view").filter(pk=data.pop("post_id")).first()
        if data["post"] is None:
            raise ValidationError({"post": [_("Pos tidak ditemukan atau di luar cakupan Anda.")]})
    if "partner_post_id" in data:
        pid = data.pop("partner_post_id")
        data["partner_post"] = partner_post_choices_unscoped().filter(pk=pid).first() if pid else None
        if pid and data["partner_post"] is None:
            raise ValidationError({"partner_post": [_("Pos mitra tidak ditemukan.")]})
    if "area_code" in data:
        data["area"] = (data.pop("area_code") or "").strip() or None
    return data


@router.get("", response={200: list[AgentOut], **ERRORS}, url_name="agent-list")
@paginate(Pagination)
def agent_list_api(request: HttpRequest, filters: Query[AgentFilterIn]) -> Any:
    """List the agents you may see."""
    params = {k: v for k, v in filters.dict().items() if v is not None and v != ""}
    return AgentFilter(params, queryset=agent_list(user=request.user)).qs


@router.post("", response={201: AgentDetailOut, **ERRORS}, url_name="agent-create")
def agent_create_api(request: HttpRequest, payload: AgentIn) -> Any:
    """Add an agent to a post you work for; a post you may only view answers 403."""
    data = _refs(request, payload.dict())
    if rank_on_post(request.user, data["post"]) < Action.EDIT:
        raise PermissionDenied
    agent = services.agent_create(actor=request.user, data=data)
    return Status(201, _detail(request, _agent(request, agent.pk)))


@router.get("/{agent_id}", response={200: AgentDetailOut, **ERRORS}, url_name="agent-detail")
def agent_get_api(request: HttpRequest, agent_id: int) -> Any:
    """One agent with the orders it brought, their value and commission; 404 outside your scope."""
    return _detail(request, _agent(request, agent_id))


@router.patch("/{agent_id}", response={200: AgentDetailOut, **ERRORS}, url_name="agent-update")
def agent_update_api(request: HttpRequest, agent_id: int, payload: AgentPatch) -> Any:
    """Change an agent; a stale `version` answers 422."""
    agent = _agent(request, agent_id, "edit")
    nullable = ("version", "partner_post_id", "area_code", "joined_on")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in nullable}
    version = data.pop("version", None)
    services.agent_update(actor=request.user, agent=agent, data=_refs(request, data), version=version)
    return _detail(request, _agent(request, agent_id))


@router.post("/{agent_id}/active", response={200: AgentDetailOut, **ERRORS}, url_name="agent-active")
def agent_active_api(request: HttpRequest, agent_id: int, payload: AgentActiveIn) -> Any:
    """Switch an agent on or off."""
    agent = _agent(request, agent_id, "edit")
    services.agent_set_active(actor=request.user, agent=agent, active=payload.active, version=payload.version)
    return _detail(request, _agent(request, agent_id))

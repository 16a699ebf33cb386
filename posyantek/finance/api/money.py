"""Regulations, budgets, entries (post and reverse only), closings, accounts."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from posyantek.core.api import ERRORS, Pagination
from posyantek.finance import budget_services, services
from posyantek.finance.api.common import (
    entry_data,
    filter_params,
    one_of,
    region_or_422,
    scoped_budget,
    scoped_entry,
    scoped_post,
    scoped_regulation,
)
from posyantek.finance.api.router import router
from posyantek.finance.api.schemas import (
    FinAccountOut,
    FinApproveIn,
    FinArticleIn,
    FinArticleOut,
    FinBudgetFilterIn,
    FinBudgetIn,
    FinBudgetLineIn,
    FinBudgetLineOut,
    FinBudgetOut,
    FinCashAccountOut,
    FinCloseIn,
    FinCloseOut,
    FinEntryFilterIn,
    FinEntryIn,
    FinEntryOut,
    FinPostIdIn,
    FinRegulationFilterIn,
    FinRegulationIn,
    FinRegulationOut,
    FinRegulationPatch,
    FinReverseIn,
    FinReviseIn,
)
from posyantek.finance.filters import BudgetFilter, EntryFilter, RegulationFilter
from posyantek.finance.models import (
    Account,
    BudgetLine,
    CashAccount,
    MonthClose,
)
from posyantek.finance.selectors import (
    article_list,
    budget_list,
    entry_list,
    regulation_list,
)

# --- Regulations ----------------------------------------------------------------------------------------------


@router.get("/regulations", response={200: list[FinRegulationOut], **ERRORS}, url_name="finance-regulation-list")
@paginate(Pagination)
def regulation_list_api(request: HttpRequest, filters: Query[FinRegulationFilterIn]) -> Any:
    """Regulations you may read: national rules, and those of the regions you work in or under."""
    qs = regulation_list(user=request.user).prefetch_related("articles").order_by("-year", "kind", "number", "pk")
    return RegulationFilter(filter_params(filters), queryset=qs).qs


@router.post("/regulations", response={201: FinRegulationOut, **ERRORS}, url_name="finance-regulation-create")
def regulation_create_api(request: HttpRequest, payload: FinRegulationIn) -> Any:
    """Record a regulation: national (national admin) or of a region you oversee."""
    data = payload.dict()
    data["region"] = region_or_422(data.pop("region_code"))
    data["amended_by"] = one_of(
        regulation_list(user=request.user),
        data.pop("amended_by_id"),
        "amended_by",
        _("Peraturan pengubah tidak ditemukan."),
    )
    reg = budget_services.regulation_create(actor=request.user, data=data)
    return Status(201, scoped_regulation(request, reg.pk))


@router.get(
    "/regulations/{regulation_id}", response={200: FinRegulationOut, **ERRORS}, url_name="finance-regulation-detail"
)
def regulation_get_api(request: HttpRequest, regulation_id: int) -> Any:
    """One regulation with its articles."""
    return scoped_regulation(request, regulation_id)


@router.patch(
    "/regulations/{regulation_id}", response={200: FinRegulationOut, **ERRORS}, url_name="finance-regulation-update"
)
def regulation_update_api(request: HttpRequest, regulation_id: int, payload: FinRegulationPatch) -> Any:
    """Change a regulation: details or status (amended by another one, revoked)."""
    reg = scoped_regulation(request, regulation_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "amended_by_id"}
    version = data.pop("version", None)
    if "amended_by_id" in data:
        data["amended_by"] = one_of(
            regulation_list(user=request.user),
            data.pop("amended_by_id"),
            "amended_by",
            _("Peraturan pengubah tidak ditemukan."),
        )
    budget_services.regulation_update(actor=request.user, regulation=reg, data=data, version=version)
    return scoped_regulation(request, regulation_id)


@router.post(
    "/regulations/{regulation_id}/articles", response={201: FinArticleOut, **ERRORS}, url_name="finance-article-create"
)
def article_create_api(request: HttpRequest, regulation_id: int, payload: FinArticleIn) -> Any:
    """Add an article (pasal) with its summary."""
    reg = scoped_regulation(request, regulation_id)
    return Status(201, budget_services.article_add(actor=request.user, regulation=reg, **payload.dict()))


# --- Budgets --------------------------------------------------------------------------------------------------


@router.get("/budgets", response={200: list[FinBudgetOut], **ERRORS}, url_name="finance-budget-list")
@paginate(Pagination)
def budget_list_api(request: HttpRequest, filters: Query[FinBudgetFilterIn]) -> Any:
    """Budgets you may see, every revision, with their lines."""
    return BudgetFilter(filter_params(filters), queryset=budget_list(user=request.user)).qs.order_by(
        "-year", "post_id", "-revision", "pk"
    )


@router.post("/budgets", response={201: FinBudgetOut, **ERRORS}, url_name="finance-budget-create")
def budget_create_api(request: HttpRequest, payload: FinBudgetIn) -> Any:
    """Start the draft budget of a post for a year (post staff or above)."""
    post = scoped_post(request, payload.post_id, "edit")
    budget = budget_services.budget_create(actor=request.user, post=post, year=payload.year, note=payload.note)
    return Status(201, scoped_budget(request, budget.pk))


@router.get("/budgets/{budget_id}", response={200: FinBudgetOut, **ERRORS}, url_name="finance-budget-detail")
def budget_get_api(request: HttpRequest, budget_id: int) -> Any:
    """One budget revision with its lines."""
    return scoped_budget(request, budget_id)


@router.post(
    "/budgets/{budget_id}/lines", response={201: FinBudgetLineOut, **ERRORS}, url_name="finance-budget-line-create"
)
def budget_line_create_api(request: HttpRequest, budget_id: int, payload: FinBudgetLineIn) -> Any:
    """Add a ceiling to a draft budget; an article must belong to its regulation."""
    budget = scoped_budget(request, budget_id, "edit")
    data = payload.dict()
    data["account"] = Account.objects.for_user(request.user, "view").filter(pk=data.pop("account_id")).first()
    regs = regulation_list(user=request.user)
    data["regulation"] = one_of(regs, data.pop("regulation_id"), "regulation", _("Peraturan tidak ditemukan."))
    data["article"] = one_of(
        article_list(user=request.user), data.pop("article_id"), "article", _("Pasal tidak ditemukan.")
    )
    line = budget_services.budget_line_add(actor=request.user, budget=budget, data=data)
    return Status(201, BudgetLine.objects.for_user(request.user, "view").select_related("account").get(pk=line.pk))


@router.delete(
    "/budgets/{budget_id}/lines/{line_id}", response={204: None, **ERRORS}, url_name="finance-budget-line-delete"
)
def budget_line_delete_api(request: HttpRequest, budget_id: int, line_id: int) -> Any:
    """Remove a ceiling from a draft budget."""
    budget = scoped_budget(request, budget_id, "edit")
    line = BudgetLine.objects.for_user(request.user, "edit").filter(budget=budget, pk=line_id).first()
    if line is None:
        raise Http404
    budget_services.budget_line_remove(actor=request.user, line=line)
    return Status(204, None)


@router.post("/budgets/{budget_id}/approve", response={200: FinBudgetOut, **ERRORS}, url_name="finance-budget-approve")
def budget_approve_api(request: HttpRequest, budget_id: int, payload: FinApproveIn) -> Any:
    """Approve a draft budget (post manager); the revision it replaces is kept as superseded."""
    budget = scoped_budget(request, budget_id, "manage")
    budget_services.budget_approve(actor=request.user, budget=budget, version=payload.version)
    return scoped_budget(request, budget_id)


@router.post("/budgets/{budget_id}/revise", response={201: FinBudgetOut, **ERRORS}, url_name="finance-budget-revise")
def budget_revise_api(request: HttpRequest, budget_id: int, payload: FinReviseIn) -> Any:
    """Start a revision of an approved budget: a draft copy of its lines."""
    budget = scoped_budget(request, budget_id, "edit")
    draft = budget_services.budget_revise(actor=request.user, budget=budget, note=payload.note)
    return Status(201, scoped_budget(request, draft.pk))


# --- Entries and closings -------------------------------------------------------------------------------------


@router.get("/entries", response={200: list[FinEntryOut], **ERRORS}, url_name="finance-entry-list")
@paginate(Pagination)
def entry_list_api(request: HttpRequest, filters: Query[FinEntryFilterIn]) -> Any:
    """Cash-book entries you may see, newest first."""
    return EntryFilter(filter_params(filters), queryset=entry_list(user=request.user)).qs


@router.post("/entries", response={201: FinEntryOut, **ERRORS}, url_name="finance-entry-create")
def entry_create_api(request: HttpRequest, payload: FinEntryIn) -> Any:
    """Post an income or spending entry (post staff or above). Refused (422): a closed month, spending from a source
    with no budget line, more than the cash holds, a grant's limits."""
    post = scoped_post(request, payload.post_id, "edit")
    entry = services.entry_post(actor=request.user, data=entry_data(request, post, payload))
    return Status(201, scoped_entry(request, entry.pk))


@router.get("/entries/{entry_id}", response={200: FinEntryOut, **ERRORS}, url_name="finance-entry-detail")
def entry_get_api(request: HttpRequest, entry_id: int) -> Any:
    """One entry."""
    return scoped_entry(request, entry_id)


@router.post("/entries/{entry_id}/reverse", response={201: FinEntryOut, **ERRORS}, url_name="finance-entry-reverse")
def entry_reverse_api(request: HttpRequest, entry_id: int, payload: FinReverseIn) -> Any:
    """Cancel an entry by posting its reversal in an open month; a reversal cannot be reversed (422)."""
    entry = scoped_entry(request, entry_id, "edit")
    reversal = services.entry_reverse(actor=request.user, entry=entry, reason=payload.reason, date=payload.date)
    return Status(201, scoped_entry(request, reversal.pk))


@router.get("/closings", response={200: list[FinCloseOut], **ERRORS}, url_name="finance-closing-list")
@paginate(Pagination)
def closing_list_api(request: HttpRequest, filters: Query[FinPostIdIn]) -> Any:
    """Closed months you may see, newest first."""
    qs = MonthClose.objects.for_user(request.user, "view").order_by("-month", "pk")
    return qs.filter(post_id=filters.post_id) if filters.post_id else qs


@router.post("/closings", response={201: FinCloseOut, **ERRORS}, url_name="finance-closing-create")
def closing_create_api(request: HttpRequest, payload: FinCloseIn) -> Any:
    """Close a month that has ended (post manager): it and every month before it are locked."""
    post = scoped_post(request, payload.post_id, "manage")
    if not 2000 <= payload.month.year <= 2200:
        raise ValidationError({"month": [_("Bulan di luar jangkauan.")]})
    return Status(201, services.month_close(actor=request.user, post=post, month=payload.month))


@router.get("/cash-accounts", response={200: list[FinCashAccountOut], **ERRORS}, url_name="finance-cash-account-list")
@paginate(Pagination)
def cash_account_list_api(request: HttpRequest, filters: Query[FinPostIdIn]) -> Any:
    """Cash boxes and bank accounts you may see."""
    qs = CashAccount.objects.for_user(request.user, "view").order_by("post_id", "pk")
    return qs.filter(post_id=filters.post_id) if filters.post_id else qs


@router.get("/accounts", response={200: list[FinAccountOut], **ERRORS}, url_name="finance-account-list")
@paginate(Pagination)
def account_list_api(request: HttpRequest, filters: Query[FinPostIdIn]) -> Any:
    """The shared chart of accounts, and the posts' own accounts you may see."""
    qs = Account.objects.for_user(request.user, "view").order_by("code", "pk")
    return qs.filter(Q(post_id=filters.post_id) | Q(post__isnull=True)) if filters.post_id else qs

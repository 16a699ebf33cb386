"""Schemas of the money API: explicit In/Out per direction; choices as inline enums."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from posyantek.finance.models import (
    Account,
    Asset,
    Budget,
    BudgetLine,
    CashAccount,
    Entry,
    FundingSource,
    Grant,
    Regulation,
    RegulationArticle,
)

ID = Field(ge=1, le=2**62)
RUPIAH = Field(ge=1, le=10**13, description="Whole rupiah, more than zero")
CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


def _choices(choices: Any) -> Any:
    """Return a Literal of the choice values: an inline enum in the schema, so nested `Kind` classes of different
    models never share (and overwrite) one schema component."""
    return Literal[tuple(choices.values)]


Source = _choices(FundingSource)
RegulationKind = _choices(Regulation.Kind)
RegulationStatus = _choices(Regulation.Status)
BudgetState = _choices(Budget.State)
EntryKind = _choices(Entry.Kind)
CashKind = _choices(CashAccount.Kind)
AccountKind = _choices(Account.Kind)
AssetKind = _choices(Asset.Kind)
AssetOrigin = _choices(Asset.Origin)
AssetCondition = _choices(Asset.Condition)


def opt_id(default: Any = None) -> Any:
    return Field(default, ge=1, le=2**62)


# --- Schemas --------------------------------------------------------------------------------------------------


class FinArticleOut(Schema):
    id: int
    number: str
    summary: str


class FinArticleIn(Schema):
    number: str = Field(min_length=1, max_length=30)
    summary: str = Field(min_length=1, max_length=5000)


class FinRegulationOut(Schema):
    id: int
    kind: RegulationKind
    number: str
    year: int
    title: str
    short: str
    region_code: str | None = Field(alias="region_id", description="Issuing region; null for a national rule")
    issued_on: dt.date | None
    status: RegulationStatus
    amended_by_id: int | None
    note: str
    articles: list[FinArticleOut]
    version: int

    @staticmethod
    def resolve_articles(obj: Regulation) -> list[RegulationArticle]:
        return list(obj.articles.all())


class FinRegulationIn(Schema):
    kind: RegulationKind
    number: str = Field(min_length=1, max_length=60)
    year: int = Field(ge=1945, le=2200)
    title: str = Field(min_length=1, max_length=400)
    region_code: str | None = Field(None, max_length=13, pattern=CODE_PATTERN, description="Null: national")
    issued_on: dt.date | None = None
    status: RegulationStatus = "berlaku"
    amended_by_id: int | None = opt_id()
    note: str = Field("", max_length=5000)


class FinRegulationPatch(Schema):
    version: int | None = Field(None, description="The version you read; a stale one answers 422")
    title: str | None = Field(None, min_length=1, max_length=400)
    issued_on: dt.date | None = None
    status: RegulationStatus | None = None
    amended_by_id: int | None = opt_id()
    note: str | None = Field(None, max_length=5000)


class FinRegulationFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    kind: RegulationKind | None = None
    status: RegulationStatus | None = None
    national: bool | None = None


class FinBudgetLineOut(Schema):
    id: int
    source: Source
    account_id: int
    account_code: str = Field(alias="account.code")
    activity: str
    regulation_id: int | None
    article_id: int | None
    amount: int


class FinBudgetOut(Schema):
    id: int
    post_id: int
    year: int
    revision: int
    state: BudgetState
    note: str
    approved_by_id: int | None
    approved_at: dt.datetime | None
    pagu: int
    lines: list[FinBudgetLineOut]
    version: int

    @staticmethod
    def resolve_pagu(obj: Budget) -> int:
        return int(getattr(obj, "pagu", 0) or 0)

    @staticmethod
    def resolve_lines(obj: Budget) -> list[BudgetLine]:
        return list(obj.lines.select_related("account"))


class FinBudgetIn(Schema):
    post_id: int = ID
    year: int = Field(ge=2000, le=2200)
    note: str = Field("", max_length=2000)


class FinBudgetLineIn(Schema):
    source: Source
    account_id: int = ID
    activity: str = Field("", max_length=200)
    amount: int = RUPIAH
    regulation_id: int | None = opt_id()
    article_id: int | None = opt_id()


class FinBudgetFilterIn(Schema):
    post: int | None = opt_id()
    year: int | None = Field(None, ge=2000, le=2200)
    state: BudgetState | None = None
    region: str | None = Field(None, max_length=13)


class FinApproveIn(Schema):
    version: int | None = None


class FinReviseIn(Schema):
    note: str = Field("", max_length=2000)


class FinEntryOut(Schema):
    id: int
    post_id: int
    date: dt.date
    kind: EntryKind
    source: Source
    account_id: int
    account_code: str = Field(alias="account.code")
    cash_account_id: int
    amount: int = Field(description="Whole rupiah")
    delta: int = Field(description="Effect on the cash balance: + income, - spending, the opposite for a reversal")
    description: str
    activity: str
    bintek_id: int | None
    exhibition_id: int | None
    order_id: int | None
    payment_id: int | None
    grant_id: int | None
    counterparty: str
    reference: str
    has_receipt: bool
    reverses_id: int | None
    reversed_by_id: int | None
    posted_by_id: int | None
    created: dt.datetime

    @staticmethod
    def resolve_has_receipt(obj: Entry) -> bool:
        return bool(obj.receipt)

    @staticmethod
    def resolve_reversed_by_id(obj: Entry) -> int | None:
        rev = getattr(obj, "reversed_by", None)
        return rev.pk if rev else None


class FinEntryIn(Schema):
    post_id: int = ID
    date: dt.date
    kind: EntryKind
    source: Source
    account_id: int = ID
    cash_account_id: int = ID
    amount: int = RUPIAH
    description: str = Field(min_length=1, max_length=300)
    activity: str = Field("", max_length=200)
    bintek_id: int | None = opt_id()
    exhibition_id: int | None = opt_id()
    order_code: str | None = Field(None, max_length=12)
    grant_id: int | None = opt_id()
    counterparty: str = Field("", max_length=200)
    reference: str = Field("", max_length=100)


class FinReverseIn(Schema):
    reason: str = Field(min_length=1, max_length=200)
    date: dt.date | None = Field(None, description="Default: today; must be in an open month")


class FinEntryFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    post: int | None = opt_id()
    kind: EntryKind | None = None
    source: Source | None = None
    account: str | None = Field(None, max_length=20, description="Account code")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    grant: int | None = opt_id()
    cash_account: int | None = opt_id()
    region: str | None = Field(None, max_length=13)


class FinCloseIn(Schema):
    post_id: int = ID
    month: dt.date = Field(description="Any day of the month to close")


class FinCloseOut(Schema):
    id: int
    post_id: int
    month: dt.date
    closed_by_id: int | None
    closed_at: dt.datetime
    totals: dict[str, dict[str, int]] = Field(description="Per cash account: income, spending, closing balance")


class FinCashAccountOut(Schema):
    id: int
    post_id: int
    name: str
    kind: CashKind
    bank_name: str
    account_number: str
    active: bool


class FinAccountOut(Schema):
    id: int
    post_id: int | None = Field(description="Null: the shared chart")
    code: str
    name: str
    kind: AccountKind


class FinPostIdIn(Schema):
    post_id: int | None = opt_id()


class FinGrantOut(Schema):
    id: int
    post_id: int
    giver: str
    source: Source
    amount: int
    purpose: str
    agreement_number: str
    regulation_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    report_due: dt.date
    lpj_submitted_on: dt.date | None
    disbursed: int
    spent: int
    version: int

    @staticmethod
    def resolve_disbursed(obj: Grant) -> int:
        return int(getattr(obj, "disbursed", 0) or 0)

    @staticmethod
    def resolve_spent(obj: Grant) -> int:
        return int(getattr(obj, "spent", 0) or 0)


class FinGrantIn(Schema):
    post_id: int = ID
    giver: str = Field(min_length=1, max_length=200)
    source: Source
    amount: int = RUPIAH
    purpose: str = Field(min_length=1, max_length=5000)
    agreement_number: str = Field("", max_length=100)
    regulation_id: int | None = opt_id()
    starts_on: dt.date
    ends_on: dt.date
    report_due: dt.date


class FinGrantPatch(Schema):
    version: int | None = None
    giver: str | None = Field(None, min_length=1, max_length=200)
    amount: int | None = Field(None, ge=1, le=10**13)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    agreement_number: str | None = Field(None, max_length=100)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    report_due: dt.date | None = None


class FinGrantFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    post: int | None = opt_id()
    source: Source | None = None
    open: bool | None = Field(None, description="true: LPJ not yet submitted")
    region: str | None = Field(None, max_length=13)


class FinLpjOut(Schema):
    grant_id: int
    disbursed: int
    spent: int
    remaining: int
    disbursements: list[FinEntryOut]
    spending: list[FinEntryOut]
    asset_ids: list[int]


class FinAssetOut(Schema):
    id: int
    post_id: int
    name: str
    kind: AssetKind
    origin: AssetOrigin
    entry_id: int | None
    grant_id: int | None
    value: int
    acquired_on: dt.date
    condition: AssetCondition
    location: str
    lent_to: str
    note: str
    version: int


class FinAssetIn(Schema):
    post_id: int = ID
    name: str = Field(min_length=1, max_length=200)
    kind: AssetKind
    origin: AssetOrigin
    entry_id: int | None = opt_id()
    grant_id: int | None = opt_id()
    value: int | None = Field(None, ge=0, le=10**13, description="Default: the amount of the paying entry")
    acquired_on: dt.date
    condition: AssetCondition = "baik"
    location: str = Field("", max_length=200)
    lent_to: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)


class FinAssetPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    condition: AssetCondition | None = None
    location: str | None = Field(None, max_length=200)
    lent_to: str | None = Field(None, max_length=200)
    value: int | None = Field(None, ge=0, le=10**13)
    note: str | None = Field(None, max_length=5000)


class FinAssetFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    post: int | None = opt_id()
    kind: AssetKind | None = None
    origin: AssetOrigin | None = None
    condition: AssetCondition | None = None
    region: str | None = Field(None, max_length=13)


class FinBalanceRowOut(Schema):
    cash_account_id: int
    name: str
    balance: int


class FinBalanceOut(Schema):
    post_id: int
    total: int
    cash_accounts: list[FinBalanceRowOut]


class FinRealisationLineOut(Schema):
    source: str
    account_id: int | None
    account_code: str
    pagu: int
    spent: int
    absorption: float | None
    planned: bool
    regulation_id: int | None
    article_id: int | None


class FinRealisationSourceOut(Schema):
    source: str
    pagu: int
    income: int
    spent: int
    absorption: float | None
    regulation_ids: list[int]
    regulation_based: bool


class FinRealisationOut(Schema):
    post_id: int
    start: dt.date
    end: dt.date
    pagu: int
    income: int
    spent: int
    absorption: float | None
    regulation_based: bool
    lines: list[FinRealisationLineOut]
    sources: list[FinRealisationSourceOut]
    alerts: list[str]


class FinPeriodIn(Schema):
    start: dt.date | None = Field(None, description="Default: 1 January of this year")
    end: dt.date | None = Field(None, description="Default: 31 December of this year")


class FinRollupGroupOut(Schema):
    code: str
    name: str
    posts: int
    with_basis: int
    basis_share: float | None
    pagu: int
    income: int
    spent: int
    absorption: float | None


class FinRollupPostOut(Schema):
    post_id: int
    name: str
    region_code: str
    pagu: int
    income: int
    spent: int
    absorption: float | None
    regulation_bases: list[str]


class FinRollupOut(Schema):
    region_code: str | None
    year: int
    total: FinRollupGroupOut
    groups: list[FinRollupGroupOut]
    posts_count: int
    posts: list[FinRollupPostOut]


class FinRollupIn(Schema):
    region: str | None = Field(None, max_length=13, pattern=CODE_PATTERN, description="Null: the whole country")
    year: int = Field(ge=2000, le=2200)
    limit: int = Field(100, ge=1, le=1000, description="Posts per page")
    offset: int = Field(0, ge=0, le=1_000_000)

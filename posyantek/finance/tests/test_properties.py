"""Property test: for any sequence of entries, reversals and closings, every balance equals the sum of its entries
and no closed month ever changes."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posyantek.finance import budget_services, services
from posyantek.finance.models import Entry, EntryMonth, MonthClose
from posyantek.finance.selectors import entry_month_rebuild, post_balances
from posyantek.finance.tests.conftest import TODAY, account

YEAR = 2025  # every month of it has ended by TODAY, so any of them may be closed

amounts = st.integers(min_value=1, max_value=5_000_000)
days = st.tuples(st.integers(1, 12), st.integers(1, 28))
income = st.tuples(st.just("income"), st.integers(0, 1), days, amounts)
# Spending takes a share (per cent, over 100 overdraws) of what the cash account holds.
spend = st.tuples(
    st.just("spend"),
    st.integers(0, 1),
    days,
    st.integers(1, 110),
    st.sampled_from(["apbd_kabkota", "apbd_kabkota", "apbn"]),
)
reverse = st.tuples(st.just("reverse"), st.integers(0, 50), days)
close = st.tuples(st.just("close"), st.integers(1, 12))
# Entries more often than closings: one closing late in the year locks nearly everything before it.
operations = st.lists(st.one_of(income, income, income, spend, spend, spend, reverse, close), min_size=3, max_size=30)


@pytest.fixture
def ledger(manager: Any, treasurer: Any, posts: dict[str, Any]) -> dict[str, Any]:
    """Two cash accounts of Mitra Pantura and an approved 2025 budget with a line for APBD kota only."""
    post = posts["mitra"]
    cash = [
        services.cash_account_create(actor=manager, post=post, data={"name": "Kas tunai"}),
        services.cash_account_create(
            actor=manager, post=post, data={"name": "Bank Jateng", "kind": "bank", "bank_name": "Bank Jateng"}
        ),
    ]
    b = budget_services.budget_create(actor=treasurer, post=post, year=YEAR)
    budget_services.budget_line_add(
        actor=treasurer, budget=b, data={"source": "apbd_kabkota", "account": account("5.3"), "amount": 100_000_000}
    )
    budget_services.budget_approve(actor=manager, budget=b)
    return {"post": post, "cash": cash, "treasurer": treasurer, "manager": manager}


def _run(op: tuple[Any, ...], ctx: dict[str, Any], closed: dict[dt.date, Any]) -> None:
    post, cash, who = ctx["post"], ctx["cash"], ctx["treasurer"]
    kind = op[0]
    if kind in ("income", "spend"):
        (m, d), amount = op[2], op[3]
        data = {"post": post, "date": dt.date(YEAR, m, d), "cash_account": cash[op[1]], "description": kind}
        if kind == "spend":  # from the chosen cash account, or the other one when the chosen one is empty
            box = op[1] if services.cash_balance(cash[op[1]].pk) > 0 else 1 - op[1]
            data["cash_account"] = cash[box]
            amount = max(1, services.cash_balance(cash[box].pk) * amount // 100)
        data["amount"] = amount
        if kind == "income":
            data.update(kind="masuk", source="apbd_kabkota", account=account("4.3"))
        else:
            data.update(kind="keluar", source=op[4], account=account("5.3"))
        services.entry_post(actor=who, data=data, today=TODAY)
    elif kind == "reverse":
        entries = list(Entry.objects.filter(post=post).order_by("pk"))
        if entries:
            m, d = op[2]
            services.entry_reverse(
                actor=who, entry=entries[op[1] % len(entries)], reason="koreksi", date=dt.date(YEAR, m, d), today=TODAY
            )
    else:
        month = dt.date(YEAR, op[1], 1)
        services.month_close(actor=ctx["manager"], post=post, month=month, today=TODAY)
        # What the month held when it closed: its entries, one by one.
        closed[month] = sorted(
            Entry.objects.filter(post=post, date__year=YEAR, date__month=op[1]).values_list("pk", "amount", "delta")
        )


def _check(ctx: dict[str, Any], closed: dict[dt.date, Any]) -> None:
    post = ctx["post"]
    # Every balance equals the sum of its entries.
    for cash in ctx["cash"]:
        expected = Entry.objects.filter(cash_account=cash).aggregate(t=Sum("delta"))["t"] or 0
        assert services.cash_balance(cash.pk) == expected
    balances = post_balances(post)
    assert balances.total == (Entry.objects.filter(post=post).aggregate(t=Sum("delta"))["t"] or 0)
    kept = {(r.month, r.cash_account_id, r.kind, r.source, r.account_id): r.total for r in EntryMonth.objects.all()}
    assert {k: v for k, v in kept.items() if v or k in entry_month_rebuild(post)} == entry_month_rebuild(post)
    # No closed month changed: the same entries, and the totals recorded when it closed.
    for month, rows in closed.items():
        now = sorted(
            Entry.objects.filter(post=post, date__year=month.year, date__month=month.month).values_list(
                "pk", "amount", "delta"
            )
        )
        assert now == rows
        assert MonthClose.objects.get(post=post, month=month).totals == {
            k: v for k, v in services.month_totals(post.pk, month).items()
        }


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
    derandomize=True,
)
@given(ops=operations)
def test_balances_equal_entries_and_closed_months_never_change(ledger: dict[str, Any], ops: list[Any]) -> None:
    with transaction.atomic():
        closed: dict[dt.date, Any] = {}
        for op in ops:
            # A refused step (closed month, no budget line, not enough cash) changes nothing.
            with contextlib.suppress(ValidationError):
                _run(op, ledger, closed)
            _check(ledger, closed)
        transaction.set_rollback(True)

"""The national data set at a tiny scale: the same seed gives the same data, and the rollups agree with the rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Sum

from posyantek.dashboards.national.generate import checksums

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 15)


class _Undo(Exception):
    pass


def _generate(seed: int = 1) -> None:
    call_command("generate_national", scale=0.0005, seed=seed, today=TODAY, no_refresh=True, no_progress=True,
                 stdout=_Sink())  # fmt: skip


class _Sink:
    def write(self, *_: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def _run_and_undo(seed: int) -> dict[str, Any]:
    try:
        with transaction.atomic():
            _generate(seed)
            sums = checksums()
            raise _Undo
    except _Undo:
        pass
    return sums


def test_same_seed_same_data_and_rollups_agree(regions: dict[str, Any]) -> None:
    from posyantek.finance.models import EntryMonth
    from posyantek.finance.selectors import entry_month_rebuild
    from posyantek.orders import sales
    from posyantek.orders.models import Order, OrderItem, SalesMonth
    from posyantek.posts.models import Post

    first = _run_and_undo(1)
    other = _run_and_undo(2)
    _generate(1)
    again = checksums()
    assert first == again
    assert first["digest"] != other["digest"]
    assert first["posts.Post"] >= 3
    assert first["orders.Order"] == 2500 and first["finance.Entry"] == 5000
    assert Post.objects.filter(status="aktif").count() > 0

    # Every (post, month) of the sales rollup equals what the app's own rebuild makes from the orders.
    pairs = sorted(set(SalesMonth.objects.values_list("post_id", "month")))
    assert pairs
    stored = {pair: sales.rollup_rows(*pair) for pair in pairs}
    sales.rebuild(pairs)
    assert {pair: sales.rollup_rows(*pair) for pair in pairs} == stored
    counted = OrderItem.objects.filter(order__state__in=sorted(_counted())).aggregate(
        s=Sum(F("quantity") * F("unit_price")))["s"]  # fmt: skip
    assert SalesMonth.objects.aggregate(s=Sum("amount"))["s"] == counted
    assert SalesMonth.objects.aggregate(s=Sum("orders_once"))["s"] == Order.objects.filter(
        state__in=sorted(_counted())).count()  # fmt: skip

    # The monthly cash sums equal the entries, post by post.
    for post in Post.objects.all():
        months: dict[tuple[Any, ...], int] = defaultdict(int)
        for row in EntryMonth.objects.filter(post=post).values("month", "cash_account_id", "kind", "source",
                                                               "account_id", "total"):  # fmt: skip
            months[(row["month"], row["cash_account_id"], row["kind"], row["source"], row["account_id"])] += row[
                "total"]  # fmt: skip
        assert dict(months) == entry_month_rebuild(post)


def test_refuses_a_database_with_posts(posts: dict[str, Any]) -> None:
    with pytest.raises(CommandError):
        call_command("generate_national", scale=0.0005, seed=1, today=TODAY, no_refresh=True, no_progress=True)


def _counted() -> set[str]:
    from posyantek.dashboards.national.market import COUNTED

    return COUNTED

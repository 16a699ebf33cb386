"""Fixtures for the network tests: agents of Mitra Pantura and of Wartek Panjang Wetan, and orders they brought."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from posyantek.network import services
from posyantek.network.models import Agent
from posyantek.orders.models import Order

_codes = itertools.count(1)


def make_order(post: Any, *, total: int, state: str = "dikonfirmasi", **extra: Any) -> Order:
    """Create an order row directly (the orders app's services make real ones); for reads and reports."""
    n = next(_codes)
    return Order.objects.create(
        post=post, region=post.region, code=f"UJI{n:07d}", buyer_name=extra.pop("buyer_name", f"Pembeli {n}"),
        ordered_at=extra.pop("ordered_at", timezone.now()), state=state, subtotal=total, total=total, **extra,
    )  # fmt: skip


def add_agent(actor: Any, post: Any, **extra: Any) -> Agent:
    data = {
        "post": post,
        "kind": "agen",
        "name": "CV Sinar Tani Semarang",
        "contact_person": "Bambang",
        "phone": "0812-3456-7890",
        "commission_rule": "persen",
        "commission_percent": Decimal("5"),
        "joined_on": dt.date(2024, 1, 15),
        **extra,
    }
    return services.agent_create(actor=actor, data=data)


@pytest.fixture
def agent(manager: Any, posts: dict[str, Any]) -> Agent:
    """An agent of Mitra Pantura with a 5% commission."""
    return add_agent(manager, posts["mitra"])


@pytest.fixture
def wartek_agent(staff: Any, posts: dict[str, Any]) -> Agent:
    """A reseller of Wartek Panjang Wetan with Rp 10.000 per unit."""
    return add_agent(staff, posts["wartek"], kind="reseller", name="Reseller Krapyak", commission_rule="per_unit",
                     commission_amount=10_000, commission_percent=None)  # fmt: skip

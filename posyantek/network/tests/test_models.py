"""An agent's commission rule: what it pays and how it reads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posyantek.network.models import Agent


def _agent(rule: str, percent: str = "0", amount: int = 0) -> Agent:
    return Agent(name="A", commission_rule=rule, commission_percent=Decimal(percent), commission_amount=amount)


@pytest.mark.parametrize(
    ("percent", "total", "expected"),
    [
        ("5", 1_000_000, 50_000),
        ("5", 10_010, 501),  # 500,5 rounds half up
        ("2.5", 1_001, 25),  # 25,025 rounds down
        ("2.5", 1_020, 26),  # 25,5 rounds half up (not to even)
        ("7.25", 0, 0),
        ("100", 1_250_000, 1_250_000),
        ("0.01", 99, 0),
    ],
)
def test_commission_percent_rounds_half_up_to_the_rupiah(percent: str, total: int, expected: int) -> None:
    assert _agent("persen", percent).commission_for(total=total, quantity=3) == expected


def test_commission_per_unit_per_order_and_none() -> None:
    assert _agent("per_unit", amount=50_000).commission_for(total=3_000_000, quantity=3) == 150_000
    assert _agent("per_pesanan", amount=150_000).commission_for(total=3_000_000, quantity=3) == 150_000
    assert _agent("per_pesanan", amount=150_000).commission_for(total=3_000_000, quantity=1) == 150_000
    assert _agent("tanpa", "5", 50_000).commission_for(total=3_000_000, quantity=3) == 0


def test_commission_never_exceeds_the_order_total() -> None:
    assert _agent("per_unit", amount=50_000).commission_for(total=60_000, quantity=2) == 60_000
    assert _agent("per_pesanan", amount=150_000).commission_for(total=0, quantity=0) == 0


def test_commission_refuses_negative_input() -> None:
    with pytest.raises(ValueError, match="negative"):
        _agent("persen", "5").commission_for(total=-1, quantity=1)


def test_rule_in_words() -> None:
    assert _agent("persen", "2.50").rule_text.startswith("2,5% dari nilai pesanan")
    assert _agent("persen", "100.00").percent_text == "100"
    assert _agent("persen", "7.25").percent_text == "7,25"
    assert _agent("per_unit", amount=50_000).rule_text == "Rp 50.000 untuk setiap unit yang terjual lewat agen ini"
    assert "Rp 150.000 untuk setiap pesanan" in _agent("per_pesanan", amount=150_000).rule_text
    assert _agent("tanpa").rule_text == "Tanpa komisi"

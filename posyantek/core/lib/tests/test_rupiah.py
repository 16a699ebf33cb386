"""Reading rupiah as people type them: a dot groups thousands, it is never a decimal point."""

from __future__ import annotations

import pytest

from posyantek.core.lib.rupiah import format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1250000", 1_250_000), ("1.250.000", 1_250_000), ("Rp 1.250.000", 1_250_000), ("rp1.250.000", 1_250_000),
     (" 15 ", 15), ("0", 0), ("-5.000", -5_000), ("Rp -5.000", -5_000)],
)  # fmt: skip
def test_parse_rupiah_reads_whole_rupiah(text: str, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["1.5", "1,5", "1.250,50", "12.34.567", "abc", "", "1.2500", "Rp"])
def test_parse_rupiah_refuses_what_is_not_whole_rupiah(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rupiah(text)


def test_format_and_parse_round_trip() -> None:
    for n in (1, 999, 1_000, 1_250_000, 10**12):
        assert parse_rupiah(format_rupiah(n)) == n

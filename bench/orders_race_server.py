"""Gunicorn config hook for bench/orders_race.py (`-c python:bench.orders_race_server`).

All racing buyers share one address (127.0.0.1), so each worker lifts the per-address limit on marketplace
checkouts (MARKET_CHECKOUTS_PER_HOUR, read by products/market.py on every checkout): the benchmark measures the
stock race, not the spam guard.
"""

from __future__ import annotations

from typing import Any

#: Checkouts allowed per address and hour in the benchmark server (far above what a run sends).
BENCH_CHECKOUTS_PER_HOUR = 10_000_000


def post_worker_init(worker: Any) -> None:
    """Gunicorn hook: raise the marketplace checkout limit in this worker."""
    from django.conf import settings

    settings.MARKET_CHECKOUTS_PER_HOUR = BENCH_CHECKOUTS_PER_HOUR

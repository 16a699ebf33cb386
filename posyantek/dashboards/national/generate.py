"""Build the national data set: each part in its own transaction, timed, from one seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, connections, transaction

from posyantek.dashboards.national import activity, catalog, contests, market, money, places
from posyantek.dashboards.national.context import Context

PARTS: list[tuple[str, Callable[[Context], None]]] = [
    ("posts", places.make_posts),
    ("innovators", catalog.make_innovators),
    ("ttg", catalog.make_ttg),
    ("requests", activity.make_requests),
    ("bintek", activity.make_bintek),
    ("partnerships", activity.make_partnerships),
    ("visits", activity.make_visits),
    ("orders", market.make_orders),
    ("finance", money.make_finance),
    ("contests", contests.make_contests),
]


def _tune(ctx: Context, loading: bool) -> None:
    """SQLite: no journal while loading (one writer, a throwaway build), the app's settings back after."""
    if ctx.pg or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if loading:
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -400000")  # 400 MB of page cache
            # Off, not deferred: a deferred check looks up the children of every parent row written, and the
            # children's indexes are dropped while loading.
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -2000")
            cursor.execute("PRAGMA foreign_keys = ON")


#: With --jobs 2 (PostgreSQL), the parts after the posts run in two processes, about equal in work.
GROUPS = [["orders"], ["finance", "requests", "ttg", "bintek", "innovators", "partnerships", "visits", "contests"]]
_CTX: Context | None = None  # the context a forked worker inherits


def _run(ctx: Context, name: str, log: Callable[[str], Any]) -> None:
    part = dict(PARTS)[name]
    start = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            if ctx.pg:
                cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers while loading
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            else:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
        part(ctx)
    ctx.timings[f"{name}_part_s"] = round(time.perf_counter() - start, 1)
    log(f"  {name}: {ctx.timings[f'{name}_part_s']:.1f} s")


def _worker(names: list[str]) -> tuple[dict[str, int], dict[str, float]]:
    """Run some parts in a forked process, on its own database connection; return their counts and timings."""
    ctx = _CTX
    if ctx is None:
        raise RuntimeError("a worker needs the parent's context")
    ctx.counts, ctx.timings, ctx.tables = {}, {}, {}
    try:
        for name in names:
            _run(ctx, name, lambda line: print(line, flush=True))
    finally:
        connection.close()
    return ctx.counts, ctx.timings


def generate(
    *, seed: int, scale: float, today: dt.date, progress: bool = True, search_terms: bool = False, jobs: int = 1,
    log: Callable[[str], Any] = print,
) -> Context:  # fmt: skip
    """Generate the data set into the default database; return the context with its counts and timings.

    `jobs` > 1 (PostgreSQL only, outside a transaction) runs the parts after the posts in that many processes."""
    global _CTX  # noqa: PLW0603 - handed to forked workers
    ctx = Context(seed=seed, scale=scale, today=today, connection=connection, progress=progress)
    connection.ensure_connection()
    parallel = jobs > 1 and ctx.pg and not connection.in_atomic_block
    _tune(ctx, loading=True)
    try:
        _run(ctx, "posts", log)
        if parallel:
            ctx.tty = False  # bars of two processes on one terminal line would garble
            _CTX = ctx
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for counts, timings in pool.imap_unordered(_worker, GROUPS):
                    ctx.counts.update(counts)
                    ctx.timings.update(timings)
                pool.close()
                pool.join()  # reaped, so their CPU time counts in RUSAGE_CHILDREN
            _CTX = None
        else:
            for name, _part in PARTS[1:]:
                _run(ctx, name, log)
        if search_terms:
            with transaction.atomic():
                catalog.make_search_terms(ctx)
    finally:
        _tune(ctx, loading=False)
    if not connection.in_atomic_block:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if ctx.pg else "ANALYZE")  # as autovacuum would, before anyone reads
        ctx.timings["analyze_s"] = round(time.perf_counter() - start, 1)
    return ctx


def checksums() -> dict[str, Any]:
    """Counts and sums of the generated rows that do not depend on ids (so two runs of one seed compare equal)."""
    from django.db.models import Count, Sum

    from posyantek.catalog.models import Adoption, Innovator, Need, Ttg
    from posyantek.consultations.models import ServiceRequest
    from posyantek.contests.models import Entry as ContestEntry
    from posyantek.contests.models import Result
    from posyantek.finance.models import Entry, EntryMonth
    from posyantek.orders.models import Order, OrderItem, SalesMonth
    from posyantek.partnerships.models import Agreement
    from posyantek.posts.models import BoardTerm, Post
    from posyantek.trainings.models import Bintek, Participant
    from posyantek.visits.models import Visit

    out: dict[str, Any] = {}
    for model in (Post, BoardTerm, Innovator, Need, Ttg, Adoption, ServiceRequest, Bintek, Participant, Agreement,
                  Visit, Order, OrderItem, SalesMonth, Entry, EntryMonth, ContestEntry, Result):  # fmt: skip
        out[model._meta.label] = model.objects.count()
    out["order_total"] = Order.objects.aggregate(s=Sum("total"))["s"]
    out["sales_amount"] = SalesMonth.objects.aggregate(s=Sum("amount"))["s"]
    out["entry_amount"] = Entry.objects.aggregate(s=Sum("amount"))["s"]
    out["entry_month_total"] = EntryMonth.objects.aggregate(s=Sum("total"))["s"]
    out["participants_by_sex"] = dict(Participant.objects.values_list("sex").annotate(n=Count("id")))
    out["requests_by_state"] = dict(ServiceRequest.objects.values_list("state").annotate(n=Count("id")))
    digest = hashlib.sha256()
    for row in Post.objects.order_by("slug").values_list("slug", "region_id", "status", "sk_number",
                                                         "skt_valid_until"):  # fmt: skip
        digest.update(repr(row).encode())
    for row in Order.objects.order_by("code").values_list("code", "post__slug", "state", "total", "sale_date"):
        digest.update(repr(row).encode())
    out["digest"] = digest.hexdigest()
    return out

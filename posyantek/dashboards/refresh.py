"""Keep the summary tables (`PostFigures`, `RegionFigures`) current, set-based, at national scale.

`refresh_posts(ids)` counts every indicator of a chunk of posts with one grouped query per indicator (GROUP BY post,
year; the monthly rollups `orders.SalesMonth` and `finance.EntryMonth` stand in for millions of orders and cash
entries), replaces the chunk's rows in one transaction, then rebuilds the rows of the regions above (kecamatan,
kab/kota, province: SQL sums over `PostFigures`, the two dict fields merged in Python; the nation from the
provinces). Nothing loops over posts with queries; raw rows never reach Python. The definitions are those of
`dashboards.counts` (the oracle the tests compare against).

Writes mark their post dirty (`mark_dirty`, from `core.audit.record` on commit) and enqueue the
`refresh_dirty_figures` task; `manage.py refresh_figures` refreshes everything nightly, which also moves the
standing that depends on today's date (an SKT or a board term running out).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case, Count, DateField, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from posyantek.catalog.models import Adoption, Innovator, Need, Ttg, TtgStageChange
from posyantek.consultations.models import ServiceRequest
from posyantek.contests.models import Entry as ContestEntry
from posyantek.contests.models import Result
from posyantek.dashboards import counts as c
from posyantek.dashboards.indicators import SUMMED_KEYS
from posyantek.dashboards.models import ALL_YEARS, DirtyPost, PostFigures, RegionFigures
from posyantek.finance.models import Budget, BudgetLine, EntryMonth
from posyantek.finance.models import Entry as CashEntry
from posyantek.orders.models import SalesMonth
from posyantek.partnerships.models import Agreement
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit

#: Posts per chunk: bounds memory and the length of `IN` lists.
CHUNK = 1000
LEVEL_FIELDS = {3: "district_code", 2: "city_code", 1: "province_code"}


class DaysBetween(models.Func):
    """Whole calendar days from one date expression to another (an integer), on SQLite and PostgreSQL."""

    output_field = IntegerField()
    arity = 2

    def _parts(self, compiler: Any) -> tuple[str, str, tuple[Any, ...]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return start_sql, end_sql, (*end_params, *start_params)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._parts(compiler)
        return f"(({end})::date - ({start})::date)", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._parts(compiler)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", params


class Year(ExtractYear):
    """The year of a date, or of a datetime's Jakarta date (with `tzinfo`), in native SQL on SQLite too.

    Django's SQLite date functions are Python callbacks, a few microseconds per row: minutes over millions of rows.
    SQLite stores datetimes as UTC text, and Jakarta is UTC+7 all year (no daylight saving since 1964).
    """

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        if self.tzinfo is not None:
            return f"CAST(strftime('%%Y', {sql}, '+7 hours') AS INTEGER)", params
        return f"CAST(substr({sql}, 1, 4) AS INTEGER)", params


class JakartaDate(TruncDate):
    """The Jakarta date of a datetime, in native SQL on SQLite too (see `Year`)."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, tzinfo=c.JAKARTA)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, '+7 hours')", params


def _year(field: str) -> Year:
    """The Jakarta year of a datetime field."""
    return Year(field, tzinfo=c.JAKARTA)


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _codes(region_id: str) -> tuple[str, str, str]:
    parts = region_id.split(".")
    return parts[0], ".".join(parts[:2]) if len(parts) > 1 else "", ".".join(parts[:3]) if len(parts) > 2 else ""


class _Acc:
    """Figures of a chunk of posts being counted: {(post, year): {key: value}}."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, int], dict[str, Any]] = defaultdict(dict)

    def add(self, post_id: int, year: int | None, key: str, value: Any, *, all_years: bool = True) -> None:
        if not value or year is None:
            return
        targets = [(post_id, int(year))] + ([(post_id, ALL_YEARS)] if all_years else [])
        for target in targets:
            row = self.rows[target]
            row[key] = row.get(key, 0) + value

    def add_to(self, post_id: int, year: int | None, key: str, sub: str, value: int) -> None:
        """Add to a dict field (funding, resolved_days), in the year and in year 0."""
        if not value or year is None:
            return
        for target in ((post_id, int(year)), (post_id, ALL_YEARS)):
            row = self.rows[target].setdefault(key, {})
            row[sub] = row.get(sub, 0) + value


def _count_chunk(post_q: dict[str, Any], acc: _Acc, this_year: int) -> None:
    """Run the grouped queries of every indicator for the posts selected by `post_q` ({"post_id__in": ids})."""

    def on(prefix: str) -> dict[str, Any]:
        return {f"{prefix}{k}": v for k, v in post_q.items()}

    requests = ServiceRequest.objects.filter(**on(""))
    for p, y, n in requests.values_list("post_id", _year("received_at")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "requests_received", n)
    days = DaysBetween(JakartaDate("received_at"), JakartaDate("closed_at"))
    resolved = requests.filter(state=c.RESOLVED, closed_at__isnull=False)
    for p, y, d, n in resolved.values_list("post_id", _year("closed_at"), days).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "requests_resolved", n)
        acc.add_to(p, y, "resolved_days", str(d), n)

    held = Bintek.objects.filter(**on(""), state__in=c.BINTEK_HELD)
    for p, y, n in held.values_list("post_id", Year("ends_on")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "bintek_held", n)
    participants = Participant.objects.filter(**on("bintek__"), bintek__state__in=c.BINTEK_HELD)
    for p, y, sex, n in (
        participants.values_list("bintek__post_id", Year("bintek__ends_on"), "sex")
        .annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        key = {"L": "participants_male", "P": "participants_female"}.get(sex)
        if key:
            acc.add(p, y, key, n)

    ttgs = Ttg.objects.filter(**on(""))
    for p, y, n in ttgs.values_list("post_id", _year("created")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "ttg_catalogued", n)
    first = TtgStageChange.objects.filter(ttg=OuterRef("pk"), stage__in=c.TTG_PRODUCED).order_by("changed_on")
    produced = (
        ttgs.annotate(first=Subquery(first.values("changed_on")[:1]))
        .filter(Q(first__isnull=False) | Q(stage__in=c.TTG_PRODUCED))
        .annotate(day=Coalesce("first", JakartaDate("created"), output_field=DateField()))
    )
    for p, y, n in produced.values_list("post_id", Year("day")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "ttg_produced", n)
    adoptions = Adoption.objects.filter(**on("ttg__"))
    for p, y, n, units, villages in (
        adoptions.values_list("ttg__post_id", Year("applied_on"))
        .annotate(n=Count("pk"), u=Sum("units"), v=Count("region_id", distinct=True)).order_by()
    ):  # fmt: skip
        acc.add(p, y, "ttg_adopted", n)
        acc.add(p, y, "adoption_units", units)
        acc.add(p, y, "adoption_villages", villages, all_years=False)
    for p, villages in adoptions.values_list("ttg__post_id").annotate(v=Count("region_id", distinct=True)).order_by():
        acc.add(p, ALL_YEARS, "adoption_villages", villages, all_years=False)

    innovators = Innovator.objects.filter(**on(""))
    for p, y, n in innovators.values_list("post_id", _year("created")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "innovators", n)
    needs = Need.objects.filter(**on("innovator__")).exclude(status=Need.Status.MET)
    for p, y, n in needs.values_list("innovator__post_id", _year("created")).annotate(n=Count("pk")).order_by():
        acc.add(p, y, "needs_unmet", n)

    sales = SalesMonth.objects.filter(**on(""))
    for p, y, out, n, amount in (
        sales.values_list("post_id", Year("month"), "out_of_region")
        .annotate(n=Sum("orders_once"), a=Sum("amount")).order_by()
    ):  # fmt: skip
        suffix = "out_region" if out else "in_region"
        acc.add(p, y, f"orders_{suffix}", int(n or 0))
        acc.add(p, y, f"sales_{suffix}", int(amount or 0))

    money = EntryMonth.objects.filter(**on(""))
    for p, y, kind, source, total in (
        money.values_list("post_id", Year("month"), "kind", "source").annotate(t=Sum("total")).order_by()
    ):
        total = int(total or 0)
        if kind == CashEntry.Kind.INCOME:
            acc.add(p, y, "income_total", total)
            acc.add_to(p, y, "funding", source, total)
        else:
            acc.add(p, y, "spent_total", total)
    lines = BudgetLine.objects.filter(**on("budget__"), budget__state=Budget.State.APPROVED)
    for p, y, total in lines.values_list("budget__post_id", "budget__year").annotate(t=Sum("amount")).order_by():
        acc.add(p, y, "budget_total", int(total or 0))

    valid_from = Coalesce("starts_on", "signed_on", JakartaDate("created"), output_field=DateField())
    agreements = Agreement.objects.filter(**on(""), state__in=c.AGREEMENT_SIGNED)
    for p, first_year, last_year, n in (
        agreements.values_list("post_id", Year(valid_from), Year("ends_on"))
        .annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        acc.add(p, ALL_YEARS, "partnerships_active", n, all_years=False)
        for y in range(first_year, min(last_year or this_year, this_year) + 1):
            acc.add(p, y, "partnerships_active", n, all_years=False)

    visits = Visit.objects.filter(**on(""), state__in=c.VISIT_DONE)
    for p, y, direction, n in (
        visits.values_list("post_id", Year("starts_on"), "direction").annotate(n=Count("pk")).order_by()
    ):
        acc.add(p, y, "visits_hosted" if direction == Visit.Direction.INCOMING else "visits_made", n)

    entries = ContestEntry.objects.filter(**on("")).exclude(state=c.ENTRY_WITHDRAWN)
    for p, y, n in entries.values_list("post_id", "edition__year").annotate(n=Count("pk")).order_by():
        acc.add(p, y, "contest_entries", n)
    awards = Result.objects.filter(**on("entry__"), edition__published_at__isnull=False).exclude(award="")
    for p, y, n in awards.values_list("entry__post_id", "edition__year").annotate(n=Count("pk")).order_by():
        acc.add(p, y, "contest_awards", n)


#: The Figures columns, in the order rows are written.
FIGURE_COLUMNS = (*SUMMED_KEYS, "funding", "resolved_days", "median_days")
POST_COLUMNS = ("post_id", "year", "region_code", "province_code", "city_code", "district_code", *c.STANDING_FLAGS,
                *FIGURE_COLUMNS, "refreshed_at")  # fmt: skip
REGION_STANDING_KEYS = ("posts_total", *c.REGION_STANDING)
REGION_COLUMNS = ("code", "level", "year", *REGION_STANDING_KEYS, *FIGURE_COLUMNS, "refreshed_at")
_JSON = PostFigures._meta.get_field("funding")


def _figures(values: dict[str, Any]) -> tuple[Any, ...]:
    """Return the Figures columns of one row from accumulated values (missing ones zero, the median computed)."""
    funding = {k: v for k, v in sorted(values.get("funding", {}).items()) if v}
    histogram = {k: v for k, v in values.get("resolved_days", {}).items() if v}
    ordered = dict(sorted(histogram.items(), key=lambda kv: int(kv[0])))
    return (
        *(int(values.get(k) or 0) for k in SUMMED_KEYS),
        _json(funding),
        _json(ordered),
        c.median_from_histogram(histogram) if histogram else None,
    )


_EMPTY_JSON: dict[str, Any] = {}


def _json(value: dict[str, Any]) -> Any:
    """Return a dict ready for the database (most rows hold empty ones: prepared once per backend)."""
    if value:
        return _JSON.get_db_prep_save(value, connection)
    if connection.vendor not in _EMPTY_JSON:
        _EMPTY_JSON[connection.vendor] = _JSON.get_db_prep_save({}, connection)
    return _EMPTY_JSON[connection.vendor]


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows: a national refresh writes half a million, and building a model instance per row (what
    `bulk_create` needs) would take minutes. SQLite takes them in-process (`executemany`); PostgreSQL by COPY."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table, names = qn(model._meta.db_table), ", ".join(qn(model._meta.get_field(col).column) for col in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):  # psycopg 3
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - model names


def _refresh_chunk(ids: list[int], on: dt.date, now: Any) -> set[str]:
    """Recount one chunk of posts and replace their rows; return the region codes (all levels) they touch."""
    acc = _Acc()
    _count_chunk({"post_id__in": ids}, acc, on.year)
    years: dict[int, set[int]] = defaultdict(lambda: {ALL_YEARS})
    for pk, year in acc.rows:
        years[pk].add(year)
    posts = Post.objects.filter(pk__in=ids).annotate(**c.standing_annotations(on))
    rows: list[tuple[Any, ...]] = []
    touched: set[str] = set()
    for pk, region_id, *flags in posts.values_list("pk", "region_id", *c.STANDING_FLAGS).order_by("pk"):
        province, city, district = _codes(region_id)
        touched.update(code for code in (province, city, district) if code)
        standing = tuple(bool(v) for v in flags)
        for year in sorted(years[pk]):
            figures = _figures(acc.rows.get((pk, year), {}))
            rows.append((pk, year, region_id, province, city, district, *standing, *figures, now))
    with transaction.atomic():
        # Two refreshes of the same posts (the task and the nightly run) take turns here on PostgreSQL; SQLite
        # serialises write transactions anyway.
        list(Post.objects.select_for_update(no_key=True).filter(pk__in=ids).values_list("pk", flat=True))
        old = PostFigures.objects.filter(post_id__in=ids, year=ALL_YEARS)
        for codes in old.values_list("province_code", "city_code", "district_code"):
            touched.update(code for code in codes if code)
        PostFigures.objects.filter(post_id__in=ids).delete()
        _insert(PostFigures, POST_COLUMNS, rows)
    return touched


def _flag_sum(field: str) -> Sum:
    return Sum(Case(When(**{field: True}, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _two_maps() -> dict[str, Any]:
    return {"funding": Counter(), "resolved_days": Counter()}


def _province_rows(province: str, wanted: dict[int, set[str]], now: Any) -> list[tuple[Any, ...]]:
    """Return the rows of the wanted regions of one province (levels 1–3), summed from its posts' rows.

    The numbers are SQL sums per level; the two dicts are merged in one pass over the province's rows.
    """
    source = PostFigures.objects.filter(province_code=province)
    sums = {k: Sum(k) for k in SUMMED_KEYS}
    standing = {"posts_total": Count("pk"), **{k: _flag_sum(f) for k, f in c.REGION_STANDING.items()}}
    totals: dict[tuple[int, str, int], dict[str, Any]] = {}
    for level, field in LEVEL_FIELDS.items():
        for part in _chunks(sorted(wanted[level]), 500):
            grouped = source.filter(**{f"{field}__in": part}).values(field, "year").annotate(**sums, **standing)
            for row in grouped.order_by():
                totals[(level, row.pop(field), row.pop("year"))] = row
    maps: dict[tuple[int, str, int], dict[str, Counter[str]]] = defaultdict(_two_maps)
    fields = ("district_code", "city_code", "province_code", "year", "funding", "resolved_days")
    for district, city, prov, year, funding, histogram in source.values_list(*fields).iterator(chunk_size=5000):
        if not funding and not histogram:
            continue
        for level, code in ((3, district), (2, city), (1, prov)):
            if code in wanted[level]:
                into = maps[(level, code, year)]
                into["funding"].update(funding)
                into["resolved_days"].update(histogram)
    rows = []
    for (level, code, year), values in totals.items():
        base = totals[(level, code, ALL_YEARS)]
        standing_today = tuple(int(base[k] or 0) for k in REGION_STANDING_KEYS)
        merged = {**values, **maps.get((level, code, year), {})}
        rows.append((code, level, year, *standing_today, *_figures(merged), now))
    return rows


def _nation_rows(now: Any) -> list[tuple[Any, ...]]:
    """Return the nation's rows, summed from the province rows."""
    fields = (*SUMMED_KEYS, *REGION_STANDING_KEYS)
    merged: dict[int, dict[str, Any]] = defaultdict(_two_maps)
    for row in RegionFigures.objects.filter(level=1).values("year", "funding", "resolved_days", *fields):
        into = merged[row["year"]]
        for k in fields:
            into[k] = into.get(k, 0) + row[k]
        into["funding"].update(row["funding"])
        into["resolved_days"].update(row["resolved_days"])
    base = merged.get(ALL_YEARS, {})
    standing = tuple(int(base.get(k, 0)) for k in REGION_STANDING_KEYS)
    return [("", 0, year, *standing, *_figures(values), now) for year, values in merged.items()]


def _lock_regions(which: Q) -> None:
    """Take turns with another refresh rewriting the same regions' rows (PostgreSQL; a no-op on SQLite)."""
    list(Region.objects.select_for_update(no_key=True).filter(which).order_by("code").values_list("code", flat=True))


def _refresh_regions(touched: set[str], now: Any, *, everything: bool) -> None:
    """Rebuild the rows of the touched regions (every level), province by province, then the nation's."""
    by_province: dict[str, dict[int, set[str]]] = defaultdict(lambda: {1: set(), 2: set(), 3: set()})
    codes = set(touched)
    if everything:  # also the regions left without posts, to drop their rows
        codes |= set(RegionFigures.objects.exclude(level=0).values_list("code", flat=True).distinct())
    for code in codes:
        by_province[code.split(".")[0]][code.count(".") + 1].add(code)
    for province, wanted in sorted(by_province.items()):
        rows = _province_rows(province, wanted, now)
        with transaction.atomic():
            _lock_regions(Q(code=province))
            for part in _chunks(sorted(set().union(*wanted.values())), 500):
                RegionFigures.objects.filter(code__in=part).delete()
            _insert(RegionFigures, REGION_COLUMNS, rows)
    with transaction.atomic():
        _lock_regions(Q(level=1))
        rows = _nation_rows(now)
        RegionFigures.objects.filter(code="").delete()
        _insert(RegionFigures, REGION_COLUMNS, rows)


def refresh_posts(post_ids: Iterable[int] | None = None) -> int:
    """Recount the figures of `post_ids` (None: every post) and of the regions above them; return the posts done.

    Bumps the page-cache data version afterwards, so cached pages show the new figures.
    """
    from posyantek.core.audit import _bump_version

    now = timezone.now()
    on = c.today()
    stamp = PostFigures._meta.get_field("refreshed_at").get_db_prep_save(now, connection)
    everything = post_ids is None
    ids = sorted(Post.objects.values_list("pk", flat=True)) if everything else sorted(set(post_ids or ()))
    touched: set[str] = set()
    for chunk in _chunks(ids):
        touched |= _refresh_chunk(chunk, on, stamp)
    if ids or everything:
        _refresh_regions(touched, stamp, everything=everything)
        transaction.on_commit(_bump_version)
    if everything:  # marks made before this run are covered by it
        DirtyPost.objects.filter(since__lte=now).delete()
    return len(ids)


def mark_dirty(post_id: int | Iterable[int]) -> None:
    """Mark posts' figures out of date (`since` = the latest mark), in one statement."""
    wanted = [post_id] if isinstance(post_id, int) else sorted(set(post_id))
    ids = list(Post.objects.filter(pk__in=wanted).values_list("pk", flat=True))  # a post deleted meanwhile: skip
    now = timezone.now()
    DirtyPost.objects.bulk_create(
        [DirtyPost(post_id=pk, since=now) for pk in ids],
        update_conflicts=True, unique_fields=["post"], update_fields=["since"],
    )  # fmt: skip


def refresh_dirty() -> int:
    """Refresh the posts marked dirty, then clear the marks not renewed meanwhile; return the posts done."""
    started = timezone.now()
    ids = list(DirtyPost.objects.filter(since__lte=started).values_list("post_id", flat=True))
    if not ids:
        return 0
    done = refresh_posts(ids)
    for part in _chunks(sorted(ids), 500):
        DirtyPost.objects.filter(post_id__in=part, since__lte=started).delete()
    return done


def freshness(code_or_post: str | int | Post) -> dt.datetime | None:
    """Return when the figures of a region (code, "" = nation) or a post (object or id) were last refreshed."""
    if isinstance(code_or_post, str):
        qs = RegionFigures.objects.filter(code=code_or_post, year=ALL_YEARS)
    else:
        post_id = code_or_post.pk if isinstance(code_or_post, Post) else code_or_post
        qs = PostFigures.objects.filter(post_id=post_id, year=ALL_YEARS)
    return qs.values_list("refreshed_at", flat=True).first()

"""Generate millions of orders across the country, with their items and the monthly rollup, for bench/sales_bench.py.

About 2,000 posts, one per kecamatan drawn across every province; a few big posts, one of them Posyantek Mitra
Pantura (Kota Pekalongan), the measured one, with 5 % of all orders. Each post sells 3–15 products (a big post 40,
Mitra Pantura 80), the popular ones far more than the rest. Orders are spread over the three years up to today
(their ids growing with time); buyers mostly live near the post, some in other kabupaten/kota of its province and
some in other provinces (Java most); states, channels, one to three lines per order, quantities and agreed prices
are drawn. Rows go in with raw inserts (COPY on PostgreSQL) with the secondary indexes dropped meanwhile and rebuilt
after. The rollup (`SalesMonth`) is summed here while the orders are made, as `orders.sales.rebuild_month` sums it;
the bench then rebuilds a few months of the measured post with the app's code and checks both agree.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from posyantek.dashboards.national.market import ALPHABET, CHANNELS, COUNTED, JAVA, STATES
from posyantek.dashboards.national.rows import drop_indexes, insert

CHUNK = 20_000
POSTS = 2_000
MEASURED_SHARE = 0.05
BIG_POSTS = 5
BIG_SHARE = 0.02
NAMES = [
    ("Mesin Pengering Ikan", "unit", 12_500_000), ("Mesin Perontok Padi", "unit", 8_750_000),
    ("Canting Batik Listrik", "buah", 250_000), ("Alat Parut Kelapa", "unit", 1_500_000),
    ("Kompor Biomassa", "unit", 900_000), ("Mesin Pencacah Rumput", "unit", 6_500_000),
    ("Alat Penyaring Air", "unit", 2_250_000), ("Pompa Hidram", "unit", 4_800_000),
    ("Mesin Pengupas Kopi", "unit", 7_200_000), ("Alat Pembuat Briket", "unit", 3_400_000),
    ("Mesin Pembuat Pakan Ikan", "unit", 15_000_000), ("Alat Penetas Telur", "unit", 1_750_000),
    ("Keripik Singkong", "kg", 45_000), ("Batik Tulis Pekalongan", "lembar", 650_000), ("Kopi Bubuk", "kg", 120_000),
    ("Gula Semut", "kg", 40_000), ("Panel Surya Mini", "unit", 2_900_000),
    ("Mesin Penggiling Cabai", "unit", 3_100_000), ("Alat Pengasap Ikan", "unit", 5_600_000),
    ("Komposter Rumah Tangga", "unit", 350_000),
]  # fmt: skip
TYPES = ["", " Tipe A", " Tipe B", " Mini", " Kapasitas 50 kg", " Kapasitas 100 kg", " Portabel", " Listrik"]
#: Where buyers live: the post's kabupaten/kota, another one of its province, another province.
REACH_SMALL = (0.55, 0.30, 0.15)
REACH_BIG = (0.35, 0.25, 0.40)


@dataclass
class Generated:
    """What the bench needs to know about the generated data."""

    measured_post: int
    measured_region: str
    orders: int
    items: int
    rollup_rows: int
    counted: int
    measured_orders: int
    first_day: dt.date
    last_day: dt.date
    timings: dict[str, float] = field(default_factory=dict)


def _weighted(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(itertools.accumulate(weights))


def _pick(rng: random.Random, values: list[Any], cum: list[float]) -> Any:
    return values[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _code(i: int) -> str:
    """Return a 10-character code for order `i`, in the order of `i` (so the unique index grows at its end)."""
    return "".join(ALPHABET[(i >> (5 * k)) & 31] for k in range(9, -1, -1))


class Rows:
    """Build a model's rows in its column order from the values given, the field defaults filling the rest."""

    def __init__(self, model: Any, connection: Any) -> None:
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.table = model._meta.db_table
        self.defaults = []
        for f in self.fields:
            default = f.get_default()
            if default is None and not f.null and f.attname != "id":
                self.defaults.append(KeyError)
            else:
                self.defaults.append(f.get_db_prep_save(default, connection) if default is not None else None)
        self.names = [f.attname for f in self.fields]

    def row(self, values: dict[str, Any]) -> list[Any]:
        out = []
        for name, default in zip(self.names, self.defaults, strict=True):
            if name in values:
                out.append(values[name])
            elif default is KeyError:
                raise KeyError(f"{self.table}.{name} needs a value in bench/sales_data.py")
            else:
                out.append(default)
        return out


def generate(total: int, rng: random.Random, today: dt.date) -> Generated:  # noqa: C901, PLR0915 - one pass
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from posyantek.orders.models import Order, OrderItem, SalesMonth
    from posyantek.posts.models import Post
    from posyantek.products.models import Product
    from posyantek.regions.models import Region

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    # --- posts: one per kecamatan drawn across the country; Mitra Pantura measured --------------------------------
    kecamatan = dict(Region.objects.filter(level=3).values_list("code", "name"))
    cities: dict[str, list[str]] = defaultdict(list)  # province → kabupaten/kota
    for code in Region.objects.filter(level=2).values_list("code", flat=True):
        cities[code[:2]].append(code)
    kec_of_city: dict[str, list[str]] = defaultdict(list)
    for code in kecamatan:
        kec_of_city[code[:5]].append(code)
    measured_code = "33.75.03"
    chosen = [measured_code, *rng.sample(sorted(c for c in kecamatan if c != measured_code), POSTS - 1)]
    by_province: dict[str, list[str]] = defaultdict(list)
    for code in chosen[1:]:
        by_province[code[:2]].append(code)
    big_codes = [by_province[p][0] for p in ("35", "32", "73", "51", "12") if by_province.get(p)][:BIG_POSTS]
    Post.objects.bulk_create(
        [Post(name="Posyantek Mitra Pantura" if c == measured_code else f"Posyantek {kecamatan[c].title()}",
              slug="mitra-pantura" if c == measured_code else f"bench-{c.replace('.', '-')}", kind="antar_desa",
              region_id=c) for c in chosen], batch_size=2000)  # fmt: skip
    post_of = dict(Post.objects.filter(region_id__in=chosen).values_list("region_id", "pk"))
    measured = post_of[measured_code]

    # --- products: a few per post, the popular ones far more ---------------------------------------------------
    now = timezone.now()
    products = []
    for code in chosen:
        n = 80 if code == measured_code else 40 if code in big_codes else rng.randint(3, 15)
        for k in range(n):
            name, unit, price = NAMES[(k + len(code)) % len(NAMES)] if k < len(NAMES) else rng.choice(NAMES)
            variant = TYPES[(k // len(NAMES)) % len(TYPES)] if k >= len(NAMES) else ""
            products.append(Product(post_id=post_of[code], region_id=code, name=f"{name}{variant}", unit=unit,
                                    price=max(1000, int(price * rng.uniform(0.7, 1.4)) // 1000 * 1000),
                                    stock=rng.randint(0, 50), created=now, updated=now))  # fmt: skip
    Product.objects.bulk_create(products, batch_size=2000)
    catalogue: dict[int, tuple[list[tuple[int, str, str, int]], list[float]]] = {}
    rows_by_post: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    for pk, post_id, name, unit, price in Product.objects.order_by("pk").values_list("pk", "post_id", "name", "unit",
                                                                                      "price"):  # fmt: skip
        rows_by_post[post_id].append((pk, name, unit, price))
    for post_id, items in rows_by_post.items():
        catalogue[post_id] = (items, list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(items)))))
    timings["posts_products_s"] = time.perf_counter() - t0

    # --- who orders where ----------------------------------------------------------------------------------------
    post_ids = [post_of[c] for c in chosen]
    region_of = {post_of[c]: c for c in chosen}
    small_weights = [math.exp(rng.gauss(0, 0.6)) for _ in chosen]
    small_total = sum(small_weights[1 + len(big_codes) :]) or 1.0
    rest = 1 - MEASURED_SHARE - BIG_SHARE * len(big_codes)
    shares = []
    for c, w in zip(chosen, small_weights, strict=True):
        shares.append(MEASURED_SHARE if c == measured_code else BIG_SHARE if c in big_codes else rest * w / small_total)
    post_cum = list(itertools.accumulate(shares))
    big_set = {post_of[c] for c in big_codes} | {measured}
    provinces = sorted(cities)
    prov_values, prov_cum = _weighted([(p, len(cities[p]) * (4 if p in JAVA else 1)) for p in provinces])
    state_values, state_cum = _weighted(STATES)
    ch_values, ch_cum = _weighted(CHANNELS)
    span_days = 3 * 365
    first_day = today - dt.timedelta(days=span_days)
    tz = timezone.get_default_timezone()

    order_rows, item_rows, month_rows = (
        Rows(Order, connection),
        Rows(OrderItem, connection),
        Rows(SalesMonth, connection),
    )
    adapt_dt, adapt_d = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    # (post, month, product, province, out of region, out of province, channel) → [orders, quantity, amount]
    rollup: dict[tuple[Any, ...], list[int]] = {}
    # (post, month, province, flags, channel) → [orders, the lowest product id among its rows]
    groups: dict[tuple[Any, ...], list[int]] = {}
    counted = measured_orders = 0
    item_id = 0
    pg = connection.vendor == "postgresql"

    def order(i: int) -> tuple[list[Any], list[list[Any]]]:
        nonlocal counted, measured_orders, item_id
        post = post_ids[bisect.bisect_right(post_cum, rng.random() * post_cum[-1])]
        home = region_of[post]
        reach = REACH_BIG if post in big_set else REACH_SMALL
        r = rng.random()
        if r < reach[0]:
            buyer_region = rng.choice(kec_of_city[home[:5]] or [home])
        elif r < reach[0] + reach[1] and len(cities[home[:2]]) > 1:
            buyer_region = rng.choice([c for c in cities[home[:2]] if c != home[:5]])
        else:
            prov = _pick(rng, prov_values, prov_cum)
            while prov == home[:2]:
                prov = _pick(rng, prov_values, prov_cum)
            buyer_region = rng.choice(cities[prov])
        province = buyer_region[:2]
        out_region, out_province = buyer_region[:5] != home[:5], province != home[:2]
        day = first_day + dt.timedelta(days=(i - 1) * span_days // total)  # ids grow with time, as in real use
        ordered = dt.datetime.combine(day, dt.time(rng.randrange(7, 21), rng.randrange(60)), tzinfo=tz)
        state = _pick(rng, state_values, state_cum)
        channel = _pick(rng, ch_values, ch_cum)
        confirmed = state in COUNTED or (state in ("dibatalkan", "retur") and (state == "retur" or rng.random() < 0.6))
        sale_day = min(day + dt.timedelta(days=rng.randrange(4)), today) if confirmed else None
        catalog, cum = catalogue[post]
        r = rng.random()
        n_lines = 1 if r < 0.75 or len(catalog) < 3 else 2 if r < 0.93 else 3
        lines = {}
        while len(lines) < n_lines:
            pk, name, unit, price = catalog[bisect.bisect_right(cum, rng.random() * cum[-1])]
            lines[pk] = (name, unit, price)
        items, subtotal = [], 0
        is_counted = state in COUNTED
        month = sale_day.replace(day=1) if is_counted else None
        for pk, (name, unit, price) in sorted(lines.items()):
            q = rng.choice((1, 1, 1, 2, 2, 3, 5)) if price >= 500_000 else rng.choice((1, 2, 5, 10, 20, 50))
            agreed = price if rng.random() < 0.8 else price * 9 // 10 // 1000 * 1000
            subtotal += q * agreed
            item_id += 1
            items.append(item_rows.row({"id": item_id, "order_id": i, "product_id": pk, "name": name, "unit": unit,
                                        "quantity": q, "unit_price": agreed, "made_to_order": False}))  # fmt: skip
            if is_counted:
                key = (post, month, pk, province, out_region, out_province, channel)
                acc = rollup.get(key)
                if acc is None:
                    rollup[key] = [1, q, q * agreed]
                else:
                    acc[0] += 1
                    acc[1] += q
                    acc[2] += q * agreed
        if is_counted:
            counted += 1
            g = groups.get((post, month, province, out_region, out_province, channel))
            low = min(lines)
            if g is None:
                groups[(post, month, province, out_region, out_province, channel)] = [1, low]
            else:
                g[0] += 1
                g[1] = min(g[1], low)
        if post == measured:
            measured_orders += 1
        shipping = rng.choice((0, 0, 25_000, 50_000, 150_000, 400_000))
        total_ = subtotal + shipping
        paid = total_ if state in ("lunas", "garansi") else total_ * 3 // 10 if state in COUNTED else 0
        when = adapt_dt(ordered)
        code = _code(i)
        values = {
            "id": i, "region_id": home, "created": when, "updated": when, "version": 1, "post_id": post, "code": code,
            "checkout_ref": code, "state": state, "channel": channel, "agent_id": None, "exhibition_id": None,
            "buyer_name": f"Pembeli {i}", "buyer_phone": f"62812{i % 10**8:08d}", "buyer_email": "",
            "buyer_institution": "", "buyer_address": f"Jl. Contoh No. {i % 200 + 1}", "buyer_region_id": buyer_region,
            "buyer_province_code": province, "out_of_region": out_region, "out_of_province": out_province,
            "buyer_note": "", "ordered_at": when,
            "confirmed_at": adapt_dt(ordered + dt.timedelta(hours=rng.randrange(1, 72))) if confirmed else None,
            "sale_date": adapt_d(sale_day) if sale_day else None, "subtotal": subtotal, "shipping_cost": shipping,
            "discount": 0, "total": total_, "down_payment": total_ * 3 // 10 if confirmed else 0, "paid_total": paid,
        }  # fmt: skip
        return order_rows.row(values), items

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if not pg:
            # One big write: no write-ahead log to fill and copy back (the app's setting is restored after).
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA foreign_keys = OFF")
    tables = [Order._meta.db_table, OrderItem._meta.db_table, SalesMonth._meta.db_table]
    with transaction.atomic():
        index_sql = drop_indexes(connection, tables)
        with connection.cursor() as cursor:
            if pg:
                cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers during the load
            else:
                cursor.execute("PRAGMA cache_size = -1000000")
        raw = connection.connection
        for first in range(1, total + 1, CHUNK):
            o_rows, i_rows = [], []
            for i in range(first, min(total, first + CHUNK - 1) + 1):
                row, items = order(i)
                o_rows.append(row)
                i_rows.extend(items)
            insert(raw, pg, order_rows, o_rows)
            insert(raw, pg, item_rows, i_rows)
            if first % 1_000_000 == 1 and first > 1:
                print(f"    {first - 1:,} orders, {time.perf_counter() - t0:.0f} s", flush=True)
        timings["orders_items_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        # Each order counted once, on the row of its group with the lowest product id (as rebuild_month does).
        names = {pk: name for items in rows_by_post.values() for pk, name, _unit, _price in items}
        batch, n_rollup = [], 0
        # In (post, month) order, as the app writes a month's rows together.
        for key, (orders_n, qty, amount) in sorted(rollup.items(), key=lambda kv: kv[0][:3]):
            post, month, pk, province, out_region, out_province, channel = key
            g = groups[(post, month, province, out_region, out_province, channel)]
            n_rollup += 1
            batch.append(month_rows.row({
                "id": n_rollup, "post_id": post, "region_id": region_of[post], "month": adapt_d(month),
                "product_id": pk, "product_name": names[pk], "buyer_province_code": province,
                "out_of_region": out_region, "out_of_province": out_province, "channel": channel, "orders": orders_n,
                "orders_once": g[0] if g[1] == pk else 0, "quantity": qty, "amount": amount}))  # fmt: skip
            if len(batch) >= CHUNK:
                insert(raw, pg, month_rows, batch)
                batch = []
        insert(raw, pg, month_rows, batch)
        timings["rollup_s"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in index_sql:
                cursor.execute(sql)
            if pg:
                for table, n in ((tables[0], total), (tables[1], item_id), (tables[2], n_rollup)):
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max(n, 1)])
        timings["indexes_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        if pg:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - t1
    return Generated(measured_post=measured, measured_region=measured_code, orders=total, items=item_id,
                     rollup_rows=n_rollup, counted=counted, measured_orders=measured_orders, first_day=first_day,
                     last_day=today, timings={k: round(v, 1) for k, v in timings.items()})  # fmt: skip

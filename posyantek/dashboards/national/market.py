"""Products, orders with their lines, and the monthly sales rollup (`orders.SalesMonth`) of the national data set.

Adapted from bench/sales_data.py (same states, channels, reach of buyers and rollup rules as `orders.sales`), for
every post of the country. Orders are made in date order (ids grow with time, as in real use) and the rollup of a
month is summed while its orders are made and written as soon as no later order can fall in it, so the process
never holds more than about a month of rollup.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

from posyantek.dashboards.national.context import JAKARTA, Context, month_start
from posyantek.dashboards.national.rows import CHUNK, Buffer, drop_indexes
from posyantek.orders import workflow

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NAMES = [
    ("Mesin Pengering Ikan", "unit", 12_500_000), ("Mesin Perontok Padi", "unit", 8_750_000),
    ("Canting Batik Listrik", "buah", 250_000), ("Alat Parut Kelapa", "unit", 1_500_000),
    ("Kompor Biomassa", "unit", 900_000), ("Mesin Pencacah Rumput", "unit", 6_500_000),
    ("Alat Penyaring Air", "unit", 2_250_000), ("Pompa Hidram", "unit", 4_800_000),
    ("Mesin Pengupas Kopi", "unit", 7_200_000), ("Alat Pembuat Briket", "unit", 3_400_000),
    ("Mesin Pembuat Pakan Ikan", "unit", 15_000_000), ("Alat Penetas Telur", "unit", 1_750_000),
    ("Keripik Singkong", "kg", 45_000), ("Batik Tulis", "lembar", 650_000), ("Kopi Bubuk", "kg", 120_000),
    ("Gula Semut", "kg", 40_000), ("Panel Surya Mini", "unit", 2_900_000),
    ("Mesin Penggiling Cabai", "unit", 3_100_000), ("Alat Pengasap Ikan", "unit", 5_600_000),
    ("Komposter Rumah Tangga", "unit", 350_000),
]  # fmt: skip
STATES = [("permintaan", 5), ("dikonfirmasi", 4), ("produksi", 3), ("siap_kirim", 3), ("dikirim", 5),
          ("diterima", 9), ("lunas", 56), ("garansi", 5), ("dibatalkan", 7), ("retur", 3)]  # fmt: skip
COUNTED = workflow.COUNTED  # the states the sales analysis counts, from the orders app itself
CHANNELS = [("pasar", 30), ("whatsapp", 25), ("langsung", 14), ("pameran", 10), ("agen", 8), ("media_sosial", 7),
            ("lokapasar", 4), ("e_katalog", 2)]  # fmt: skip
JAVA = {"31", "32", "33", "34", "35", "36"}
REACH = (0.55, 0.30, 0.15)  # the post's kabupaten/kota, another of its province, another province
ORDERS = 5_000_000


PAIRS = [a + b for a in ALPHABET for b in ALPHABET]


def _code(i: int) -> str:
    """A 10-character order code from the id (unique, growing with it), as bench/sales_data.py makes it."""
    return PAIRS[(i >> 40) & 1023] + PAIRS[(i >> 30) & 1023] + PAIRS[(i >> 20) & 1023] + PAIRS[(i >> 10) & 1023] + (
        PAIRS[i & 1023])  # fmt: skip


def _weighted(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(itertools.accumulate(weights))


def make_products(ctx: Context) -> dict[int, tuple[list[tuple[int, str, str, int]], list[float]]]:
    """A few products per post (a village post 1–6, a kecamatan post 3–15); return each post's catalogue."""
    from posyantek.products.models import Product

    rng = ctx.rng("products")
    table = ctx.table(Product)
    make = table.maker("id", "region_id", "created", "updated", "post_id", "name", "price", "unit", "stock")
    pk = table.next_id()
    stamp = ctx.dt(ctx.now)
    buf = Buffer(table)
    catalogue = {}
    for post in ctx.posts:
        n = rng.randint(1, 6) if post.kind == "desa" else rng.randint(3, 15)
        items = []
        for k in range(n):
            name, unit, price = NAMES[(k + post.id) % len(NAMES)]
            price = max(1000, int(price * rng.uniform(0.7, 1.4)) // 1000 * 1000)
            buf.add(make(pk, post.region, stamp, stamp, post.id, name, price, unit, rng.randint(0, 50)))
            items.append((pk, name, unit, price))
            pk += 1
        catalogue[post.id] = (items, list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(n))))
    buf.flush()
    table.sync_sequence()
    ctx.counts["products"] = buf.written
    return catalogue


def make_orders(ctx: Context) -> None:  # noqa: C901, PLR0915 - one pass over every order
    """Write the orders, their lines and the monthly rollup, consistent with `orders.sales.rebuild_month`."""
    from posyantek.orders.models import Order, OrderItem, SalesMonth
    from posyantek.regions.models import Region

    catalogue = make_products(ctx)
    rng = ctx.rng("orders")
    total = ctx.n(ORDERS)
    cities: dict[str, list[str]] = defaultdict(list)
    for code in Region.objects.filter(level=2).order_by("code").values_list("code", flat=True):
        cities[code[:2]].append(code)
    prov_values, prov_cum = _weighted([(p, len(c) * (4 if p in JAVA else 1)) for p, c in sorted(cities.items())])
    state_values, state_cum = _weighted(STATES)
    ch_values, ch_cum = _weighted(CHANNELS)
    orders_t, items_t, months_t = ctx.table(Order), ctx.table(OrderItem), ctx.table(SalesMonth)
    make_order = orders_t.maker(
        "id", "region_id", "created", "updated", "post_id", "code", "checkout_ref", "state", "channel",
        "buyer_name", "buyer_phone", "buyer_address", "buyer_region_id", "buyer_province_code", "out_of_region",
        "out_of_province", "ordered_at", "confirmed_at", "sale_date", "subtotal", "shipping_cost", "total",
        "down_payment", "paid_total")  # fmt: skip
    make_item = items_t.maker("id", "order_id", "product_id", "name", "unit", "quantity", "unit_price")
    make_month = months_t.maker(
        "id", "post_id", "region_id", "month", "product_id", "product_name", "buyer_province_code", "out_of_region",
        "out_of_province", "channel", "orders", "orders_once", "quantity", "amount")  # fmt: skip
    first_id, item_id, month_id = orders_t.next_id(), items_t.next_id(), months_t.next_id()
    o_buf, i_buf, m_buf = Buffer(orders_t), Buffer(items_t), Buffer(months_t)
    names = {pk: name for items, _ in catalogue.values() for pk, name, _u, _p in items}
    # (post, month, product, province, out of region, out of province, channel) → [orders, quantity, amount]
    rollup: dict[tuple[Any, ...], list[int]] = {}
    # (post, month, province, flags, channel) → [orders, the lowest product id among its rows]
    groups: dict[tuple[Any, ...], list[int]] = {}
    region_of = {p.id: p.region for p in ctx.posts}
    span = (ctx.today - ctx.first_day).days

    def flush_months(before: dt.date) -> None:
        nonlocal month_id
        done = sorted((k for k in rollup if k[1] < before), key=lambda k: (k[0], k[1], k[2]))
        for key in done:
            orders_n, qty, amount = rollup.pop(key)
            post, month, pk, province, out_region, out_province, channel = key
            g = groups[(post, month, province, out_region, out_province, channel)]
            m_buf.add(make_month(month_id, post, region_of[post], ctx.d(month), pk, names[pk], province, out_region,
                                 out_province, channel, orders_n, g[0] if g[1] == pk else 0, qty, amount))  # fmt: skip
            month_id += 1
        for gk in [gk for gk in groups if gk[1] < before]:
            del groups[gk]

    tables = [orders_t.table, items_t.table, months_t.table]
    index_sql = drop_indexes(ctx.connection, tables)
    bar = ctx.bar("orders", total)
    current_month = None
    counted = 0
    for n in range(total):
        i = first_id + n
        day = ctx.first_day + dt.timedelta(days=n * span // total)
        if day.replace(day=1) != current_month:
            current_month = day.replace(day=1)
            flush_months(current_month)  # sales are dated on or after the order: earlier months are complete
        post = ctx.pick_post(rng)
        home = post.district
        r = rng.random()
        if r < REACH[0]:
            buyer_region = rng.choice(post.villages)
        elif r < REACH[0] + REACH[1] and len(cities[home[:2]]) > 1:
            buyer_region = rng.choice([c for c in cities[home[:2]] if c != home[:5]])
        else:
            prov = prov_values[bisect.bisect_right(prov_cum, rng.random() * prov_cum[-1])]
            buyer_region = rng.choice(cities[prov]) if prov != home[:2] else rng.choice(cities[home[:2]])
        province = buyer_region[:2]
        out_region, out_province = buyer_region[:5] != home[:5], province != home[:2]
        ordered = dt.datetime.combine(day, dt.time(rng.randrange(7, 21), rng.randrange(60)), tzinfo=JAKARTA)
        state = state_values[bisect.bisect_right(state_cum, rng.random() * state_cum[-1])]
        channel = ch_values[bisect.bisect_right(ch_cum, rng.random() * ch_cum[-1])]
        confirmed = state in COUNTED or state == "retur" or (state == "dibatalkan" and rng.random() < 0.6)
        sale_day = min(day + dt.timedelta(days=rng.randrange(4)), ctx.today) if confirmed else None
        catalog, cum = catalogue[post.id]
        r = rng.random()
        n_lines = 1 if r < 0.75 or len(catalog) < 3 else 2 if r < 0.93 else 3
        lines: dict[int, tuple[str, str, int]] = {}
        while len(lines) < n_lines:
            pk, name, unit, price = catalog[bisect.bisect_right(cum, rng.random() * cum[-1])]
            lines[pk] = (name, unit, price)
        subtotal = 0
        is_counted = state in COUNTED
        month = month_start(sale_day) if is_counted else None
        for pk, (name, unit, price) in sorted(lines.items()):
            q = rng.choice((1, 1, 1, 2, 2, 3, 5)) if price >= 500_000 else rng.choice((1, 2, 5, 10, 20, 50))
            agreed = price if rng.random() < 0.8 else price * 9 // 10 // 1000 * 1000
            subtotal += q * agreed
            i_buf.add(make_item(item_id, i, pk, name, unit, q, agreed))
            item_id += 1
            if is_counted:
                key = (post.id, month, pk, province, out_region, out_province, channel)
                acc = rollup.get(key)
                if acc is None:
                    rollup[key] = [1, q, q * agreed]
                else:
                    acc[0] += 1
                    acc[1] += q
                    acc[2] += q * agreed
        if is_counted:
            counted += 1
            gkey = (post.id, month, province, out_region, out_province, channel)
            g = groups.get(gkey)
            low = min(lines)
            if g is None:
                groups[gkey] = [1, low]
            else:
                g[0] += 1
                g[1] = min(g[1], low)
        shipping = rng.choice((0, 0, 25_000, 50_000, 150_000, 400_000))
        total_ = subtotal + shipping
        paid = total_ if state in ("lunas", "garansi") else total_ * 3 // 10 if is_counted else 0
        when = ctx.dt(ordered)
        code = _code(i)
        o_buf.add(make_order(
            i, home, when, when, post.id, code, code, state, channel, f"Pembeli {i}", f"62812{i % 10**8:08d}",
            f"Jl. Contoh No. {i % 200 + 1}", buyer_region, province, out_region, out_province, when,
            ctx.dt(ordered + dt.timedelta(hours=rng.randrange(1, 72))) if confirmed else None,
            ctx.d(sale_day) if sale_day else None, subtotal, shipping, total_,
            total_ * 3 // 10 if confirmed else 0, paid))  # fmt: skip
        if n % CHUNK == CHUNK - 1:
            bar.update(CHUNK)
    flush_months(dt.date.max)
    for buf in (o_buf, i_buf, m_buf):
        buf.flush()
    bar.update(total % CHUNK)
    with ctx.connection.cursor() as cursor:
        for sql in index_sql:
            cursor.execute(sql)
    for t in (orders_t, items_t, months_t):
        t.sync_sequence()
    ctx.counts.update(orders=total, order_items=i_buf.written, sales_months=m_buf.written, orders_counted=counted)
    ctx.timings["orders_s"] = bar.close()

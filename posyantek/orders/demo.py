"""Demo orders: Mitra Pantura's buyers from Jakarta to Medan in every state over 14 months; a few for its Wartek
and a Jakarta post; one marketplace cart split between two posts.

Everything goes through the services, in the order it happened (every order's steps are dated in the past and all
events of all orders run in time order), so steps, payments, numbered quotes and invoices, the audit history and
the sales rollup are real. Run after the products, agents and exhibitions demos. Notifications are muted.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from posyantek.accounts.models import Grant, User
from posyantek.exhibitions.models import Exhibition
from posyantek.network.models import Agent
from posyantek.orders import notify, services
from posyantek.orders.models import Order
from posyantek.posts.models import Post
from posyantek.products.models import Product
from posyantek.regions.models import Region

logger = logging.getLogger(__name__)

#: name, institution, phone, e-mail, region (Kemendagri code, checked against the full tree), address
BUYERS = [
    ("Hendra Gunawan", "CV Samudra Jaya", "0812-8811-2301", "hendra@samudrajaya.example.com", "31.74.07",
     "Jl. Senopati No. 21, Kebayoran Baru, Jakarta Selatan"),
    ("Ratna Dewi", "Dinas Kelautan dan Perikanan Kota Semarang", "0813-2255-1102", "", "33.74.10",
     "Jl. Ngesrep Timur V No. 4, Tembalang, Semarang"),
    ("Abdul Rahman Daeng Tata", "UD Mattiro Baji", "0852-4211-7788", "rahman@mattirobaji.example.com", "73.71.14",
     "Jl. Perintis Kemerdekaan Km 9, Tamalanrea, Makassar"),
    ("Siti Rahayu", "Koperasi Tani Sukamaju", "0821-1990-3344", "", "32.73.02", "Jl. Dago No. 88, Coblong, Bandung"),
    ("Bambang Sutrisno", "Pokdakan Mina Makmur", "0811-3344-5566", "", "35.78.08",
     "Jl. Kertajaya No. 12, Gubeng, Surabaya"),
    ("Togar Simanjuntak", "CV Horas Tani", "0812-6655-4433", "togar@horastani.example.com", "12.71.17",
     "Jl. Setia Budi No. 7, Medan Baru, Medan"),
    ("Nur Aini", "Batik Tulis Aini", "0857-2600-1122", "", "33.75.02", "Jl. Kurinci No. 3, Pekalongan Timur"),
    ("Slamet Riyadi", "Gapoktan Sri Rejeki", "0858-6511-2299", "", "33.26.13",
     "Desa Proyonanggan, Kedungwuni, Kabupaten Pekalongan"),
    ("Arif Wibowo", "PT Segar Laut Nusantara", "0812-9900-1122", "arif@segarlaut.example.com", "31.71.06",
     "Jl. Cikini Raya No. 60, Menteng, Jakarta Pusat"),
    ("Andi Nurhayati", "Koperasi Wanita Nelayan Pa'baeng-baeng", "0853-4000-2211", "", "73.71.09",
     "Jl. Pengayoman No. 15, Panakkukang, Makassar"),
    ("Wulan Sari", "UMKM Kerupuk Wiradesa", "0896-1234-5678", "", "33.26.16", "Jl. Raya Wiradesa No. 45, Wiradesa"),
    ("Yusuf Hidayat", "", "0877-1100-2200", "", "33.75.04", "Jl. Sriwijaya No. 9, Pekalongan Selatan"),
]  # fmt: skip
#: How each Mitra Pantura order ends, and how many months ago it started (more or less).
TARGETS = [
    ("lunas", 13.5), ("lunas", 12.0), ("garansi", 11.0), ("lunas", 10.0), ("dibatalkan", 9.0), ("lunas", 8.0),
    ("retur", 7.0), ("lunas", 6.0), ("garansi", 5.5), ("lunas", 4.5), ("dibatalkan", 4.0), ("lunas", 3.0),
    ("retur", 2.5), ("diterima", 2.2), ("diterima", 1.8), ("diterima", 1.4), ("dikirim", 1.2), ("dikirim", 1.0),
    ("dikirim", 0.8), ("siap_kirim", 0.9), ("siap_kirim", 0.7), ("produksi", 0.8), ("produksi", 0.6),
    ("produksi", 0.5), ("dikonfirmasi", 0.4), ("dikonfirmasi", 0.3), ("dikonfirmasi", 0.2), ("permintaan", 0.15),
    ("permintaan", 0.08), ("permintaan", 0.03),
]  # fmt: skip
CHANNELS = ["whatsapp", "langsung", "agen", "media_sosial", "whatsapp", "e_katalog", "lokapasar", "agen"]
COURIERS = ["JNE Trucking", "Indah Cargo", "J&T Cargo", "Dakota Cargo", "SiCepat Gokil"]
CANCEL_REASONS = ["Pembeli menunda pembelian: anggaran kelompok belum cair.",
                  "Pembeli memilih alat dengan kapasitas lebih kecil dari toko lain."]  # fmt: skip
RETURN_REASONS = ["Rangka penyok dalam pengiriman; unit ditarik untuk diperbaiki.",
                  "Motor tidak sesuai tegangan listrik di lokasi pembeli (tiga fasa)."]  # fmt: skip
WARRANTY_NOTES = ["Kipas DC diganti di tempat, tanpa biaya.", "Sabuk mesin diganti dan setelan saringan diperbaiki."]
STEP_NOTES = {"produksi": "Rangka mulai dilas di bengkel Mitra Pantura", "siap_kirim": "Uji coba di bengkel: baik",
              "diterima": "Diterima pembeli dalam keadaan baik"}  # fmt: skip


@dataclass
class Plan:
    """One demo order to be: who buys what where, and how far it goes."""

    post: Post
    actor: Any
    buyer: tuple[str, ...]
    channel: str
    lines: list[dict[str, Any]]
    start: dt.datetime
    target: str
    agent: Agent | None = None
    exhibition: Exhibition | None = None
    delivery: str = Order.Delivery.SHIP
    new_quote: bool = False
    order: Order | None = None
    failed: bool = False
    events: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)


def _local(day: dt.date, hour: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60))))


def _officer(post: Post, admin: Any) -> Any:
    """Return the post's manager (or staff) so the steps show a real officer; the admin when it has none."""
    user = User.objects.filter(is_active=True, grants__post=post, grants__role__in=sorted(Grant.POST_ROLES)).order_by(
        "grants__role", "pk").first()  # fmt: skip
    return user or admin


def _round(amount: float, to: int = 50_000) -> int:
    return max(int(round(amount / to)) * to, 0)


#: Shipping by distance: (share of the goods' value, floor for a machine, floor for a parcel). A machine goes by
#: cargo truck whatever its price; a parcel of fish or crackers costs a courier's fee, not a truck's.
SHIPPING_ZONES = {
    "kota": (0.01, 100_000, 0),
    "provinsi": (0.04, 300_000, 15_000),
    "jawa": (0.06, 600_000, 25_000),
    "luar_jawa": (0.09, 1_200_000, 40_000),
}
#: A parcel never pays more than this share of its goods for shipping.
PARCEL_CAP = 0.25
#: Heavier than this (grams) travels as a machine, even when kept in stock.
MACHINE_GRAMS = 20_000


def _zone(post: Post, region_code: str) -> str:
    if region_code[:5] == post.region_id[:5]:
        return "kota"
    if region_code[:2] == post.region_id[:2]:
        return "provinsi"
    return "jawa" if region_code[:2] in ("31", "32", "33", "34", "35", "36") else "luar_jawa"


def _shipping(post: Post, region_code: str, goods: int, lines: list[dict[str, Any]], rng: random.Random) -> int:
    """Return a shipping cost in proportion to the goods: a share of their value by distance, with a floor.

    A machine (made to order or heavy) pays at least a cargo truck's fare; a small parcel pays a courier's fee and
    never more than a quarter of its value (Rp 90.000 of fish is not shipped for Rp 2.300.000).
    """
    share, machine_floor, parcel_floor = SHIPPING_ZONES[_zone(post, region_code)]
    machine = any(x.get("custom") or (x.get("product") and (x["product"].weight_grams or 0) >= MACHINE_GRAMS)
                  for x in lines)  # fmt: skip
    cost = goods * share * rng.uniform(0.8, 1.2)
    if machine:
        return _round(max(cost, machine_floor), 50_000)
    cost = min(max(cost, parcel_floor), goods * PARCEL_CAP)
    return _round(cost, 5_000) if cost < 500_000 else _round(cost, 50_000)


def _chain(plan: Plan, rng: random.Random) -> list[tuple[float, str, dict[str, Any]]]:
    """Return the order's events as (days after the order, action, arguments), up to its target state."""
    ev: list[tuple[float, str, dict[str, Any]]] = [(0.0, "create", {})]
    t = 0.0

    def add(days: float, action: str, **kw: Any) -> None:
        nonlocal t
        t += days
        ev.append((t, action, kw))

    target, custom = plan.target, any(x.get("custom") for x in plan.lines)
    if plan.channel != "langsung" or rng.random() < 0.5:
        add(0.2, "quote")
    if target == "permintaan":
        return ev
    if target == "dibatalkan" and rng.random() < 0.5:
        add(rng.uniform(2, 6), "advance", state="dibatalkan", note=rng.choice(CANCEL_REASONS))
        return ev
    dp_share = rng.choice([0.3, 0.4, 0.5]) if custom else rng.choice([0, 0, 0.5])
    if target == "dibatalkan":
        dp_share = 0  # cancelled before any money changed hands
    add(rng.uniform(1, 4), "confirm", dp_share=dp_share)
    add(0.1, "invoice")
    if dp_share:
        add(rng.uniform(0.5, 3), "pay", share="dp", kind="uang_muka")
    if plan.new_quote:
        add(rng.uniform(1, 3), "new_quote", reason="Harga plat baja tahan karat naik; pembeli juga minta kapasitas "
                                                  "lebih besar.")  # fmt: skip
        add(0.1, "bump_prices")
        add(0.1, "quote")
        add(rng.uniform(1, 2), "confirm", dp_share=0.3)
        add(0.1, "invoice")
    if target == "dibatalkan":
        add(rng.uniform(1, 5), "advance", state="dibatalkan", note=rng.choice(CANCEL_REASONS))
        return ev
    if target == "dikonfirmasi":
        return ev
    if custom:
        add(rng.uniform(1, 3), "advance", state="produksi")
        if target == "produksi":
            return ev
        add(rng.uniform(10, 20), "advance", state="siap_kirim")
    else:
        add(rng.uniform(1, 3), "advance", state="siap_kirim")
    if target == "siap_kirim":
        return ev
    add(rng.uniform(0.5, 2), "advance", state="dikirim")
    if target == "dikirim":
        return ev
    if target == "retur":
        add(rng.uniform(3, 6), "advance", state="retur", note=rng.choice(RETURN_REASONS))
        return ev
    add(rng.uniform(2, 6), "advance", state="diterima")
    if target == "diterima":
        return ev
    if rng.random() < 0.4:
        add(rng.uniform(3, 10), "pay", share="half", kind="cicilan")
    add(rng.uniform(2, 12), "pay", share="rest", kind="pelunasan")
    if rng.random() < 0.5:
        add(0.2, "invoice")
    add(0.1, "advance", state="lunas")
    if target == "garansi":
        add(rng.uniform(20, 60), "advance", state="garansi", note=rng.choice(WARRANTY_NOTES))
    return ev


def _lines(products: list[Product], rng: random.Random, *, big: bool, left: dict[int, int]) -> list[dict[str, Any]]:
    """Pick the order's lines: a machine (made to order) or stocked goods, sometimes with installation.

    `left` is the stock not yet promised to earlier demo orders.
    """
    custom = [p for p in products if p.made_to_order]
    stocked = [p for p in products if not p.made_to_order and left.setdefault(p.pk, p.stock) >= 2 * p.min_order]
    lines: list[dict[str, Any]] = []
    if custom and (big or not stocked):
        p = rng.choice(custom)
        lines.append({"product": p, "quantity": max(rng.choice([1, 1, 1, 2, 3]), p.min_order), "custom": True})
        if rng.random() < 0.35:
            lines.append({"name": "Pemasangan dan pelatihan operator di lokasi", "quantity": 1, "unit": "paket",
                          "unit_price": rng.choice([500_000, 750_000, 1_000_000])})  # fmt: skip
    if stocked and (not lines or rng.random() < 0.3):
        p = rng.choice(stocked)
        quantity = max(rng.choice([1, 1, 2]), p.min_order)
        left[p.pk] -= quantity
        lines.append({"product": p, "quantity": quantity})
    return lines


def _plans(admin: Any, rng: random.Random, now: dt.datetime) -> list[Plan]:
    today = timezone.localdate(now)
    plans: list[Plan] = []
    left: dict[int, int] = {}
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is not None:
        actor = _officer(mitra, admin)
        products = list(Product.objects.filter(post=mitra, active=True).order_by("pk"))
        agents = list(Agent.objects.filter(post=mitra, active=True).order_by("pk"))
        fairs = list(Exhibition.objects.filter(post=mitra, starts_on__lt=today).order_by("starts_on"))
        for i, (target, months) in enumerate(TARGETS):
            lines = _lines(products, rng, big=rng.random() < 0.75, left=left)
            if not lines:
                continue
            buyer = BUYERS[i % len(BUYERS)]
            channel = CHANNELS[i % len(CHANNELS)]
            agent = rng.choice(agents) if channel == "agen" and agents else None
            if channel == "agen" and agent is None:
                channel = "whatsapp"
            start = _local(today - dt.timedelta(days=int(months * 30.4) + rng.randint(-3, 3)), rng.uniform(8, 15))
            local = buyer[4][:5] in (mitra.region_id[:5], "33.26")
            plans.append(Plan(mitra, actor, buyer, channel, lines, start, target, agent=agent,
                              delivery=Order.Delivery.PICKUP if local and rng.random() < 0.5 else Order.Delivery.SHIP,
                              new_quote=target == "produksi" and months == 0.8))  # fmt: skip
        for fair, targets in zip(fairs[-2:], (["lunas", "garansi"], ["produksi", "diterima"]), strict=False):
            for target, buyer in zip(targets, rng.sample(BUYERS, 2), strict=True):
                day = fair.starts_on + dt.timedelta(days=rng.randint(0, (fair.ends_on - fair.starts_on).days))
                lines = _lines(products, rng, big=True, left=left)
                if lines:
                    plans.append(Plan(mitra, actor, buyer, "pameran", lines, _local(day, rng.uniform(10, 17)), target,
                                      exhibition=fair))  # fmt: skip
    wartek = Post.objects.filter(slug="wartek-panjang-wetan").first()
    jakarta = (Post.objects.filter(region__code__startswith="31.", products__isnull=False).distinct()
               .order_by("region_id", "pk").first())  # fmt: skip
    for post, targets in ((wartek, ["lunas", "dikirim", "permintaan"]), (jakarta, ["lunas", "dikonfirmasi"])):
        if post is None:
            continue
        products = list(Product.objects.filter(post=post, active=True).order_by("pk"))
        for n, target in enumerate(targets):
            lines = _lines(products, rng, big=rng.random() < 0.5, left=left)
            if lines:
                buyer = BUYERS[(3 * n + len(plans)) % len(BUYERS)]
                start = _local(today - dt.timedelta(days=[150, 20, 3][n]), rng.uniform(8, 15))
                plans.append(Plan(post, _officer(post, admin), buyer, rng.choice(["whatsapp", "langsung"]), lines,
                                  start, target))  # fmt: skip
    return plans


def _schedule(plan: Plan, rng: random.Random, now: dt.datetime) -> None:
    """Set the plan's events; a chain that would reach past now is squeezed to end an hour ago."""
    chain = _chain(plan, rng)
    latest = now - dt.timedelta(hours=1)
    plan.start = min(plan.start, latest - dt.timedelta(hours=2))
    span = chain[-1][0]
    room = (latest - plan.start).total_seconds() / 86400
    scale = min(1.0, room / span) if span else 1.0
    plan.events = [(days * scale, action, kw) for days, action, kw in chain]


def _in_stock(plan: Plan) -> list[dict[str, Any]]:
    """Return the plan's lines without stocked goods that ran out meanwhile (a machine made to order instead)."""
    lines = []
    for line in plan.lines:
        product = line.get("product")
        stocked = product is not None and not product.made_to_order
        if not stocked or Product.objects.filter(pk=product.pk, stock__gte=line["quantity"]).exists():
            lines.append(line)
    if not any(x.get("product") for x in lines):
        machine = Product.objects.filter(post=plan.post, active=True, made_to_order=True).order_by("pk").first()
        if machine is not None:
            lines.insert(0, {"product": machine, "quantity": machine.min_order, "custom": True})
    return lines


def _run(plan: Plan, action: str, at: dt.datetime, kw: dict[str, Any], rng: random.Random) -> None:
    actor = plan.actor
    if action == "create":
        name, institution, phone, email, code, address = plan.buyer
        plan.lines = _in_stock(plan)
        items = [{k: v for k, v in x.items() if k != "custom"} for x in plan.lines]
        plan.order = services.order_create(
            actor=actor, post=plan.post, channel=plan.channel, items=items, agent=plan.agent,
            exhibition=plan.exhibition, delivery=plan.delivery, ordered_at=at,
            buyer={"name": name, "institution": institution, "phone": phone, "email": email, "region_code": code,
                   "address": address},
        )  # fmt: skip
        return
    order = Order.objects.get(pk=plan.order.pk)  # type: ignore[union-attr]
    if action == "quote":
        services.document_issue(actor=actor, order=order, kind="penawaran", at=at)
    elif action == "invoice":
        services.document_issue(actor=actor, order=order, kind="faktur", at=at)
    elif action == "confirm":
        shipping = (0 if plan.delivery == Order.Delivery.PICKUP
                    else _shipping(plan.post, plan.buyer[4], order.subtotal, plan.lines, rng))  # fmt: skip
        discount = _round(order.subtotal * 0.03, 10_000) if plan.agent or plan.exhibition else 0
        total = order.subtotal + shipping - discount
        lead = max((x["product"].lead_time_days or 14 for x in plan.lines if x.get("custom")), default=None)
        services.order_confirm(actor=actor, order=order, shipping_cost=shipping, discount=discount, at=at,
                               down_payment=_round(total * kw["dp_share"], 100_000), lead_time_days=lead,
                               note="Harga disepakati lewat telepon")  # fmt: skip
    elif action == "pay":
        amount = {"dp": order.down_payment - order.paid_total, "half": _round(order.balance / 2, 100_000),
                  "rest": order.balance}[kw["share"]]  # fmt: skip
        if amount >= 1:
            services.payment_record(actor=actor, order=order, amount=min(amount, order.balance), kind=kw["kind"],
                                    method=rng.choice(["transfer", "transfer", "tunai", "qris"]),
                                    paid_on=timezone.localdate(at),
                                    reference=f"TRF-{rng.randrange(100000, 999999)}")  # fmt: skip
    elif action == "new_quote":
        services.order_new_quote(actor=actor, order=order, reason=kw["reason"], at=at)
    elif action == "bump_prices":
        items = [{"product": i.product, "name": "" if i.product_id else i.name, "quantity": i.quantity,
                  "unit": i.unit, "unit_price": _round(i.unit_price * 1.08, 10_000),
                  "made_to_order": i.made_to_order} for i in order.items.all()]  # fmt: skip
        services.order_set_items(actor=actor, order=order, items=items, version=None)
    elif action == "advance":
        state = kw["state"]
        extra: dict[str, Any] = {}
        if state == "siap_kirim" and order.state == "dikonfirmasi" and order.items.filter(made_to_order=True).exists():
            order = services.order_advance(actor=actor, order=order, state="produksi", at=at,
                                           note=STEP_NOTES["produksi"])  # fmt: skip
        if state == "dikirim" and order.delivery == Order.Delivery.SHIP:
            extra = {"courier": rng.choice(COURIERS), "tracking_number": f"{rng.choice('JKSD')}"
                     f"{rng.randrange(10**9, 10**10)}"}  # fmt: skip
        services.order_advance(actor=actor, order=order, state=state, at=at,
                               note=kw.get("note") or STEP_NOTES.get(state, ""), **extra)  # fmt: skip


def _marketplace_cart(now: dt.datetime) -> None:
    """A buyer in Makassar orders from Mitra Pantura and its Wartek in one cart: two orders, two tracking links."""
    if Order.objects.filter(channel=Order.Channel.MARKETPLACE).exists():
        return
    picks = []
    for slug in ("mitra-pantura", "wartek-panjang-wetan"):
        stocked = Product.objects.filter(post__slug=slug, active=True, made_to_order=False, stock__gte=3)
        p = stocked.order_by("pk").first()
        if p is not None:
            picks.append((p.pk, p.min_order))
    if not picks:
        return
    buyer = {"name": "Andi Makkasau", "phone": "0852-5512-0099", "email": "andi.makkasau@example.com",
             "institution": "Toko Oleh-oleh Losari", "address": "Jl. Penghibur No. 22, Ujung Pandang, Makassar",
             "region_code": "73.71", "note": "Mohon dikemas kayu untuk pengiriman laut."}  # fmt: skip
    try:
        with transaction.atomic():
            services.order_checkout(lines=picks, buyer=buyer)
    except ValidationError:
        return


def load_orders(admin: Any, rng: random.Random, today: dt.date) -> None:
    """Create the demo orders through the services, all events of all orders in the order they happened.

    Idempotent: nothing happens when Mitra Pantura already has orders recorded by its officers. An order whose
    step is refused (stock ran out, a capacity was full) stops there; the others go on.
    """
    mitra = Post.objects.filter(slug="mitra-pantura").first()
    if mitra is None or Order.objects.filter(post=mitra).exclude(channel=Order.Channel.MARKETPLACE).exists():
        return
    if not Region.objects.filter(code="73.71.14").exists():
        return  # the demo buyers live in the full Kemendagri tree (load_regions)
    now = min(timezone.now(), _local(today, 23.9))
    plans = _plans(admin, rng, now)
    events = []
    for n, plan in enumerate(plans):
        _schedule(plan, rng, now)
        events += [(plan.start + dt.timedelta(days=days), n, i, action, kw)
                   for i, (days, action, kw) in enumerate(plan.events)]  # fmt: skip
    with notify.muted():
        for at, n, _i, action, kw in sorted(events, key=lambda e: (e[0], e[1], e[2])):
            plan = plans[n]
            if plan.failed or (action != "create" and plan.order is None):
                continue
            try:
                with transaction.atomic():
                    _run(plan, action, at, kw, rng)
            except ValidationError as exc:
                plan.failed = True
                logger.info("Demo order %s stopped at %s: %s", plan.order or plan.buyer[0], action, exc.messages)
        _marketplace_cart(now)

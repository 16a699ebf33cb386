"""What the order services share: codes, buyer and item checks, steps, times and the "skipped state" message."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core.lib.phone import normalize_phone
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.orders import stock, workflow
from posyantek.orders.models import Order, OrderItem, OrderStep
from posyantek.posts.models import Post
from posyantek.products.models import Product
from posyantek.regions.models import Region

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_QUANTITY = 10_000
MAX_LINES = 50
MAX_PRICE = 10**13  # Rp 10 trillion: far above any order, far below the column's limit
State = Order.State
#: Buyer fields a service takes, with the order field each one fills.
BUYER_FIELDS = {
    "name": "buyer_name",
    "phone": "buyer_phone",
    "email": "buyer_email",
    "institution": "buyer_institution",
    "address": "buyer_address",
    "note": "buyer_note",
}


def new_code(length: int = 10) -> str:
    """Return a fresh code from 32 letters and digits that cannot be mixed up (no 0/O, no 1/I)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def unused_code() -> str:
    """Return an order code no order has yet."""
    for _attempt in range(5):
        code = new_code()
        if not Order.objects.filter(code=code).exists():
            return code
    return new_code(12)  # 32^12: a clash here is beyond belief


def rp(amount: int) -> str:
    return format_rupiah(amount)


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def clean_money(value: Any, field: str, errors: dict[str, list[str]], *, label: str) -> int:
    """Return a whole rupiah amount ≥ 0, or note an error for `field`."""
    if value in (None, ""):
        return 0
    if not is_whole(value) or value < 0 or value > MAX_PRICE:
        errors[field] = [gettext("%(label)s harus bilangan bulat rupiah, 0 atau lebih (tanpa titik atau koma).")
                         % {"label": label}]  # fmt: skip
        return 0
    return int(value)


def clean_buyer(
    buyer: dict[str, Any], errors: dict[str, list[str]], *, strict: bool, prefix: str = ""
) -> dict[str, Any]:
    """Check a buyer's details; `strict` (the marketplace) also needs a phone and a full address.

    Staff may record a walk-in buyer with a name and a region only. Errors go under `prefix + key`.
    """
    b = {k: (v.strip() if isinstance(v, str) else v) for k, v in buyer.items()}
    if not b.get("name"):
        errors[prefix + "name"] = [gettext("Tuliskan nama pemesan.")]
    phone_text = b.get("phone") or ""
    b["phone"] = ""
    if not phone_text:
        if strict:
            errors[prefix + "phone"] = [gettext("Tuliskan nomor HP/WhatsApp agar pos dapat menghubungi Anda.")]
    elif (phone := normalize_phone(phone_text)) is None:
        errors[prefix + "phone"] = [gettext("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.")
                                    % {"n": phone_text[:30]}]  # fmt: skip
    else:
        b["phone"] = phone
    b["email"] = (b.get("email") or "").lower()
    if b["email"]:
        try:
            validate_email(b["email"])
        except ValidationError:
            errors[prefix + "email"] = [gettext("Alamat e-mail tidak valid.")]
    b["region"] = clean_region(b.get("region_code") or b.get("region"), errors, prefix + "region_code")
    if strict and len(b.get("address") or "") < 10:
        errors[prefix + "address"] = [
            gettext("Tuliskan alamat kirim lengkap (jalan, nomor, RT/RW), paling sedikit 10 huruf.")
        ]
    for key, limit in (("name", 200), ("institution", 200), ("address", 2000), ("note", 2000)):
        if len(b.get(key) or "") > limit:
            errors[prefix + key] = [gettext("Paling banyak %(n)s huruf.") % {"n": limit}]
    return b


def clean_region(value: Any, errors: dict[str, list[str]], field: str) -> Region | None:
    """Return the buyer's region (a kabupaten/kota or below), or note an error."""
    if isinstance(value, Region):
        region: Region | None = value
    elif not value:
        errors[field] = [gettext("Pilih kabupaten/kota (atau kecamatan/desa) tujuan kirim.")]
        return None
    else:
        region = Region.objects.filter(pk=str(value).strip()).first()
        if region is None:
            errors[field] = [gettext("Wilayah %(c)s tidak dikenal.") % {"c": str(value)[:20]}]
            return None
    if region.level < Region.Level.REGENCY:
        errors[field] = [gettext("Pilih kabupaten/kota, kecamatan atau desa, bukan provinsi.")]
        return None
    return region


def place_buyer(order: Order, region: Region) -> None:
    """Set the buyer's region and the "luar daerah" / "luar provinsi" flags against the post's region."""
    order.buyer_region = region
    order.buyer_province_code = region.pk[:2]
    seat = order.post.region_id
    order.out_of_region = region.pk[:5] != seat[:5]
    order.out_of_province = region.pk[:2] != seat[:2]


@dataclass
class Line:
    """One checked order line, not saved yet."""

    product: Product | None
    name: str
    unit: str
    quantity: int
    unit_price: int
    made_to_order: bool

    def item(self, order: Order) -> OrderItem:
        return OrderItem(order=order, product=self.product, name=self.name, unit=self.unit, quantity=self.quantity,
                         unit_price=self.unit_price, made_to_order=self.made_to_order)  # fmt: skip


def clean_lines(post: Post, items: list[dict[str, Any]], errors: dict[str, list[str]]) -> list[Line]:
    """Check staff order lines: a product of `post` or a free-text line, a quantity and a price.

    A line's `product` may be a Product or its id; only the post's own products are accepted. Without a price the
    product's list price is used. Messages go under `items`, each naming its line.
    """
    out: list[Line] = []
    problems: list[str] = []
    if not items:
        problems.append(gettext("Tambahkan paling sedikit satu barang."))
    elif len(items) > MAX_LINES:
        problems.append(gettext("Paling banyak %(n)s jenis barang per pesanan.") % {"n": MAX_LINES})
    ids = [getattr(i.get("product"), "pk", i.get("product")) for i in items if i.get("product")]
    products = {p.pk: p for p in Product.objects.filter(post=post, pk__in=[i for i in ids if is_whole(i)])}
    for n, raw in enumerate(items[:MAX_LINES], 1):
        where = gettext("Baris %(n)s") % {"n": n}
        ref = raw.get("product")
        pid = getattr(ref, "pk", ref)
        product = products.get(pid) if is_whole(pid) else None
        if ref and product is None:
            problems.append(gettext("%(where)s: produk ini bukan produk %(post)s.") % {"where": where, "post": post})
            continue
        name = (raw.get("name") or "").strip() or (product.name if product else "")
        if not name:
            problems.append(gettext("%(where)s: pilih produk atau tuliskan nama barang.") % {"where": where})
            continue
        qty = raw.get("quantity")
        if not is_whole(qty) or qty < 1 or qty > MAX_QUANTITY:
            problems.append(gettext("%(where)s: jumlah harus bilangan bulat 1 sampai %(max)s.")
                            % {"where": where, "max": f"{MAX_QUANTITY:,}".replace(",", ".")})  # fmt: skip
            continue
        price = raw.get("unit_price")
        if price in (None, ""):
            if product is None:
                problems.append(gettext("%(where)s: tuliskan harga satuan.") % {"where": where})
                continue
            price = product.price
        if not is_whole(price) or price < 0 or price > MAX_PRICE:
            problems.append(gettext("%(where)s: harga satuan harus bilangan bulat rupiah, 0 atau lebih.")
                            % {"where": where})  # fmt: skip
            continue
        if product is not None and qty < product.min_order:
            problems.append(
                gettext("%(where)s: %(name)s dipesan paling sedikit %(n)s %(unit)s.")
                % {"where": where, "name": product.name, "n": product.min_order, "unit": product.unit}
            )
            continue  # fmt: skip
        unit = ((raw.get("unit") or "").strip() or (product.unit if product else "unit"))[:30]
        mto = product.made_to_order if product is not None else bool(raw.get("made_to_order"))
        out.append(Line(product, name[:200], unit, qty, price, mto))
    if problems:
        errors["items"] = problems
    return out


def take_stock(lines: list[Line], day: dt.date | None = None) -> None:
    """Take the lines' units from stock (or capacity); raise ValidationError `out_of_stock` when short."""
    wanted: dict[int, int] = {}
    by_pk: dict[int, Product] = {}
    for line in lines:
        if line.product is not None:
            wanted[line.product.pk] = wanted.get(line.product.pk, 0) + line.quantity
            by_pk[line.product.pk] = line.product
    for pk, qty in sorted(wanted.items()):  # a fixed order, so two writers never wait on each other in a circle
        stock.take(by_pk[pk], qty, day=day)


def give_stock_back(order: Order) -> None:
    """Return the stocked units of an order's lines (cancelled, returned, or lines replaced)."""
    for item in order.items.select_related("product").filter(product__isnull=False).order_by("product_id"):
        stock.give_back(item.product, item.quantity)


def step_time(order: Order, at: dt.datetime | None) -> dt.datetime:
    """Return when a step happens: now, or a given past moment not before the order's last step."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    last = order.steps.order_by("-at").values_list("at", flat=True).first() or order.ordered_at
    if at > now or at < last:
        raise ValidationError({"at": [gettext("Waktu langkah harus sesudah langkah sebelumnya dan tidak di masa "
                                              "depan.")]})  # fmt: skip
    return at


def add_step(order: Order, *, from_state: str, actor: Any, at: dt.datetime, note: str = "") -> OrderStep:
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    return OrderStep.objects.create(order=order, from_state=from_state, state=order.state, at=at, actor=real_actor,
                                    note=(note or "").strip()[:300])  # fmt: skip


def state_label(state: str) -> str:
    return str(dict(State.choices).get(state, state))


def refuse_skip(old: str, new: str) -> None:
    """Raise a clear ValidationError unless `new` is one of the steps allowed from `old`."""
    allowed = workflow.TRANSITIONS.get(old, ())
    if new in allowed:
        return
    if new not in State.values:
        raise ValidationError({"state": [gettext("Tahap tidak dikenal.")]})
    if not allowed:
        raise ValidationError(gettext("Pesanan ini sudah %(state)s; tahapnya tidak dapat diubah lagi.")
                              % {"state": state_label(old).lower()})  # fmt: skip
    raise ValidationError(
        gettext("Tidak dapat langsung dari «%(old)s» ke «%(new)s»: ada tahap yang terlewati. "
                "Tahap berikutnya yang boleh: %(allowed)s.")
        % {"old": state_label(old), "new": state_label(new), "allowed": ", ".join(state_label(s) for s in allowed)}
    )  # fmt: skip


def describe_lines(lines: list[Any]) -> list[str]:
    """Return order lines as short texts for the audit log: `2 unit × Mesin (Rp 1.250.000)`."""
    return [f"{x.quantity} {x.unit} × {x.name} ({rp(x.unit_price)})" for x in lines]

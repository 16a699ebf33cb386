"""Writes on orders. Checkout (public cart → one order per producing post) lives here; scoped and audited."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from posyantek.core import audit
from posyantek.core.lib.phone import normalize_phone
from posyantek.orders import stock
from posyantek.orders.models import Order, OrderItem, OrderStep
from posyantek.products.models import Product
from posyantek.regions.models import Region

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_QUANTITY = 10_000
MAX_LINES = 50


def new_code(length: int = 10) -> str:
    """Return a fresh code from 32 letters and digits that cannot be mixed up (no 0/O, no 1/I)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _clean_buyer(buyer: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    b = {k: (v.strip() if isinstance(v, str) else v) for k, v in buyer.items()}
    if not b.get("name"):
        errors["name"] = [gettext("Tuliskan nama pemesan.")]
    phone_text = b.get("phone") or ""
    b["phone"] = ""
    if not phone_text:
        errors["phone"] = [gettext("Tuliskan nomor HP/WhatsApp agar pos dapat menghubungi Anda.")]
    elif (phone := normalize_phone(phone_text)) is None:
        errors["phone"] = [gettext("Nomor %(n)s bukan nomor HP Indonesia. Tulis seperti 0812-3456-7890.")
                           % {"n": phone_text[:30]}]  # fmt: skip
    else:
        b["phone"] = phone
    b["email"] = (b.get("email") or "").lower()
    if b["email"]:
        try:
            validate_email(b["email"])
        except ValidationError:
            errors["email"] = [gettext("Alamat e-mail tidak valid.")]
    region = None
    code = b.get("region_code") or ""
    if not code:
        errors["region_code"] = [gettext("Pilih kabupaten/kota (atau kecamatan/desa) tujuan kirim.")]
    else:
        region = Region.objects.filter(pk=code, level__gte=2).first()
        if region is None:
            errors["region_code"] = [gettext("Wilayah %(c)s tidak dikenal.") % {"c": str(code)[:20]}]
    b["region"] = region
    if len(b.get("address") or "") < 10:
        errors["address"] = [gettext("Tuliskan alamat kirim lengkap (jalan, nomor, RT/RW), paling sedikit 10 huruf.")]
    return b


def _clean_lines(lines: list[tuple[int, int]], errors: dict[str, list[str]]) -> OrderedDict[int, int]:
    wanted: OrderedDict[int, int] = OrderedDict()
    if not lines:
        errors["items"] = [gettext("Keranjang kosong.")]
    if len(lines) > MAX_LINES:
        errors["items"] = [gettext("Paling banyak %(n)s jenis barang per pesanan.") % {"n": MAX_LINES}]
    for product_id, qty in lines:
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1 or qty > MAX_QUANTITY:
            errors.setdefault("items", []).append(
                gettext("Jumlah harus bilangan bulat 1 sampai %(max)s.")
                % {"max": f"{MAX_QUANTITY:,}".replace(",", ".")}
            )
            continue
        wanted[int(product_id)] = wanted.get(int(product_id), 0) + qty
    return wanted


@transaction.atomic
def order_checkout(
    *, lines: list[tuple[int, int]], buyer: dict[str, Any], channel: str = Order.Channel.MARKETPLACE, actor: Any = None
) -> list[Order]:
    """Turn a cart into one order per producing post, taking stock; all or nothing.

    `lines` are (product id, quantity); `buyer` has name, phone, email, institution, address, region_code, note.
    Raises ValidationError with field errors (bad input) or code `out_of_stock` (nothing is kept then).
    """
    errors: dict[str, list[str]] = {}
    b = _clean_buyer(buyer, errors)
    wanted = _clean_lines(lines, errors)
    products = {p.pk: p for p in Product.objects.select_related("post").filter(pk__in=list(wanted), active=True)}
    for pid, qty in wanted.items():
        p = products.get(pid)
        if p is None:
            errors.setdefault("items", []).append(
                gettext("Produk #%(id)s tidak ada atau tidak dijual lagi.") % {"id": pid}
            )
        elif qty < p.min_order:
            errors.setdefault("items", []).append(
                gettext("%(name)s: pemesanan minimum %(n)s %(unit)s.")
                % {"name": p.name, "n": p.min_order, "unit": p.unit}
            )
    if errors:
        raise ValidationError(errors)

    by_post: OrderedDict[int, list[tuple[Product, int]]] = OrderedDict()
    for pid, qty in wanted.items():
        by_post.setdefault(products[pid].post_id, []).append((products[pid], qty))
    now = timezone.now()
    ref = new_code()
    region: Region = b["region"]
    orders = []
    for lines_of_post in by_post.values():
        post = lines_of_post[0][0].post
        for product, qty in lines_of_post:
            stock.take(product, qty)
        order = Order.objects.create(
            post=post, region_id=post.region_id, code=new_code(), checkout_ref=ref, channel=channel,
            buyer_name=b["name"][:200], buyer_phone=b["phone"], buyer_email=b["email"],
            buyer_institution=(b.get("institution") or "")[:200], buyer_address=b.get("address") or "",
            buyer_region=region, buyer_province_code=region.pk[:2],
            out_of_region=region.pk[:5] != post.region_id[:5], out_of_province=region.pk[:2] != post.region_id[:2],
            buyer_note=b.get("note") or "", ordered_at=now,
        )  # fmt: skip
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=p,
                name=p.name,
                unit=p.unit,
                quantity=q,
                unit_price=p.price,
                made_to_order=p.made_to_order,
            )  # fmt: skip
            for p, q in lines_of_post
        )
        order.subtotal = order.total = sum(p.price * q for p, q in lines_of_post)
        order.save(update_fields=["subtotal", "total"])
        OrderStep.objects.create(order=order, state=order.state, at=now, actor=actor if actor else None,
                                 note=gettext("Pesanan masuk"))  # fmt: skip
        audit.record(actor if getattr(actor, "is_authenticated", False) else None, "create", order,
                     {"items": [[p.name, q, p.price] for p, q in lines_of_post], "total": order.total})  # fmt: skip
        orders.append(order)
    return orders

"""The marketplace's cart (kept in the buyer's session) and checkout, shared by the pages and the API.

The cart may hold products of several posts; checkout turns it into one order per producing post
(`orders.services.order_checkout`). Checkouts are limited per client address: MARKET_CHECKOUTS_PER_HOUR
(default 20), read from settings each time so tests and benchmarks can change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

from posyantek.core import ratelimit
from posyantek.core.lib.phone import normalize_phone
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.orders.models import Order
from posyantek.orders.services import order_checkout
from posyantek.posts.models import Post
from posyantek.products.models import Product
from posyantek.products.selectors import add_places, cart_products, orders_by_codes_unscoped

CART_KEY = "pasar_cart"
PLACED_KEY = "pasar_placed"
MAX_LINES = 50
MAX_QUANTITY = 10_000
DEFAULT_CHECKOUTS_PER_HOUR = 20


# --- the cart ------------------------------------------------------------------------------------------------


def cart_read(session: Any) -> dict[int, int]:
    """Return the cart as {product id: quantity}, dropping anything malformed."""
    raw = session.get(CART_KEY) or {}
    out: dict[int, int] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            if str(k).isdigit() and isinstance(v, int) and 1 <= v <= MAX_QUANTITY:
                out[int(k)] = v
    return out


def _write(session: Any, cart: dict[int, int]) -> None:
    session[CART_KEY] = {str(k): v for k, v in cart.items()}


def cart_count(session: Any) -> int:
    """Return how many lines the cart holds."""
    return len(cart_read(session))


def cart_set(session: Any, product: Product, quantity: int, *, add: bool = False) -> str | None:
    """Put `quantity` of a product on sale in the cart (added to what is there with `add`); 0 takes it out.

    Return an error message (and change nothing) when the quantity breaks the product's rules.
    """
    cart = cart_read(session)
    if add and quantity < 1:  # adding nothing (or less) is a typing slip, not a way to empty the cart
        return _("Tulis jumlah yang dipesan: paling sedikit %(n)s %(unit)s.") % {
            "n": max(product.min_order, 1), "unit": product.unit}  # fmt: skip
    if add:
        quantity += cart.get(product.pk, 0)
    if quantity <= 0:
        cart.pop(product.pk, None)
        _write(session, cart)
        return None
    if quantity > MAX_QUANTITY:
        return _("Jumlah paling banyak %(n)s.") % {"n": f"{MAX_QUANTITY:,}".replace(",", ".")}
    if quantity < product.min_order:
        return _("%(name)s: pemesanan minimum %(n)s %(unit)s.") % {
            "name": product.name, "n": product.min_order, "unit": product.unit}  # fmt: skip
    if not product.made_to_order and quantity > product.stock:
        if product.stock < product.min_order:
            return _("Stok %(name)s sedang habis.") % {"name": product.name}
        return _("Stok %(name)s tersisa %(left)s %(unit)s.") % {
            "name": product.name, "left": product.stock, "unit": product.unit}  # fmt: skip
    if product.pk not in cart and len(cart) >= MAX_LINES:
        return _("Paling banyak %(n)s jenis barang dalam satu keranjang.") % {"n": MAX_LINES}
    cart[product.pk] = quantity
    _write(session, cart)
    return None


def cart_remove(session: Any, product_id: int) -> None:
    """Take a product out of the cart."""
    cart = cart_read(session)
    if cart.pop(product_id, None) is not None:
        _write(session, cart)


def cart_clear(session: Any) -> None:
    """Empty the cart."""
    session.pop(CART_KEY, None)


@dataclass
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> int:
        return self.product.price * self.quantity


@dataclass
class CartGroup:
    """The lines of one post: they become one order."""

    post: Post
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)


@dataclass
class Cart:
    groups: list[CartGroup]
    #: Names of products that were in the cart but are no longer on sale (taken out).
    dropped: int = 0

    @property
    def total(self) -> int:
        return sum(g.subtotal for g in self.groups)

    @property
    def count(self) -> int:
        return sum(len(g.lines) for g in self.groups)

    def lines(self) -> list[tuple[int, int]]:
        return [(line.product.pk, line.quantity) for g in self.groups for line in g.lines]


def cart_get(session: Any) -> Cart:
    """Return the cart with its products loaded and grouped by post; products taken off sale leave it."""
    wanted = cart_read(session)
    products = cart_products(wanted)
    add_places(products.values())
    groups: dict[int, CartGroup] = {}
    for pid, qty in wanted.items():
        p = products.get(pid)
        if p is not None:
            groups.setdefault(p.post_id, CartGroup(post=p.post)).lines.append(CartLine(p, qty))
    dropped = len(wanted) - len(products)
    if dropped:
        _write(session, {pid: q for pid, q in wanted.items() if pid in products})
    return Cart(groups=list(groups.values()), dropped=dropped)


# --- checkout ------------------------------------------------------------------------------------------------


class RateLimited(Exception):  # noqa: N818 - a refusal, told to the buyer
    """Too many checkouts from one address."""

    def __init__(self) -> None:
        self.message = _("Terlalu banyak pemesanan dari alamat Anda dalam satu jam. Coba lagi nanti, atau hubungi "
                         "pos lewat WhatsApp.")  # fmt: skip
        super().__init__(self.message)


def checkouts_per_hour() -> int:
    return int(getattr(settings, "MARKET_CHECKOUTS_PER_HOUR", DEFAULT_CHECKOUTS_PER_HOUR))


def checkout(*, ip: str, lines: list[tuple[int, int]], buyer: dict[str, Any]) -> list[Order]:
    """Place the orders of a cart (one per post), after counting the attempt against the address's limit.

    Raises RateLimited, or ValidationError from `order_checkout` (field errors, or code `out_of_stock`).
    """
    if not ratelimit.allow(f"pasar:checkout:{ip}", limit=checkouts_per_hour(), per_seconds=3600):
        raise RateLimited
    return order_checkout(lines=lines, buyer=buyer)


@dataclass
class Placed:
    """An order as the buyer sees it right after checkout."""

    order: Order
    tracking_url: str
    whatsapp_url: str | None

    @property
    def items(self) -> list[Any]:
        return list(self.order.items.all())


def whatsapp_url(post: Post, order: Order, tracking_url: str) -> str | None:
    """Return a click-to-chat link to the post about the order, or None when the post has no mobile number."""
    number = normalize_phone(post.phone or "")
    if number is None:
        return None
    text = _("Halo %(post)s, saya %(buyer)s memesan lewat Pasar Posyantek. Kode pesanan %(code)s, total %(total)s. "
             "Lacak: %(url)s") % {"post": post.name, "buyer": order.buyer_name, "code": order.code,
                                  "total": format_rupiah(order.total), "url": tracking_url}  # fmt: skip
    return f"https://wa.me/{number}?text={quote(text, safe='')}"


def placed(orders: list[Order], absolute: Callable[[str], str]) -> list[Placed]:
    """Return the orders with their absolute tracking link and a WhatsApp link to their post."""
    out = []
    for order in orders:
        url = absolute(order.get_tracking_url())
        out.append(Placed(order=order, tracking_url=url, whatsapp_url=whatsapp_url(order.post, order, url)))
    return out


def remember_placed(session: Any, orders: list[Order]) -> None:
    """Keep the codes of the orders just placed, for the confirmation page."""
    session[PLACED_KEY] = [o.code for o in orders]


def placed_from_session(session: Any, absolute: Callable[[str], str]) -> list[Placed]:
    """Return the orders the buyer placed last in this session."""
    codes = [c for c in session.get(PLACED_KEY) or [] if isinstance(c, str)][:MAX_LINES]
    return placed(orders_by_codes_unscoped(codes), absolute)

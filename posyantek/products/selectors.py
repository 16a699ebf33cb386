"""Reads of products: the staff lists (scoped), and the public marketplace (active products only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from posyantek.catalog.models import Ttg
from posyantek.orders.models import Order, OrderItem
from posyantek.people.models import Person
from posyantek.posts.models import Post
from posyantek.products.models import Product, ProductPhoto
from posyantek.regions.models import Region


def product_list(*, user: Any, action: str = "view") -> QuerySet[Product]:
    """Return the products the user may see (or act on), with their post, TTG and maker."""
    return Product.objects.for_user(user, action).select_related("post", "region", "ttg", "maker")


def product_recent_items(*, user: Any, product: Product, limit: int = 10) -> list[OrderItem]:
    """Return the latest order lines of a product that the user may see (one indexed query)."""
    return list(
        OrderItem.objects.for_user(user, "view")
        .filter(product=product)
        .select_related("order")
        .order_by("-order__ordered_at", "-pk")[:limit]
    )


def editable_posts(user: Any) -> QuerySet[Post]:
    """Return the posts whose products the user may record."""
    return Post.objects.for_user(user, "edit").select_related("region").order_by("name")


def ttg_choices(user: Any, keep: int | None = None) -> QuerySet[Ttg]:
    """Return the TTG a product may be built on: records of the posts the user works for, or published ones."""
    own = Ttg.objects.for_user(user, "view").filter(post__in=Post.objects.for_user(user, "edit").values("pk"))
    match = Q(pk__in=own.values("pk")) | Q(publication=Ttg.Publication.PUBLISHED)
    if keep:
        match |= Q(pk=keep)
    return Ttg.objects.filter(match).order_by("name", "pk")


def maker_choices(user: Any, keep: int | None = None) -> QuerySet[Person]:
    """Return the people who may be named as a product's maker: those of the posts the user works for."""
    match = Q(pk__in=Person.objects.for_user(user, "edit").values("pk"))
    if keep:
        match |= Q(pk=keep)
    return Person.objects.filter(match).order_by("name", "pk")


# --- the public marketplace ----------------------------------------------------------------------------------


def market_products() -> QuerySet[Product]:
    """Return the products on sale (active, of an active post), of every post: the marketplace is public."""
    return Product.objects.filter(active=True, post__status="aktif").select_related("post", "region")


def with_photos(qs: QuerySet[Product]) -> QuerySet[Product]:
    """Return `qs` with its photos loaded in one more query."""
    return qs.prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "pk")))


def market_product(pk: Any) -> Product | None:
    """Return one product on sale with its post, TTG and photos, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return with_photos(market_products().select_related("ttg")).filter(pk=pk).first()


def market_photo(photo_id: int) -> ProductPhoto | None:
    """Return a photo of a product on sale, or None."""
    return ProductPhoto.objects.filter(pk=photo_id, product__active=True).first()


def market_provinces() -> list[Region]:
    """Return the provinces that have posts with products on sale."""
    codes = Product.objects.filter(active=True).annotate(p=Substr("region_id", 1, 2)).values("p")
    return list(Region.objects.filter(level=1, code__in=codes).order_by("name"))


def market_posts() -> list[Post]:
    """Return the posts that have products on sale."""
    return list(Post.objects.filter(pk__in=Product.objects.filter(active=True).values("post_id")).order_by("name"))


def add_places(products: Iterable[Product]) -> None:
    """Give each product `city` and `province`: the names of its post's kabupaten/kota and province (one query)."""
    products = list(products)
    codes = {c for p in products for c in (p.region_id[:5], p.region_id[:2])}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for p in products:
        p.city = names.get(p.region_id[:5], "")  # type: ignore[attr-defined]
        p.province = names.get(p.region_id[:2], "")  # type: ignore[attr-defined]


def cart_products(ids: Iterable[int]) -> dict[int, Product]:
    """Return the products on sale among `ids`, by id, with their post (for the cart)."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    return {p.pk: p for p in with_photos(market_products()).filter(pk__in=ids)}


def orders_by_codes_unscoped(codes: list[str]) -> list[Order]:
    """Return the orders a buyer just placed (codes kept in the buyer's session), with their items and post."""
    if not codes:
        return []
    found = {o.code: o for o in Order.objects.filter(code__in=codes).select_related("post").prefetch_related("items")}
    return [found[c] for c in codes if c in found]

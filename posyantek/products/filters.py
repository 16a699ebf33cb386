"""List filters of products: the staff list (page, export, API) and the public marketplace (page, API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Sector
from posyantek.core.scoping import region_subtree_q
from posyantek.posts.models import Post
from posyantek.products.models import Product
from posyantek.products.selectors import market_posts, market_provinces


def _search(qs: QuerySet[Product], value: str, *fields: str) -> QuerySet[Product]:
    for word in value.split()[:5]:
        match = Q()
        for f in fields:
            match |= Q(**{f"{f}__icontains": word})
        qs = qs.filter(match)
    return qs


def _visible_posts(request: Any) -> QuerySet[Post]:
    user = getattr(request, "user", None)
    return Post.objects.for_user(user, "view").order_by("name")


def _yes_no(yes: Any, no: Any) -> forms.Select:
    return forms.Select(choices=[("", _("Semua")), ("true", yes), ("false", no)])


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, deskripsi, pembuat"))
    post = django_filters.ModelChoiceFilter(queryset=_visible_posts, label=_("Pos"), empty_label=_("Semua pos"))
    kind = django_filters.ChoiceFilter(choices=Product.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Bidang"), empty_label=_("Semua bidang"))
    active = django_filters.BooleanFilter(label=_("Dijual"), widget=_yes_no(_("Dijual"), _("Tidak dijual")))
    made_to_order = django_filters.BooleanFilter(
        label=_("Cara produksi"), widget=_yes_no(_("Dibuat sesuai pesanan"), _("Stok siap jual"))
    )
    in_stock = django_filters.BooleanFilter(
        method="available", label=_("Ketersediaan"), widget=_yes_no(_("Tersedia"), _("Stok habis"))
    )

    class Meta:
        model = Product
        fields = ["q", "post", "kind", "sector", "active", "made_to_order", "in_stock"]

    def search(self, qs: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return _search(qs, value, "name", "description", "maker_name", "maker__name")

    def available(self, qs: QuerySet[Product], name: str, value: bool | None) -> QuerySet[Product]:
        if value is None:
            return qs
        ready = Q(made_to_order=True) | Q(stock__gt=0)
        return qs.filter(ready) if value else qs.exclude(ready)


#: Public sort orders: the value in the address, its label, the ordering.
SORTS = {
    "": (_("Nama (A–Z)"), ("name", "pk")),
    "harga": (_("Harga termurah"), ("price", "pk")),
    "-harga": (_("Harga termahal"), ("-price", "-pk")),
    "terbaru": (_("Terbaru"), ("-created", "-pk")),
}


class MarketFilter(django_filters.FilterSet):
    """The marketplace's search and filters; the province and post choices are those that have products on sale."""

    q = django_filters.CharFilter(method="search", label=_("Cari produk"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Bidang"), empty_label=_("Semua bidang"))
    province = django_filters.ChoiceFilter(method="in_province", label=_("Provinsi pos"),
                                           empty_label=_("Semua provinsi"))  # fmt: skip
    post = django_filters.ChoiceFilter(field_name="post__slug", label=_("Pos"), empty_label=_("Semua pos"))
    sort = django_filters.ChoiceFilter(method="order", label=_("Urutkan"), empty_label=str(SORTS[""][0]),
                                       choices=[(k, label) for k, (label, _o) in SORTS.items() if k])  # fmt: skip

    class Meta:
        model = Product
        fields = ["q", "sector", "province", "post", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = [(r.code, r.name) for r in market_provinces()]
        self.filters["post"].extra["choices"] = [(p.slug, p.name) for p in market_posts()]

    def search(self, qs: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return _search(qs, value, "name", "description", "maker_name", "post__name")

    def in_province(self, qs: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return qs.filter(region_subtree_q("region", value))

    def order(self, qs: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return qs  # applied last, in `filter_queryset`, so an empty value sorts too

    def filter_queryset(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        qs = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or ""
        return qs.order_by(*SORTS.get(sort, SORTS[""])[1])

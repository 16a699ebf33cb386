"""The order list filter, shared by the staff page, its exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.orders.models import Order, OrderItem
from posyantek.posts.models import Post
from posyantek.regions.models import Region

YES_NO = [("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def province_choices() -> list[tuple[str, str]]:
    """Return the provinces as (two-digit code, name), for the buyer-province filter."""
    return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").values_list("code", "name"))


def scoped_posts(request: Any) -> QuerySet[Post]:
    """Return the posts the requesting user may see: the only choices of the post filter."""
    user = getattr(request, "user", None)
    return Post.objects.for_user(user, "view").order_by("name")


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari kode, pembeli, barang"))
    state = django_filters.ChoiceFilter(choices=Order.State.choices, label=_("Tahap"), empty_label=_("Semua tahap"))
    channel = django_filters.ChoiceFilter(choices=Order.Channel.choices, label=_("Saluran"),
                                          empty_label=_("Semua saluran"))  # fmt: skip
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))
    out_of_region = django_filters.BooleanFilter(label=_("Luar daerah"), widget=forms.Select(choices=YES_NO))
    out_of_province = django_filters.BooleanFilter(label=_("Luar provinsi"), widget=forms.Select(choices=YES_NO))
    province = django_filters.ChoiceFilter(field_name="buyer_province_code", choices=province_choices,
                                           label=_("Provinsi pembeli"), empty_label=_("Semua provinsi"))  # fmt: skip
    ordered_from = django_filters.DateFilter(field_name="ordered_at__date", lookup_expr="gte", widget=DATE,
                                             label=_("Dipesan sejak"))  # fmt: skip
    ordered_to = django_filters.DateFilter(field_name="ordered_at__date", lookup_expr="lte", widget=DATE,
                                           label=_("Dipesan sampai"))  # fmt: skip

    class Meta:
        model = Order
        fields = ["q", "state", "channel", "post", "out_of_region", "out_of_province", "province", "ordered_from",
                  "ordered_to"]  # fmt: skip

    def search(self, qs: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        text = value.strip()
        code = text.replace("-", "").replace(" ", "").upper()
        if 10 <= len(code) <= 12 and " " not in text and code.isalnum() and qs.filter(code=code).exists():
            return qs.filter(code=code)
        for word in text.split()[:5]:
            with_item = OrderItem.objects.filter(name__icontains=word).values("order_id")
            qs = qs.filter(Q(buyer_name__icontains=word) | Q(buyer_institution__icontains=word)
                           | Q(code__icontains=word) | Q(pk__in=with_item))  # fmt: skip
        return qs

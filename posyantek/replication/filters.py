"""Filters of the replication lists, shared by the pages, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.replication.models import AdoptionPost, Kit, KitAdoption
from posyantek.replication.selectors import BANDS, band_q

SORTS = {
    "nama": (_("Nama pos"), ["post__name", "pk"]),
    "wilayah": (_("Wilayah"), ["post__region_id", "post__name", "pk"]),
    "progres_tinggi": (_("Progres tertinggi"), ["-done_count", "post__name", "pk"]),
    "progres_rendah": (_("Progres terendah"), ["done_count", "post__name", "pk"]),
    "terbaru": (_("Langkah terakhir: terbaru dulu"), [F("last_done_on").desc(nulls_last=True), "post__name", "pk"]),
    "macet": (_("Langkah terakhir: terlama dulu"), [F("last_done_on").asc(nulls_first=True), "post__name", "pk"]),
}


def _search(qs: QuerySet[Any], value: str, *fields: str) -> QuerySet[Any]:
    for word in value.split()[:5]:
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": word})
        qs = qs.filter(q)
    return qs


class ProgressFilter(django_filters.FilterSet):
    """The posts of one adoption: search a name, pick a kabupaten/kota or a progress band, sort."""

    q = django_filters.CharFilter(method="search", label=_("Cari nama pos atau wilayah"))
    kota = django_filters.ChoiceFilter(method="in_kota", label=_("Kabupaten/kota"), empty_label=_("Semua"))
    band = django_filters.ChoiceFilter(choices=list(BANDS.items()), method="in_band", label=_("Progres"),
                                       empty_label=_("Semua"))  # fmt: skip
    sort = django_filters.ChoiceFilter(choices=[(k, v[0]) for k, v in SORTS.items()], method="sort_by",
                                       label=_("Urutkan"), empty_label=None)  # fmt: skip

    class Meta:
        model = AdoptionPost
        fields = ["q", "kota", "band", "sort"]

    def __init__(self, *args: Any, total: int, kotas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.total = total
        self.filters["kota"].extra["choices"] = kotas

    @property
    def qs(self) -> QuerySet[AdoptionPost]:
        qs = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("sort")):
            qs = qs.order_by(*SORTS["nama"][1])
        return qs

    def search(self, qs: QuerySet[AdoptionPost], name: str, value: str) -> QuerySet[AdoptionPost]:
        return _search(qs, value, "post__name", "post__region__name")

    def in_kota(self, qs: QuerySet[AdoptionPost], name: str, value: str) -> QuerySet[AdoptionPost]:
        return qs.filter(post__region__code__startswith=value + ".") if value else qs

    def in_band(self, qs: QuerySet[AdoptionPost], name: str, value: str) -> QuerySet[AdoptionPost]:
        return qs.filter(band_q(value, self.total)) if value else qs

    def sort_by(self, qs: QuerySet[AdoptionPost], name: str, value: str) -> QuerySet[AdoptionPost]:
        return qs.order_by(*SORTS.get(value, SORTS["nama"])[1])


class AdoptionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama program, kit atau wilayah"))

    class Meta:
        model = KitAdoption
        fields = ["q"]

    def search(self, qs: QuerySet[KitAdoption], name: str, value: str) -> QuerySet[KitAdoption]:
        return _search(qs, value, "name", "kit__title", "region__name")


class ChecklistFilter(django_filters.FilterSet):
    """The checklists of one's own posts (/replikasi/saya/): search a post, a programme or a kit."""

    q = django_filters.CharFilter(method="search", label=_("Cari nama pos, program atau kit"))

    class Meta:
        model = AdoptionPost
        fields = ["q"]

    def search(self, qs: QuerySet[AdoptionPost], name: str, value: str) -> QuerySet[AdoptionPost]:
        return _search(qs, value, "post__name", "adoption__name", "adoption__kit__title")


class KitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari judul kit atau pos"))
    published = django_filters.BooleanFilter(label=_("Diterbitkan"))

    class Meta:
        model = Kit
        fields = ["q", "published"]

    def search(self, qs: QuerySet[Kit], name: str, value: str) -> QuerySet[Kit]:
        return _search(qs, value, "title", "post__name")

"""The staff list filter of technology records, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Aspect, Sector, Ttg
from posyantek.core.scoping import region_subtree_q


class TtgFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, komoditas, masalah"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Bidang"), empty_label=_("Semua bidang"))
    aspect = django_filters.ChoiceFilter(choices=Aspect.choices, label=_("Aspek"), empty_label=_("Semua aspek"))
    publication = django_filters.ChoiceFilter(choices=Ttg.Publication.choices, label=_("Publikasi"),
                                              empty_label=_("Semua"))  # fmt: skip
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    class Meta:
        model = Ttg
        fields = ["q", "sector", "aspect", "publication", "region"]

    def search(self, qs: QuerySet[Ttg], name: str, value: str) -> QuerySet[Ttg]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(commodities__icontains=word) | Q(problem__icontains=word))
        return qs

    def in_region(self, qs: QuerySet[Ttg], name: str, value: str) -> QuerySet[Ttg]:
        return qs.filter(region_subtree_q("region", value.strip()))

"""The innovator list filter, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.catalog.models import Innovator, Need, Sector
from posyantek.core.scoping import region_subtree_q


class InnovatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, keahlian, karya"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Bidang"), empty_label=_("Semua bidang"))
    need = django_filters.ChoiceFilter(choices=Need.Kind.choices, label=_("Kebutuhan belum terpenuhi"),
                                       empty_label=_("Semua"), method="with_need")  # fmt: skip
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    class Meta:
        model = Innovator
        fields = ["q", "sector", "need", "region"]

    def search(self, qs: QuerySet[Innovator], name: str, value: str) -> QuerySet[Innovator]:
        for word in value.split()[:5]:
            qs = qs.filter(
                Q(person__name__icontains=word) | Q(group_name__icontains=word) | Q(skills__icontains=word)
                | Q(works__icontains=word)
            )  # fmt: skip
        return qs

    def with_need(self, qs: QuerySet[Innovator], name: str, value: str) -> QuerySet[Innovator]:
        open_needs = Need.objects.filter(kind=value).exclude(status=Need.Status.MET)
        return qs.filter(pk__in=open_needs.values("innovator_id"))

    def in_region(self, qs: QuerySet[Innovator], name: str, value: str) -> QuerySet[Innovator]:
        return qs.filter(region_subtree_q("region", value.strip()))

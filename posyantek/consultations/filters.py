"""The staff list filter, shared by the page, the export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from posyantek.catalog.models import Sector
from posyantek.consultations.models import ServiceRequest
from posyantek.consultations.selectors import normalize_code, overdue_q
from posyantek.core.scoping import region_subtree_q


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Cari nama, kode, kebutuhan"))
    state = django_filters.ChoiceFilter(choices=ServiceRequest.State.choices, label=gettext_lazy("Status"),
                                        empty_label=gettext_lazy("Semua status"))  # fmt: skip
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=gettext_lazy("Bidang"),
                                         empty_label=gettext_lazy("Semua bidang"))  # fmt: skip
    channel = django_filters.ChoiceFilter(choices=ServiceRequest.Channel.choices, label=gettext_lazy("Saluran"),
                                          empty_label=gettext_lazy("Semua saluran"))  # fmt: skip
    overdue = django_filters.BooleanFilter(method="only_overdue", label=gettext_lazy("Melewati target"),
                                           widget=django_filters.widgets.BooleanWidget())  # fmt: skip
    handler = django_filters.NumberFilter(field_name="handler_id", label=gettext_lazy("Petugas (ID)"))
    post = django_filters.NumberFilter(field_name="post_id", label=gettext_lazy("Pos (ID)"))
    region = django_filters.CharFilter(method="in_region", label=gettext_lazy("Kode wilayah"))

    class Meta:
        model = ServiceRequest
        fields = ["q", "state", "sector", "channel", "overdue", "handler", "post", "region"]

    def search(self, qs: QuerySet[ServiceRequest], name: str, value: str) -> QuerySet[ServiceRequest]:
        code = normalize_code(value)
        if len(code) == 10 and " " not in value.strip():
            return qs.filter(code=code)
        for word in value.split()[:5]:
            qs = qs.filter(Q(requester_name__icontains=word) | Q(description__icontains=word)
                           | Q(commodity__icontains=word))  # fmt: skip
        return qs

    def only_overdue(self, qs: QuerySet[ServiceRequest], name: str, value: Any) -> QuerySet[ServiceRequest]:
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())

    def in_region(self, qs: QuerySet[ServiceRequest], name: str, value: str) -> QuerySet[ServiceRequest]:
        return qs.filter(region_subtree_q("region", value.strip()))

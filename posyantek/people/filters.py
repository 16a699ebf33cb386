"""The person list filter, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import region_subtree_q
from posyantek.people.models import Person


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, pekerjaan, keahlian"))
    sex = django_filters.ChoiceFilter(choices=Person.Sex.choices, label=_("Jenis kelamin"), empty_label=_("Semua"))
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    class Meta:
        model = Person
        fields = ["q", "sex", "region"]

    def search(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(occupation__icontains=word) | Q(skills__icontains=word))
        return qs

    def in_region(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return qs.filter(region_subtree_q("region", value.strip()))

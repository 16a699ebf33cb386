"""The grant list filter, for the users-and-access page and its export."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.accounts.models import Grant


class GrantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau e-mail"))
    role = django_filters.ChoiceFilter(choices=Grant.Role.choices, label=_("Peran"), empty_label=_("Semua peran"))

    class Meta:
        model = Grant
        fields = ["q", "role"]

    def search(self, qs: QuerySet[Grant], name: str, value: str) -> QuerySet[Grant]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(user__email__icontains=word) | Q(user__full_name__icontains=word))
        return qs

"""The agent list filter, shared by the page, the exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import region_subtree_q
from posyantek.network.models import Agent
from posyantek.regions.models import Region


def province_choices() -> list[tuple[str, str]]:
    """Return the provinces, for the "area" filter (reference data, public)."""
    return list(Region.objects.filter(level=1).order_by("code").values_list("code", "name"))


class AgentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, narahubung, telepon"))
    kind = django_filters.ChoiceFilter(choices=Agent.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    province = django_filters.ChoiceFilter(choices=province_choices, method="in_province",
                                           label=_("Provinsi wilayah pemasaran"),
                                           empty_label=_("Semua provinsi"))  # fmt: skip
    active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Aktif")), ("false", _("Tidak aktif"))]),
    )
    post = django_filters.NumberFilter(field_name="post_id", label=_("Pos (ID)"), widget=forms.HiddenInput)

    class Meta:
        model = Agent
        fields = ["q", "kind", "province", "active", "post"]

    def search(self, qs: QuerySet[Agent], name: str, value: str) -> QuerySet[Agent]:
        for word in value.split()[:5]:
            match = Q(name__icontains=word) | Q(contact_person__icontains=word)
            digits = word.replace("-", "")
            if digits.isdigit():  # numbers are kept as 628…; people type 0812…
                match |= Q(phone__contains=digits[1:] if digits.startswith("0") else digits)
            qs = qs.filter(match)
        return qs

    def in_province(self, qs: QuerySet[Agent], name: str, value: str) -> QuerySet[Agent]:
        return qs.filter(region_subtree_q("area", value.strip()))

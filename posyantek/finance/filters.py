"""List filters of the money, shared by the pages, exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import region_subtree_q
from posyantek.finance.models import Asset, Budget, Entry, FundingSource, Grant, Regulation
from posyantek.trainings.forms import DATE


class _Scoped(django_filters.FilterSet):
    post = django_filters.NumberFilter(field_name="post_id", label=_("Pos (nomor)"), widget=forms.HiddenInput)
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    def in_region(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(region_subtree_q("region", value.strip()))


class EntryFilter(_Scoped):
    q = django_filters.CharFilter(method="search", label=_("Cari uraian, pihak, nomor bukti"))
    kind = django_filters.ChoiceFilter(choices=Entry.Kind.choices, label=_("Jenis"), empty_label=_("Semua"))
    source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("Sumber dana"), empty_label=_("Semua sumber")
    )
    account = django_filters.CharFilter(field_name="account__code", label=_("Kode akun"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Dari tanggal"), widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Sampai tanggal"), widget=DATE)
    grant = django_filters.NumberFilter(field_name="grant_id", label=_("Hibah (nomor)"), widget=forms.HiddenInput)
    cash_account = django_filters.NumberFilter(field_name="cash_account_id", widget=forms.HiddenInput)

    class Meta:
        model = Entry
        fields = ["q", "kind", "source", "account", "date_from", "date_to", "region", "post", "grant", "cash_account"]

    def search(self, qs: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        value = value.strip().lstrip("#")
        if value.isdigit() and len(value) <= 12:
            return qs.filter(Q(pk=int(value)) | Q(reference__icontains=value))
        for word in value.split()[:5]:
            qs = qs.filter(
                Q(description__icontains=word)
                | Q(counterparty__icontains=word)
                | Q(reference__icontains=word)
                | Q(activity__icontains=word)
            )
        return qs


class BudgetFilter(_Scoped):
    year = django_filters.NumberFilter(label=_("Tahun"))
    state = django_filters.ChoiceFilter(choices=Budget.State.choices, label=_("Status"), empty_label=_("Semua"))

    class Meta:
        model = Budget
        fields = ["year", "state", "region", "post"]


class GrantFilter(_Scoped):
    q = django_filters.CharFilter(method="search", label=_("Cari pemberi, tujuan"))
    source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("Sumber dana"), empty_label=_("Semua sumber")
    )
    open = django_filters.BooleanFilter(
        field_name="lpj_submitted_on",
        lookup_expr="isnull",
        label=_("LPJ"),
        widget=forms.Select(
            choices=[("", _("Semua")), ("true", _("Belum disampaikan")), ("false", _("Sudah disampaikan"))]
        ),
    )

    class Meta:
        model = Grant
        fields = ["q", "source", "open", "region", "post"]

    def search(self, qs: QuerySet[Grant], name: str, value: str) -> QuerySet[Grant]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(giver__icontains=word) | Q(purpose__icontains=word))
        return qs


class AssetFilter(_Scoped):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, lokasi, peminjam"))
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    origin = django_filters.ChoiceFilter(choices=Asset.Origin.choices, label=_("Asal"), empty_label=_("Semua asal"))
    condition = django_filters.ChoiceFilter(
        choices=Asset.Condition.choices, label=_("Kondisi"), empty_label=_("Semua kondisi")
    )

    class Meta:
        model = Asset
        fields = ["q", "kind", "origin", "condition", "region", "post"]

    def search(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(location__icontains=word) | Q(lent_to__icontains=word))
        return qs


class RegulationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari judul atau nomor"))
    kind = django_filters.ChoiceFilter(choices=Regulation.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    status = django_filters.ChoiceFilter(choices=Regulation.Status.choices, label=_("Status"), empty_label=_("Semua"))
    national = django_filters.BooleanFilter(
        field_name="region",
        lookup_expr="isnull",
        label=_("Tingkat"),
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Nasional")), ("false", _("Daerah"))]),
    )

    class Meta:
        model = Regulation
        fields = ["q", "kind", "status", "national"]

    def search(self, qs: QuerySet[Regulation], name: str, value: str) -> QuerySet[Regulation]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(number__icontains=word))
        return qs

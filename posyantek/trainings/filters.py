"""List filters of Bintek and participants, shared by the pages, exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import region_subtree_q
from posyantek.trainings.models import Bintek, Participant


class BintekFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari judul, topik, tempat"))
    state = django_filters.ChoiceFilter(choices=Bintek.State.choices, label=_("Tahap"), empty_label=_("Semua tahap"))
    year = django_filters.NumberFilter(field_name="starts_on__year", label=_("Tahun"))
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    class Meta:
        model = Bintek
        fields = ["q", "state", "year", "region"]

    def search(self, qs: QuerySet[Bintek], name: str, value: str) -> QuerySet[Bintek]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(topic__icontains=word) | Q(venue__icontains=word))
        return qs

    def in_region(self, qs: QuerySet[Bintek], name: str, value: str) -> QuerySet[Bintek]:
        return qs.filter(region_subtree_q("region", value.strip()))


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, telepon, nomor"))
    sex = django_filters.ChoiceFilter(choices=Participant.Sex.choices, label=_("Jenis kelamin"),
                                      empty_label=_("Semua"))  # fmt: skip
    group = django_filters.ChoiceFilter(choices=Participant.Group.choices, label=_("Kelompok"),
                                        empty_label=_("Semua kelompok"))  # fmt: skip
    present = django_filters.BooleanFilter(
        method="was_present",
        label=_("Kehadiran"),
        widget=forms.Select(
            choices=[("", _("Semua")), ("true", _("Pernah hadir")), ("false", _("Belum pernah hadir"))]
        ),
    )
    invited = django_filters.BooleanFilter(
        label=_("Undangan"),
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Diundang")), ("false", _("Tidak diundang"))]),
    )

    class Meta:
        model = Participant
        fields = ["q", "sex", "group", "present", "invited"]

    def search(self, qs: QuerySet[Participant], name: str, value: str) -> QuerySet[Participant]:
        value = value.strip()
        if value.isdigit() and len(value) <= 5:
            return qs.filter(Q(number=int(value)) | Q(phone__contains=value))
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(phone__contains=word))
        return qs

    def was_present(self, qs: QuerySet[Participant], name: str, value: bool | None) -> QuerySet[Participant]:
        if value is None:
            return qs
        # The list annotates `n_present` (selectors.participant_list).
        return qs.filter(n_present__gt=0) if value else qs.filter(n_present=0)

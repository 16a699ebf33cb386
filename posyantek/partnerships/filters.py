"""The partner and agreement list filters, shared by the pages, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.partnerships.models import Agreement, Partner
from posyantek.partnerships.selectors import expiring_q, past_end_q
from posyantek.posts.models import Post


def scoped_posts(request: Any) -> QuerySet[Post]:
    """Return the posts the requesting user may see: the only choices of the "post" filter."""
    user = getattr(request, "user", None)
    return Post.objects.for_user(user, "view").only("pk", "name").order_by("name")


def scoped_partners(request: Any) -> QuerySet[Partner]:
    """Return the partners the requesting user may see: the only choices of the "partner" filter."""
    user = getattr(request, "user", None)
    return Partner.objects.for_user(user, "view").only("pk", "name").order_by("name")


def _words(value: str) -> list[str]:
    return value.split()[:5]


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama mitra"))
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))

    class Meta:
        model = Partner
        fields = ["q", "kind", "post"]

    def search(self, qs: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
        for word in _words(value):
            match = Q(name__icontains=word) | Q(contacts__name__icontains=word)
            qs = qs.filter(pk__in=Partner.objects.filter(match).values("pk"))
        return qs


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari judul, nomor, mitra"))
    state = django_filters.ChoiceFilter(choices=Agreement.State.choices, label=_("Tahap"),
                                        empty_label=_("Semua tahap"))  # fmt: skip
    doc_kind = django_filters.ChoiceFilter(choices=Agreement.DocKind.choices, label=_("Jenis dokumen"),
                                           empty_label=_("Semua jenis"))  # fmt: skip
    expiring = django_filters.ChoiceFilter(
        choices=[("ya", _("Berakhir dalam 90 hari")), ("lewat", _("Lewat tanggal berakhir, belum diakhiri"))],
        method="soon", label=_("Masa berlaku"), empty_label=_("Semua"),
    )  # fmt: skip
    partner = django_filters.ModelChoiceFilter(queryset=scoped_partners, method="with_partner", label=_("Mitra"),
                                               empty_label=_("Semua mitra"))  # fmt: skip
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))

    class Meta:
        model = Agreement
        fields = ["q", "state", "doc_kind", "expiring", "partner", "post"]

    def search(self, qs: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        for word in _words(value):
            match = Q(title__icontains=word) | Q(number__icontains=word) | Q(parties__partner__name__icontains=word)
            qs = qs.filter(pk__in=Agreement.objects.filter(match).values("pk"))
        return qs

    def soon(self, qs: QuerySet[Agreement], name: str, value: Any) -> QuerySet[Agreement]:
        if value == "lewat":
            return qs.filter(past_end_q())
        return qs.filter(expiring_q()) if value == "ya" else qs

    def with_partner(self, qs: QuerySet[Agreement], name: str, value: Any) -> QuerySet[Agreement]:
        if value is None:
            return qs
        return qs.filter(pk__in=Agreement.objects.filter(parties__partner=value).values("pk"))

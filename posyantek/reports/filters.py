"""The report list filter, shared by the page, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.posts.models import Post
from posyantek.reports.models import Report


def scoped_posts(request: Any) -> QuerySet[Post]:
    """Return the posts the requesting user may see: the only choices of the "post" filter."""
    return Post.objects.for_user(getattr(request, "user", None), "view").only("pk", "name").order_by("name")


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari pos atau isi uraian"))
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    year = django_filters.NumberFilter(method="in_year", label=_("Tahun"))
    period = django_filters.ChoiceFilter(choices=Report.Period.choices, label=_("Periode"),
                                         empty_label=_("Semua periode"))  # fmt: skip
    state = django_filters.ChoiceFilter(choices=Report.State.choices, label=_("Status"), empty_label=_("Semua status"))

    class Meta:
        model = Report
        fields = ["q", "post", "kind", "year", "period", "state"]

    def search(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(post__name__icontains=word) | Q(narrative__icontains=word)
                           | Q(decision_note__icontains=word))  # fmt: skip
        return qs

    def in_year(self, qs: QuerySet[Report], name: str, value: Any) -> QuerySet[Report]:
        if value is None:
            return qs
        if not 1900 <= value <= 2200 or value != int(value):
            return qs.none()
        return qs.filter(year=int(value))

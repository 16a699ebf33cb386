"""The exhibition list filter, shared by the page, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.exhibitions.models import Exhibition
from posyantek.posts.models import Post


def scoped_posts(request: Any) -> QuerySet[Post]:
    """Return the posts the requesting user may see: the only choices of the "post" filter."""
    user = getattr(request, "user", None)
    return Post.objects.for_user(user, "view").only("pk", "name").order_by("name")


class ExhibitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, tempat, penyelenggara"))
    level = django_filters.ChoiceFilter(choices=Exhibition.Level.choices, label=_("Tingkat"),
                                        empty_label=_("Semua tingkat"))  # fmt: skip
    kind = django_filters.ChoiceFilter(choices=Exhibition.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    state = django_filters.ChoiceFilter(choices=Exhibition.State.choices, label=_("Tahap"),
                                        empty_label=_("Semua tahap"))  # fmt: skip
    year = django_filters.NumberFilter(method="in_year", label=_("Tahun"))
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))

    class Meta:
        model = Exhibition
        fields = ["q", "level", "kind", "state", "year", "post"]

    def search(self, qs: QuerySet[Exhibition], name: str, value: str) -> QuerySet[Exhibition]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(name__icontains=word) | Q(venue__icontains=word) | Q(organiser__icontains=word))
        return qs

    def in_year(self, qs: QuerySet[Exhibition], name: str, value: Any) -> QuerySet[Exhibition]:
        if value is None:
            return qs
        if not 1900 <= value <= 2200 or value != int(value):  # a typo, not a year: nothing, rather than an error
            return qs.none()
        return qs.filter(starts_on__year=int(value))

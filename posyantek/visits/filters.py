"""The visit list filter, shared by the page, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.posts.models import Post
from posyantek.visits.models import Visit


def scoped_posts(request: Any) -> QuerySet[Post]:
    """Return the posts the requesting user may see: the only choices of the "post" filter."""
    user = getattr(request, "user", None)
    return Post.objects.for_user(user, "view").only("pk", "name").order_by("name")


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari judul, instansi, ketua rombongan"))
    direction = django_filters.ChoiceFilter(choices=Visit.Direction.choices, label=_("Arah"),
                                            empty_label=_("Masuk dan keluar"))  # fmt: skip
    state = django_filters.ChoiceFilter(choices=Visit.State.choices, label=_("Tahap"), empty_label=_("Semua tahap"))
    purpose = django_filters.ChoiceFilter(choices=Visit.Purpose.choices, method="with_purpose", label=_("Maksud"),
                                          empty_label=_("Semua maksud"))  # fmt: skip
    year = django_filters.NumberFilter(method="in_year", label=_("Tahun"))
    post = django_filters.ModelChoiceFilter(queryset=scoped_posts, label=_("Pos"), empty_label=_("Semua pos"))

    class Meta:
        model = Visit
        fields = ["q", "direction", "state", "purpose", "year", "post"]

    def search(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        for word in value.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(institution__icontains=word) | Q(leader__icontains=word))
        return qs

    def with_purpose(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        # The purposes are a JSON list of known codes; matching the quoted code works on SQLite and PostgreSQL.
        return qs.filter(purposes__icontains=f'"{value}"') if value in Visit.Purpose.values else qs

    def in_year(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        if value is None:
            return qs
        if not 1900 <= value <= 2200 or value != int(value):  # a typo, not a year: nothing, rather than an error
            return qs.none()
        return qs.filter(starts_on__year=int(value))

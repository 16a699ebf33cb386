"""The post list filter, shared by the page, the export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from posyantek.core.scoping import region_subtree_q
from posyantek.posts.models import Post


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama, wilayah, nomor SK/SKT"))
    kind = django_filters.ChoiceFilter(choices=Post.Kind.choices, label=_("Jenis"), empty_label=_("Semua jenis"))
    status = django_filters.ChoiceFilter(choices=Post.Status.choices, label=_("Status"), empty_label=_("Semua status"))
    region = django_filters.CharFilter(method="in_region", label=_("Kode wilayah (beserta di bawahnya)"))

    class Meta:
        model = Post
        fields = ["q", "kind", "status", "region"]

    def search(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        for word in value.split()[:5]:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(region__name__icontains=word)
                | Q(sk_number__icontains=word)
                | Q(skt_number__icontains=word)
            )
        return qs

    def in_region(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return qs.filter(region_subtree_q("region", value.strip()))

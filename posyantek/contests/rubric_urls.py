"""Pages of the contests app: rubrics under /lomba/rubrik/ and the chain check /lomba/rantai/; included by urls.py."""

from django.urls import path

from posyantek.contests import chain_views, rubric_views

urlpatterns: list = [
    path("rubrik/", rubric_views.rubric_list, name="rubric_list"),
    path("rubrik/baru", rubric_views.rubric_create, name="rubric_create"),
    path("rubrik/<int:pk>/", rubric_views.rubric_detail, name="rubric_detail"),
    path("rubrik/<int:pk>/ubah", rubric_views.rubric_edit, name="rubric_edit"),
    path("rubrik/<int:pk>/versi-baru", rubric_views.rubric_new_version, name="rubric_new_version"),
    path("rubrik/<int:pk>/bobot", rubric_views.rubric_weights, name="rubric_weights"),
    path("rubrik/<int:pk>/kriteria/baru", rubric_views.criterion_form, name="criterion_create"),
    path("rubrik/<int:pk>/kriteria/<int:cpk>/ubah", rubric_views.criterion_form, name="criterion_edit"),
    path("rubrik/<int:pk>/kriteria/<int:cpk>/hapus", rubric_views.criterion_remove, name="criterion_remove"),
    path("rubrik/<int:pk>/kriteria/<int:cpk>/bobot", rubric_views.criterion_weights, name="criterion_weights"),
    path("rubrik/<int:pk>/kriteria/<int:cpk>/indikator/baru", rubric_views.indicator_form, name="indicator_create"),
    path("rubrik/<int:pk>/indikator/<int:ipk>/ubah", rubric_views.indicator_form, name="indicator_edit"),
    path("rubrik/<int:pk>/indikator/<int:ipk>/hapus", rubric_views.indicator_remove, name="indicator_remove"),
    path("rantai/", chain_views.chain_check, name="chain_check"),
]

"""Pages of the contests app (judging); included by urls.py."""

from django.urls import path

from posyantek.contests import judging_views as views

urlpatterns = [
    # Organisers: panels, progress, assigning sheets, reopening a locked sheet.
    path("kelola/<int:pk>/juri/", views.panel_list, name="panel_list"),
    path("kelola/<int:pk>/juri/tim", views.panel_create, name="panel_create"),
    path("kelola/<int:pk>/juri/tambah", views.judge_add, name="judge_add"),
    path("kelola/<int:pk>/juri/<int:judge_pk>/hapus", views.judge_remove, name="judge_remove"),
    path("kelola/<int:pk>/penilaian/", views.judging_progress, name="judging_progress"),
    path("kelola/<int:pk>/penilaian/tugaskan", views.judging_assign, name="judging_assign"),
    path("kelola/<int:pk>/penilaian/lembar/<int:sheet_pk>/buka", views.sheet_reopen, name="sheet_reopen"),
    # Judges: the queue and a sheet, one indicator at a time.
    path("nilai/", views.judge_home, name="judge_home"),
    path("nilai/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("nilai/<int:pk>/skor/<int:indicator_pk>", views.sheet_score, name="sheet_score"),
    path("nilai/<int:pk>/kunci", views.sheet_lock, name="sheet_lock"),
    path("nilai/<int:pk>/konflik", views.sheet_conflict, name="sheet_conflict"),
    path("nilai/<int:pk>/berkas/<int:file_pk>", views.sheet_evidence, name="sheet_evidence"),
]

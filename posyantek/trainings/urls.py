"""Staff pages for Bintek, under /bintek/."""

from django.urls import path

from posyantek.trainings import import_views, views

app_name = "trainings"
urlpatterns = [
    path("", views.bintek_list_view, name="bintek_list"),
    path("baru", views.bintek_form, name="bintek_create"),
    path("<int:pk>/", views.bintek_detail, name="bintek_detail"),
    path("<int:pk>/ubah", views.bintek_form, name="bintek_edit"),
    path("<int:pk>/tahap", views.bintek_state, name="bintek_state"),
    path("<int:pk>/hapus", views.bintek_remove, name="bintek_remove"),
    path("<int:pk>/<str:kind>/<int:obj>/hapus", views.item_remove, name="item_remove"),
    path("<int:pk>/laporan", views.bintek_report, name="bintek_report"),
    path("<int:pk>/berkas", views.material_add, name="material_add"),
    path("<int:pk>/berkas/<str:kind>/<int:obj>", views.bintek_file, name="bintek_file"),
    path("<int:pk>/presensi", views.session_open, name="session_open"),
    path("<int:pk>/presensi/<int:spk>/qr.svg", views.session_qr, name="session_qr"),
    path("<int:pk>/sertifikat", views.certificates_issue_all, name="certificates_issue_all"),
    path("<int:pk>/tindak-lanjut", views.followup_create, name="followup_create"),
    path("<int:pk>/tindak-lanjut/<int:fpk>/ubah", views.followup_edit, name="followup_edit"),
    path("<int:pk>/hasil", views.outcome_record, name="outcome_record"),
    path("<int:pk>/peserta/", views.participant_list_view, name="participant_list"),
    path("<int:pk>/peserta/baru", views.participant_form, name="participant_create"),
    path("<int:pk>/peserta/impor", import_views.participant_import, name="participant_import"),
    path("<int:pk>/peserta/<int:ppk>/ubah", views.participant_form, name="participant_edit"),
    path("<int:pk>/peserta/<int:ppk>/hadir", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/peserta/<int:ppk>/sertifikat", views.certificate_issue, name="certificate_issue"),
    path("<int:pk>/peserta/<int:ppk>/sertifikat.pdf", views.certificate_pdf, name="certificate_pdf"),
]

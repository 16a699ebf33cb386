"""Pages of the contests app (editions and entries); included by urls.py."""

from django.urls import path

from posyantek.contests import edition_views, entry_views

urlpatterns: list = [
    path("kelola/", edition_views.edition_list, name="edition_list"),
    path("kelola/baru", edition_views.edition_form, name="edition_create"),
    path("kelola/<int:pk>/", edition_views.edition_detail, name="edition_detail"),
    path("kelola/<int:pk>/ubah", edition_views.edition_form, name="edition_edit"),
    path("kelola/<int:pk>/tahap", edition_views.edition_state, name="edition_state"),
    path("kelola/<int:pk>/juknis", edition_views.edition_file, name="edition_file"),
    path("kelola/<int:pk>/jadwal", edition_views.stage_form, name="stage_add"),
    path("kelola/<int:pk>/jadwal/<int:spk>/ubah", edition_views.stage_form, name="stage_edit"),
    path("kelola/<int:pk>/jadwal/<int:spk>/hapus", edition_views.stage_remove, name="stage_remove"),
    path("kelola/<int:pk>/hadiah", edition_views.prize_form, name="prize_add"),
    path("kelola/<int:pk>/hadiah/<int:ppk>/ubah", edition_views.prize_form, name="prize_edit"),
    path("kelola/<int:pk>/hadiah/<int:ppk>/hapus", edition_views.prize_remove, name="prize_remove"),
    path("kelola/<int:pk>/daftar", entry_views.entry_register, name="entry_register"),
    path("peserta/<int:pk>/", entry_views.entry_detail, name="entry_detail"),
    path("peserta/<int:pk>/dossier/<int:ipk>", entry_views.dossier_save, name="dossier_save"),
    path("peserta/<int:pk>/bukti", entry_views.evidence_add, name="evidence_add"),
    path("peserta/<int:pk>/bukti/<int:fpk>", entry_views.evidence_file, name="evidence_file"),
    path("peserta/<int:pk>/bukti/<int:fpk>/hapus", entry_views.evidence_remove, name="evidence_remove"),
    path("peserta/<int:pk>/angka-sistem", entry_views.entry_prefill, name="entry_prefill"),
    path("peserta/<int:pk>/ajukan", entry_views.entry_submit, name="entry_submit"),
    path("peserta/<int:pk>/kembalikan", entry_views.entry_return, name="entry_return"),
    path("peserta/<int:pk>/administrasi", entry_views.entry_admin, name="entry_admin"),
    path("peserta/<int:pk>/status", entry_views.entry_state, name="entry_state"),
    path("peserta/<int:pk>/mundur", entry_views.entry_withdraw, name="entry_withdraw"),
]

"""Staff pages of partnerships, under /kemitraan/: agreements at the root, partners under mitra/."""

from django.urls import path

from posyantek.partnerships import agreement_views, import_views, views

app_name = "partnerships"
urlpatterns = [
    path("", agreement_views.agreement_list_view, name="agreement_list"),
    path("baru", agreement_views.agreement_form, name="agreement_create"),
    path("<int:pk>/", agreement_views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/ubah", agreement_views.agreement_form, name="agreement_edit"),
    path("<int:pk>/tahap", agreement_views.agreement_state, name="agreement_state"),
    path("<int:pk>/berkas", agreement_views.agreement_file, name="agreement_file"),
    path("<int:pk>/pihak", agreement_views.party_add, name="party_add"),
    path("<int:pk>/pihak/<int:ppk>/ubah", agreement_views.party_edit, name="party_edit"),
    path("<int:pk>/pihak/<int:ppk>/hapus", agreement_views.party_remove, name="party_remove"),
    path("<int:pk>/hasil", agreement_views.result_add, name="result_add"),
    path("<int:pk>/hasil/<int:rpk>/hapus", agreement_views.result_remove, name="result_remove"),
    path("mitra/", views.partner_list_view, name="partner_list"),
    path("mitra/baru", views.partner_form, name="partner_create"),
    path("mitra/impor", import_views.partner_import, name="partner_import"),
    path("mitra/wilayah", views.region_options, name="region_options"),
    path("mitra/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("mitra/<int:pk>/ubah", views.partner_form, name="partner_edit"),
    path("mitra/<int:pk>/kontak", views.contact_add, name="contact_add"),
    path("mitra/<int:pk>/kontak/<int:cpk>/ubah", views.contact_edit, name="contact_edit"),
    path("mitra/<int:pk>/kontak/<int:cpk>/hapus", views.contact_remove, name="contact_remove"),
]

"""Pages of visits, under /kunjungan/ (staff), with the public guest book and the calendar feed."""

from django.urls import path

from posyantek.visits import calendar_views, guest_views, views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list_view, name="visit_list"),
    path("baru", views.visit_form, name="visit_create"),
    path("kalender/", calendar_views.visit_calendar, name="calendar"),
    path("kalender/tautan-baru", calendar_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("kalender/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("buku-tamu/<str:token>/", guest_views.guestbook_public, name="guestbook_public"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/ubah", views.visit_form, name="visit_edit"),
    path("<int:pk>/buku-tamu/<int:gpk>/hapus", guest_views.guest_remove, name="guest_remove"),
    path("<int:pk>/<str:kind>/<int:obj>/hapus", views.item_remove, name="item_remove"),
    path("<int:pk>/tahap", views.visit_state, name="visit_state"),
    path("<int:pk>/surat", views.visit_letter, name="visit_letter"),
    path("<int:pk>/agenda", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:apk>/ubah", views.agenda_edit, name="agenda_edit"),
    path("<int:pk>/tindak-lanjut", views.follow_up_add, name="follow_up_add"),
    path("<int:pk>/tindak-lanjut/<int:fpk>/ubah", views.follow_up_edit, name="follow_up_edit"),
    path("<int:pk>/kunjungan-balasan", views.return_visit_form, name="return_visit"),
    path("<int:pk>/foto", views.photo_add, name="photo_add"),
    path("<int:pk>/foto/<int:ppk>/<str:size>", views.photo_file, name="photo_file"),
    path("<int:pk>/buku-tamu", guest_views.guest_add, name="guest_add"),
    path("<int:pk>/buku-tamu/<int:gpk>/ttd.png", guest_views.guest_signature, name="guest_signature"),
    path("<int:pk>/buku-tamu/qr.svg", guest_views.guestbook_qr, name="guestbook_qr"),
    path("<int:pk>/buku-tamu/cetak", guest_views.guestbook_print, name="guestbook_print"),
    path("<int:pk>/buku-tamu.<str:fmt>", guest_views.guestbook_export, name="guestbook_export"),
]

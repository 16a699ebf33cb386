"""Staff pages for exhibitions and roadshows, under /pameran/."""

from django.urls import path

from posyantek.exhibitions import views

app_name = "exhibitions"
urlpatterns = [
    path("", views.exhibition_list_view, name="exhibition_list"),
    path("baru", views.exhibition_form, name="exhibition_create"),
    path("wilayah", views.region_options, name="region_options"),
    path("<int:pk>/", views.exhibition_detail, name="exhibition_detail"),
    path("<int:pk>/ubah", views.exhibition_form, name="exhibition_edit"),
    path("<int:pk>/tahap", views.exhibition_state, name="exhibition_state"),
    path("<int:pk>/pengunjung", views.exhibition_visitors, name="exhibition_visitors"),
    path("<int:pk>/produk", views.product_add, name="product_add"),
    path("<int:pk>/produk/<int:ppk>/ubah", views.product_edit, name="product_edit"),
    path("<int:pk>/biaya", views.cost_add, name="cost_add"),
    path("<int:pk>/calon-pembeli", views.lead_add, name="lead_add"),
    path("<int:pk>/calon-pembeli/<int:lpk>/ubah", views.lead_edit, name="lead_edit"),
    path("<int:pk>/calon-pembeli/<int:lpk>/tindak-lanjut", views.lead_follow_up, name="lead_follow_up"),
    path("<int:pk>/kerja-sama", views.offer_add, name="offer_add"),
    path("<int:pk>/kerja-sama/<int:opk>/ubah", views.offer_edit, name="offer_edit"),
    path("<int:pk>/<str:kind>/<int:obj>/hapus", views.item_remove, name="item_remove"),
    path("<int:pk>/laporan", views.exhibition_report_view, name="exhibition_report"),
    path("<int:pk>/laporan.pdf", views.exhibition_report_pdf, name="exhibition_report_pdf"),
    path("<int:pk>/laporan.xlsx", views.exhibition_report_xlsx, name="exhibition_report_xlsx"),
]

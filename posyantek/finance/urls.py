"""Staff pages of the money, under /keuangan/."""

from django.urls import path

from posyantek.finance import budget_views, grant_views, import_views, report_views, views

app_name = "finance"
urlpatterns = [
    path("", views.finance_home, name="home"),
    path("pos/<int:post_id>/", views.post_finance, name="post_finance"),
    path("pos/<int:post_id>/tutup-buku", views.month_close, name="month_close"),
    path("pos/<int:post_id>/kas-baru", views.cash_account_create, name="cash_account_create"),
    path("pos/<int:post_id>/akun-baru", views.account_create, name="account_create"),
    path("pos/<int:post_id>/kas/baru", views.entry_create, name="entry_create"),
    path("pos/<int:post_id>/kas/impor", import_views.entry_import_view, name="entry_import"),
    path("pos/<int:post_id>/buku-kas", report_views.post_cash_book, name="cash_book"),
    path("pos/<int:post_id>/realisasi", report_views.post_realisation, name="post_realisation"),
    path("pos/<int:post_id>/anggaran/baru", budget_views.budget_create, name="budget_create"),
    path("pos/<int:post_id>/hibah/baru", grant_views.grant_form, name="grant_create"),
    path("pos/<int:post_id>/aset/baru", grant_views.asset_form, name="asset_create"),
    path("kas/", views.entry_list_view, name="entry_list"),
    path("kas/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("kas/<int:pk>/batal", views.entry_reverse, name="entry_reverse"),
    path("kas/<int:pk>/bukti", views.entry_receipt, name="entry_receipt"),
    path("kas/<int:pk>/bukti/unduh", views.entry_receipt_file, name="entry_receipt_file"),
    path("realisasi/", report_views.realisation_rollup, name="rollup"),
    path("anggaran/", budget_views.budget_list_view, name="budget_list"),
    path("anggaran/<int:pk>/", budget_views.budget_detail, name="budget_detail"),
    path("anggaran/<int:pk>/rincian", budget_views.budget_line_add, name="budget_line_add"),
    path("anggaran/<int:pk>/rincian/<int:line_id>/hapus", budget_views.budget_line_remove, name="budget_line_remove"),
    path("anggaran/<int:pk>/setujui", budget_views.budget_approve, name="budget_approve"),
    path("anggaran/<int:pk>/revisi", budget_views.budget_revise, name="budget_revise"),
    path("anggaran/<int:pk>/hapus", budget_views.budget_remove, name="budget_remove"),
    path("hibah/", grant_views.grant_list_view, name="grant_list"),
    path("hibah/<int:pk>/", grant_views.grant_detail, name="grant_detail"),
    path("hibah/<int:pk>/ubah", grant_views.grant_form, name="grant_edit"),
    path("hibah/<int:pk>/berkas", grant_views.grant_file, name="grant_file"),
    path("hibah/<int:pk>/lpj.<str:fmt>", grant_views.grant_lpj_view, name="grant_lpj"),
    path("hibah/<int:pk>/lpj-disampaikan", grant_views.grant_lpj_submit, name="grant_lpj_submit"),
    path("aset/", grant_views.asset_list_view, name="asset_list"),
    path("aset/<int:pk>/", grant_views.asset_detail, name="asset_detail"),
    path("aset/<int:pk>/ubah", grant_views.asset_form, name="asset_edit"),
    path("peraturan/", budget_views.regulation_list_view, name="regulation_list"),
    path("peraturan/baru", budget_views.regulation_form, name="regulation_create"),
    path("peraturan/<int:pk>/", budget_views.regulation_detail, name="regulation_detail"),
    path("peraturan/<int:pk>/ubah", budget_views.regulation_form, name="regulation_edit"),
    path("peraturan/<int:pk>/pasal", budget_views.article_add, name="article_add"),
    path("peraturan/<int:pk>/berkas", budget_views.regulation_file, name="regulation_file"),
]

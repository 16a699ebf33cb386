"""Pages of periodic reports, under /laporan/."""

from django.urls import path

from posyantek.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list_view, name="report_list"),
    path("baru/", views.report_create, name="report_create"),
    path("masuk/", views.report_inbox, name="report_inbox"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/<str:step>/", views.report_step, name="report_step"),
]

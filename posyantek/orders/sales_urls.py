"""Sales analysis, under /penjualan/."""

from django.urls import path

from posyantek.orders import sales_views

app_name = "sales"
urlpatterns = [
    path("", sales_views.sales_analysis_view, name="sales_analysis"),
]

from django.urls import path

from posyantek.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("nasional/", views.nation_dashboard, name="nation"),
    path("wilayah/<str:code>/", views.region_dashboard, name="region"),
    path("pos/<slug:slug>/", views.post_dashboard, name="post"),
]

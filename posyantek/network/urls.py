"""Staff pages for the marketing network (agents), under /jejaring/."""

from django.urls import path

from posyantek.network import import_views, views

app_name = "network"
urlpatterns = [
    path("", views.agent_list_view, name="agent_list"),
    path("baru", views.agent_form, name="agent_create"),
    path("impor", import_views.agent_import, name="agent_import"),
    path("<int:pk>/", views.agent_detail, name="agent_detail"),
    path("<int:pk>/ubah", views.agent_form, name="agent_edit"),
    path("<int:pk>/aktif", views.agent_active, name="agent_active"),
]

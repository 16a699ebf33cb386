from django.urls import path

from posyantek.posts import views

app_name = "posts"
urlpatterns = [
    path("", views.post_list_view, name="post_list"),
    path("baru", views.post_create, name="post_create"),
    path("direktori", views.post_directory, name="post_directory"),
    path("peringatan", views.post_alerts, name="post_alerts"),
    path("profil/<slug:slug>/", views.post_public, name="post_public"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/ubah", views.post_edit, name="post_edit"),
    path("<int:pk>/status", views.post_status, name="post_status"),
    path("<int:pk>/berkas/<str:field>", views.post_file, name="post_file"),
    path("<int:pk>/pengurus/baru", views.board_form, name="board_create"),
    path("<int:pk>/pengurus/<int:term_pk>/", views.board_detail, name="board_detail"),
    path("<int:pk>/pengurus/<int:term_pk>/ubah", views.board_form, name="board_edit"),
    path("<int:pk>/pengurus/<int:term_pk>/berkas", views.board_file, name="board_file"),
    path("<int:pk>/pengurus/hapus/<int:officer_pk>", views.officer_remove, name="officer_remove"),
]

"""Pages of the replication app under /replikasi/: staff pages first, the public kit pages (by post slug) last."""

from django.urls import path

from posyantek.replication import adoption_views, public_views, views

app_name = "replication"
urlpatterns = [
    # Staff: kits and their editor.
    path("kelola/", views.kit_list_view, name="kit_list"),
    path("kelola/baru", views.kit_create, name="kit_create"),
    path("kelola/<int:pk>/", views.kit_edit, name="kit_edit"),
    path("kelola/<int:pk>/bawaan", views.kit_defaults, name="kit_defaults"),
    path("kelola/<int:pk>/langkah", views.item_add, name="item_add"),
    path("kelola/<int:pk>/langkah/<int:item_pk>/ubah", views.item_edit, name="item_edit"),
    path("kelola/<int:pk>/langkah/<int:item_pk>/geser", views.item_move, name="item_move"),
    path("kelola/<int:pk>/langkah/<int:item_pk>/hapus", views.item_remove, name="item_remove"),
    path("kelola/<int:pk>/penghargaan", views.award_add, name="award_add"),
    path("kelola/<int:pk>/penghargaan/<int:award_pk>/ubah", views.award_edit, name="award_edit"),
    path("kelola/<int:pk>/penghargaan/<int:award_pk>/hapus", views.award_remove, name="award_remove"),
    # Staff: adoptions, progress, checklists.
    path("adopsi/", adoption_views.adoption_list_view, name="adoption_list"),
    path("adopsi/baru", adoption_views.adoption_create, name="adoption_create"),
    path("adopsi/<int:pk>/", adoption_views.adoption_detail, name="adoption_detail"),
    path("adopsi/<int:pk>/ubah", adoption_views.adoption_edit, name="adoption_edit"),
    path("adopsi/<int:pk>/tambah-pos", adoption_views.adoption_add_posts, name="adoption_add_posts"),
    path("adopsi/<int:pk>/pos/<int:post_pk>/", adoption_views.post_checklist, name="post_checklist"),
    path(
        "adopsi/<int:pk>/pos/<int:post_pk>/keluarkan", adoption_views.adoption_remove_post, name="adoption_remove_post"
    ),  # fmt: skip
    path("adopsi/<int:pk>/pos/<int:post_pk>/langkah/<int:item_pk>/centang", adoption_views.tick, name="tick"),
    path(
        "adopsi/<int:pk>/pos/<int:post_pk>/langkah/<int:item_pk>/dari-data",
        adoption_views.tick_from_data,
        name="tick_from_data",
    ),  # fmt: skip
    path("adopsi/<int:pk>/pos/<int:post_pk>/langkah/<int:item_pk>/batal", adoption_views.untick, name="untick"),
    path(
        "adopsi/<int:pk>/pos/<int:post_pk>/langkah/<int:item_pk>/bukti",
        adoption_views.evidence_file,
        name="evidence_file",
    ),  # fmt: skip
    path("saya/", adoption_views.my_checklists_view, name="my_checklists"),
    # Public: the published kits.
    path("", public_views.kit_index, name="kit_index"),
    path("<slug:slug>/", public_views.kit_public, name="kit_public"),
    path("<slug:slug>/kit.pdf", public_views.kit_pdf, name="kit_pdf"),
]

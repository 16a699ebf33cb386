"""Public pages of the contests app (no login); included by urls.py."""

from django.urls import path

from posyantek.contests import public_views

urlpatterns = [
    path("", public_views.public_index, name="public_index"),
    path("peringkat/", public_views.leaderboard, name="leaderboard"),
    path("pos/<slug:slug>/", public_views.post_history, name="post_history"),
    path("<int:pk>/", public_views.public_edition, name="public_edition"),
    path("<int:pk>/nilai/<int:entry_pk>/", public_views.public_score, name="public_score"),
]

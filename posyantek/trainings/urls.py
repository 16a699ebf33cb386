"""Staff pages for Bintek, under /bintek/."""

app_name = "trainings"
urlpatterns: list = []

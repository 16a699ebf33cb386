"""Staff pages for Bintek, under /bintek/."""

app_name = "training"
urlpatterns: list = []

"""Pages of the contests app under /lomba/: staff pages (rubrics, editions, entries, judging, results) and the
public results, leaderboards and contest histories. Each part keeps its own patterns."""

from posyantek.contests import edition_urls, judging_urls, public_urls, result_urls, rubric_urls

app_name = "contests"
urlpatterns = (
    rubric_urls.urlpatterns
    + edition_urls.urlpatterns
    + judging_urls.urlpatterns
    + result_urls.urlpatterns
    + public_urls.urlpatterns
)

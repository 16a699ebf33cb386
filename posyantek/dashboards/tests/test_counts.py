"""The direct counts (`dashboards.counts`): every indicator of a post from raw rows, by hand, and a region's sums."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from posyantek.dashboards import counts
from posyantek.dashboards.indicators import INDICATORS, SUMMED_KEYS, indicator
from posyantek.dashboards.models import Figures, RegionFigures
from posyantek.dashboards.tests.activity_data import make_activity, make_editions, make_standing
from posyantek.posts.models import Post

pytestmark = pytest.mark.django_db

YEAR = {y: (dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in (2023, 2024, 2025, 2026)}


@pytest.fixture
def mitra(posts: dict[str, Post]) -> Post:
    post = posts["mitra"]
    make_activity(post, 0, editions=make_editions("33"), village="33.75.03.1004")
    return post


def test_indicators_cover_every_figure() -> None:
    fields = {f.name for f in Figures._meta.get_fields()} - {"refreshed_at"}
    standing = {f.name for f in RegionFigures._meta.get_fields() if f.name.startswith("posts_")}
    keys = [item.key for item in INDICATORS]
    assert len(keys) == len(set(keys))
    assert set(keys) == fields | standing
    assert indicator("median_days").unit == "days" and indicator("funding").mapping
    assert indicator("posts_active").post_field == "is_active"
    for item in INDICATORS:
        assert str(item.label) and str(item.definition).endswith(".") and str(item.group_label)
        assert item.unit in ("count", "rupiah", "days")


def test_median_from_histogram() -> None:
    assert counts.median_from_histogram({}) is None
    assert counts.median_from_histogram({"5": 1}) == 5
    assert counts.median_from_histogram({"1": 2, "9": 1}) == 1
    assert counts.median_from_histogram({"1": 1, "4": 1}) == 2.5
    assert counts.median_from_histogram({"10": 2, "2": 2, "3": 0}) == 6


def test_post_counts_by_year(mitra: Post) -> None:
    y2024, y2025, y2026 = (counts.post_counts(mitra, *YEAR[y]) for y in (2024, 2025, 2026))
    # Requests: the Jakarta date decides (UTC 31 December 18:00 is 1 January); only `selesai` is resolved.
    assert (y2024["requests_received"], y2025["requests_received"], y2026["requests_received"]) == (1, 3, 2)
    assert y2025["resolved_days"] == {"2": 1} and y2025["median_days"] == 2
    assert y2026["requests_resolved"] == 1 and y2026["resolved_days"] == {"12": 1}
    # Bintek held by their end date; a planned one does not count; participants by sex.
    assert [(y["bintek_held"], y["participants_male"], y["participants_female"]) for y in (y2024, y2025, y2026)] == [
        (1, 0, 2), (1, 2, 3), (1, 1, 1)]  # fmt: skip
    # TTG: catalogued on the Jakarta date; produced at the first production change, or when created without one.
    assert [(y["ttg_catalogued"], y["ttg_produced"]) for y in (y2024, y2025, y2026)] == [(1, 1), (1, 1), (1, 0)]
    assert (y2025["ttg_adopted"], y2025["adoption_units"], y2025["adoption_villages"]) == (2, 5, 1)
    assert (y2026["ttg_adopted"], y2026["adoption_units"], y2026["adoption_villages"]) == (1, 1, 1)
    assert (y2025["innovators"], y2026["needs_unmet"], y2025["needs_unmet"]) == (1, 2, 0)
    # Sales: confirmed, not cancelled; value of the items; in and out of region.
    assert (y2025["orders_in_region"], y2025["sales_in_region"]) == (1, 2_250_000)
    assert (y2025["orders_out_region"], y2025["sales_out_region"]) == (1, 5_000_000)
    assert (y2026["orders_in_region"], y2026["orders_out_region"], y2026["sales_out_region"]) == (0, 1, 700_000)
    # Money: net income per source (a reversal in the next year makes that year's CSR negative).
    assert y2025["funding"] == {"apbd_kabkota": 10_000_000, "csr": 4_000_000} and y2025["income_total"] == 14_000_000
    assert y2026["funding"] == {"csr": -4_000_000, "swadaya": 1_500_000} and y2026["income_total"] == -2_500_000
    assert (y2025["spent_total"], y2026["spent_total"]) == (3_000_000, 700_000)
    assert (y2025["budget_total"], y2026["budget_total"]) == (20_000_000, 9_000_000)  # the draft does not count
    # Partnerships signed and valid in the year (an ended one counts for the years it ran).
    assert [counts.post_counts(mitra, *YEAR[y])["partnerships_active"] for y in (2023, 2024, 2025, 2026)] == [
        1, 2, 1, 1]  # fmt: skip
    assert [(y["visits_hosted"], y["visits_made"]) for y in (y2024, y2025, y2026)] == [(0, 0), (1, 1), (1, 0)]
    assert [(y["contest_entries"], y["contest_awards"]) for y in (y2024, y2025, y2026)] == [(1, 0), (1, 1), (1, 0)]


def test_post_counts_all_time_and_a_quarter(mitra: Post) -> None:
    total = counts.post_counts(mitra, None, None)
    assert total["requests_received"] == 6 and total["requests_resolved"] == 2
    assert total["resolved_days"] == {"2": 1, "12": 1} and total["median_days"] == 7
    assert (total["adoption_villages"], total["partnerships_active"], total["budget_total"]) == (2, 3, 29_000_000)
    assert total["funding"] == {"apbd_kabkota": 10_000_000, "swadaya": 1_500_000}  # CSR nets to zero
    q1 = counts.post_counts(mitra, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert (q1["requests_received"], q1["requests_resolved"], q1["orders_in_region"]) == (2, 1, 1)
    assert (q1["partnerships_active"], q1["budget_total"], q1["contest_entries"]) == (1, 20_000_000, 1)
    for key in SUMMED_KEYS:
        assert isinstance(total[key], int)


def test_standing_rules(posts: dict[str, Post]) -> None:
    mitra, wartek, dki = posts["mitra"], posts["wartek"], posts["dki"]
    make_standing(mitra)
    make_standing(wartek, active=False)  # its board term ended
    make_standing(dki)
    Post.objects.filter(pk=dki.pk).update(status=Post.Status.TIDAK_AKTIF)
    assert counts.post_standing(mitra) == {"is_active": True, "has_sk": True, "skt_valid": True, "has_board": True}
    assert counts.post_standing(wartek) == {"is_active": False, "has_sk": True, "skt_valid": True, "has_board": False}
    assert counts.post_standing(dki)["is_active"] is False
    Post.objects.filter(pk=mitra.pk).update(skt_valid_until=dt.date(2020, 1, 1))
    assert counts.post_standing(mitra) == {"is_active": False, "has_sk": True, "skt_valid": False, "has_board": True}
    # The rule on another day: on 1 January 2019 the SKT (valid until 2020) was valid, the board not yet in office.
    assert counts.post_standing(mitra, dt.date(2019, 1, 1))["skt_valid"] is True
    assert counts.post_standing(mitra, dt.date(2019, 1, 1))["has_board"] is False


def test_region_counts_sum_the_posts(posts: dict[str, Post]) -> None:
    editions = make_editions("33")
    make_activity(posts["mitra"], 0, editions=editions)
    make_activity(posts["wartek"], 1, editions=editions)
    make_activity(posts["dki"], 2)
    make_standing(posts["mitra"])
    a, b = (counts.post_counts(posts[k], *YEAR[2025]) for k in ("mitra", "wartek"))
    city = counts.region_counts("33.75", *YEAR[2025])
    for key in SUMMED_KEYS:
        assert city[key] == a[key] + b[key], key
    # The median over both posts' requests, not the mean of their medians: 2 | 2, 3 → 2.
    assert a["resolved_days"] == {"2": 1} and b["resolved_days"] == {"2": 1, "3": 1}
    assert city["resolved_days"] == {"2": 2, "3": 1} and city["median_days"] == 2
    assert city["posts_total"] == 2 and city["posts_active"] == 1 and city["posts_board"] == 1
    assert counts.region_counts("33.75.03.1004", *YEAR[2025])["posts_total"] == 1
    nation = counts.region_counts("", None, None)
    assert nation["posts_total"] == 3
    assert nation["requests_received"] == sum(counts.post_counts(p, None, None)["requests_received"]
                                              for p in posts.values())  # fmt: skip
    assert counts.region_counts("31", None, None)["posts_total"] == 1
    assert counts.region_counts("3", None, None)["posts_total"] == 0  # a prefix is not a region


def test_counts_helpers_shape(mitra: Post) -> None:
    keys = {item.key for item in INDICATORS if not item.standing}
    got = counts.post_counts(mitra, None, None)
    assert keys | set(counts.STANDING_FLAGS) == set(got)
    assert set(counts.region_counts("33", None, None)) == {item.key for item in INDICATORS}
    assert counts.empty_counts()["median_days"] is None


def test_requests_without_a_post_are_not_counted(mitra: Post, regions: dict[str, Any]) -> None:
    from posyantek.consultations.models import ServiceRequest

    before = counts.region_counts("33", None, None)["requests_received"]
    ServiceRequest.objects.create(code="X000000001", received_at=dt.datetime(2025, 5, 5, tzinfo=dt.UTC),
                                  channel="online", region=regions["33.75.03"], requester_name="A", phone="62812",
                                  description="-", state_since=dt.datetime(2025, 5, 5, tzinfo=dt.UTC))  # fmt: skip
    assert counts.region_counts("33", None, None)["requests_received"] == before

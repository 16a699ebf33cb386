"""Raw activity rows of every kind for a post, for the counts and refresh tests.

Rows are written with the plain ORM (the counts read raw rows); the two rollups are kept the way the apps keep them
(`orders.sales.rebuild_month`, `finance.services._add_to_month`), since the refresh reads those. `seed` varies the
amounts so posts differ; dates sit on year boundaries in Jakarta on purpose (UTC 31 December, 18:00 is 1 January).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from posyantek.catalog.models import Adoption, Innovator, Need, Ttg, TtgStageChange
from posyantek.consultations.models import ServiceRequest
from posyantek.contests.models import Edition, Result, Rubric
from posyantek.contests.models import Entry as ContestEntry
from posyantek.finance import services as finance_services
from posyantek.finance.models import Account, Budget, BudgetLine, CashAccount
from posyantek.finance.models import Entry as CashEntry
from posyantek.orders import sales
from posyantek.orders.models import Order, OrderItem
from posyantek.partnerships.models import Agreement
from posyantek.posts.models import BoardTerm, Post
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit

UTC = dt.UTC
JAKARTA = ZoneInfo("Asia/Jakarta")
_serial = itertools.count(1)


def _n() -> int:
    return next(_serial)


def at(year: int, month: int, day: int, hour: int = 10, tz: Any = JAKARTA) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=tz)


def make_standing(post: Post, *, active: bool = True) -> None:
    """Give the post an SK, an SKT valid until 2030 and a board term covering today (or not, when not active)."""
    Post.objects.filter(pk=post.pk).update(sk_number=f"SK/{post.pk}", skt_valid_until=dt.date(2030, 1, 1))
    today = timezone.localdate()
    start = today - dt.timedelta(days=400) if active else today - dt.timedelta(days=2000)
    BoardTerm.objects.create(post=post, starts_on=start, ends_on=start + dt.timedelta(days=1000))


def requests(post: Post, seed: int) -> None:
    """Requests received and resolved over 2024–2026; resolved after seed-dependent days."""

    def req(received: dt.datetime, state: str = "diterima", closed: dt.datetime | None = None) -> ServiceRequest:
        return ServiceRequest.objects.create(
            code=f"R{_n():09d}", received_at=received, channel="online", post=post, region_id=post.region_id,
            requester_name="Pemohon", phone="6281234", description="Perlu alat", state=state, state_since=received,
            closed_at=closed,
        )  # fmt: skip

    req(at(2024, 12, 31, 18, UTC))  # 1 January 2025 in Jakarta
    req(at(2024, 12, 31, 16, UTC))  # still 31 December 2024 in Jakarta
    for i in range(seed + 1):
        received = at(2025, 3, 1 + i)
        req(received, "selesai", received + dt.timedelta(days=2 + seed * i))
    req(at(2025, 12, 20), "selesai", at(2025, 12, 31, 20, UTC))  # resolved 1 January 2026, 12 days
    req(at(2026, 2, 1), "ditutup_tanpa_solusi", at(2026, 2, 10))  # not resolved
    req(at(2026, 2, 2), "dibatalkan", at(2026, 2, 3))


def trainings(post: Post, seed: int) -> None:
    def bintek(state: str, ends: dt.date, men: int, women: int) -> None:
        b = Bintek.objects.create(
            title="Bintek", post=post, region_id=post.region_id, starts_on=ends - dt.timedelta(days=1), ends_on=ends,
            state=state, public_token=f"T{_n()}",
        )  # fmt: skip
        for k in range(men + women):
            Participant.objects.create(bintek=b, number=k + 1, name="Peserta", sex="L" if k < men else "P")

    bintek("dilaksanakan", dt.date(2025, 1, 1), 2, 3 + seed)  # starts 31 December 2024: the end date decides
    bintek("dievaluasi", dt.date(2026, 5, 5), 1, 1)
    bintek("laporan", dt.date(2024, 7, 7), seed, 2)
    bintek("direncanakan", dt.date(2026, 8, 8), 5, 5)  # not held


def catalog(post: Post, seed: int, village: str) -> None:
    def ttg(created: dt.datetime, stage: str = "ide") -> Ttg:
        n = _n()
        t = Ttg.objects.create(name=f"TTG {n}", slug=f"ttg-{n}", post=post, region_id=post.region_id,
                               sector="pangan", aspect="pangan", stage=stage)  # fmt: skip
        Ttg.objects.filter(pk=t.pk).update(created=created)
        return t

    a = ttg(at(2024, 12, 31, 20, UTC), "dipasarkan")  # catalogued 2025, produced 2025 (first change)
    TtgStageChange.objects.create(ttg=a, stage="diproduksi", changed_on=dt.date(2025, 6, 1))
    TtgStageChange.objects.create(ttg=a, stage="dipasarkan", changed_on=dt.date(2026, 1, 2))
    ttg(at(2024, 5, 5), "diproduksi")  # produced without a stage change: counted on its created date, 2024
    c = ttg(at(2026, 1, 5), "uji_coba")
    TtgStageChange.objects.create(ttg=c, stage="uji_coba", changed_on=dt.date(2026, 2, 1))
    for day, units, region in ((dt.date(2025, 2, 1), 3, village), (dt.date(2025, 3, 1), 2 + seed, village),
                               (dt.date(2026, 4, 1), 1, post.region_id)):  # fmt: skip
        Adoption.objects.create(ttg=a, region_id=region, applied_on=day, units=units)
    for k in range(seed + 1):
        inn = Innovator.objects.create(kind="kelompok", group_name=f"KWT {k}", post=post, region_id=post.region_id,
                                       sector="pangan")  # fmt: skip
        Innovator.objects.filter(pk=inn.pk).update(created=at(2025 + k % 2, 6, 1))
        for status in ("teridentifikasi", "dibantu", "terpenuhi"):
            need = Need.objects.create(innovator=inn, kind="modal", description="Modal", status=status)
            Need.objects.filter(pk=need.pk).update(created=at(2026, 1, 1, 3))


def orders(post: Post, seed: int) -> None:
    def order(sale: dt.date | None, state: str, out: bool, lines: list[tuple[int, int]]) -> None:
        o = Order.objects.create(
            post=post,
            region_id=post.region_id,
            code=f"O{_n():09d}",
            state=state,
            buyer_name="Pembeli",
            ordered_at=at(sale.year if sale else 2025, 1, 1),
            sale_date=sale,
            out_of_region=out,
        )
        for qty, price in lines:
            OrderItem.objects.create(order=o, name="Alat", quantity=qty, unit_price=price)

    order(dt.date(2025, 1, 31), "dikonfirmasi", False, [(2, 1_000_000), (1, 250_000 * (seed + 1))])
    order(dt.date(2025, 12, 31), "lunas", True, [(1, 5_000_000)])
    order(dt.date(2026, 3, 3), "dikirim", True, [(seed + 1, 700_000)])
    order(dt.date(2026, 3, 4), "dibatalkan", False, [(9, 9_000_000)])  # not a sale
    order(None, "permintaan", False, [(1, 1)])
    with transaction.atomic():
        for month in (dt.date(2025, 1, 1), dt.date(2025, 12, 1), dt.date(2026, 3, 1)):
            sales.rebuild_month(post.pk, month)


def money(post: Post, seed: int) -> None:
    cash = CashAccount.objects.create(post=post, region_id=post.region_id, name="Kas tunai")
    income, spending = Account.objects.get(post=None, code="4.3"), Account.objects.get(post=None, code="5.3")

    def entry(day: dt.date, kind: str, source: str, amount: int, reverses: CashEntry | None = None) -> CashEntry:
        sign = 1 if kind == "masuk" else -1
        e = CashEntry.objects.create(
            post=post, region_id=post.region_id, date=day, kind=kind, source=source,
            account=income if kind == "masuk" else spending, cash_account=cash, amount=amount,
            delta=sign * amount * (-1 if reverses else 1), description="Uji", reverses=reverses,
        )  # fmt: skip
        finance_services._add_to_month(e)
        return e

    with transaction.atomic():
        entry(dt.date(2025, 1, 10), "masuk", "apbd_kabkota", 10_000_000 * (seed + 1))
        wrong = entry(dt.date(2025, 12, 30), "masuk", "csr", 4_000_000)
        entry(dt.date(2026, 1, 2), "masuk", "csr", 4_000_000, reverses=wrong)  # 2026 holds only the reversal
        entry(dt.date(2026, 2, 2), "masuk", "swadaya", 1_500_000)
        entry(dt.date(2025, 6, 6), "keluar", "apbd_kabkota", 3_000_000 + seed)
        entry(dt.date(2026, 6, 6), "keluar", "csr", 700_000)
    for year, state, amount in ((2025, "disetujui", 20_000_000), (2026, "disetujui", 9_000_000 + seed),
                                (2026, "draf", 99_000_000)):  # fmt: skip
        b = Budget.objects.create(post=post, region_id=post.region_id, year=year, state=state,
                                  revision=0 if state == "disetujui" else 1)  # fmt: skip
        BudgetLine.objects.create(budget=b, source="apbd_kabkota", account=spending, amount=amount)


def partners(post: Post, seed: int) -> None:
    def agreement(state: str, signed: dt.date | None, start: dt.date | None, end: dt.date | None) -> None:
        Agreement.objects.create(post=post, region_id=post.region_id, title="MoU", state=state, signed_on=signed,
                                 starts_on=start, ends_on=end)  # fmt: skip

    agreement("berjalan", dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2025, 3, 31))  # 2024, 2025
    agreement("berakhir", dt.date(2023, 1, 1), None, dt.date(2024, 1, 1))  # from its signing: 2023, 2024
    agreement("ditandatangani", dt.date(2026, 1, 1), None, None)  # open-ended from 2026
    agreement("draf", None, dt.date(2025, 1, 1), None)  # not signed


def visits(post: Post, seed: int) -> None:
    for direction, state, day in (("masuk", "dilaksanakan", dt.date(2025, 5, 5)),
                                  ("masuk", "ditindaklanjuti", dt.date(2026, 1, 1)),
                                  ("keluar", "dilaksanakan", dt.date(2025, 12, 31)),
                                  ("keluar", "dijadwalkan", dt.date(2026, 9, 9)),
                                  ("masuk", "dibatalkan", dt.date(2026, 3, 3))):  # fmt: skip
        Visit.objects.create(post=post, region_id=post.region_id, direction=direction, title="Kunjungan",
                             institution="Dinas", visitors=5, starts_on=day, ends_on=day, state=state,
                             guestbook_token=f"G{_n()}")  # fmt: skip


def contests(post: Post, editions: dict[int, Edition], seed: int) -> None:
    for year, edition in editions.items():
        entry = ContestEntry.objects.create(edition=edition, post=post, region_id=post.region_id, title=post.name,
                                            state="juara" if year == 2025 else "terdaftar")  # fmt: skip
        if year == 2025:
            Result.objects.create(edition=edition, entry=entry, final_score=80, rank=1 + seed, award="Juara")


def make_editions(region_id: str) -> dict[int, Edition]:
    """Editions of 2024 (not published), 2025 (published) and 2026 in the province `region_id`."""
    rubric = Rubric.objects.create(family=f"uji-{_n()}", name="Rubrik", category="posyantek_berprestasi")
    out = {}
    for year in (2024, 2025, 2026):
        out[year] = Edition.objects.create(
            name=f"Lomba {year}", category="posyantek_berprestasi", year=year, level="provinsi", region_id=region_id,
            organiser="DPMD", rubric=rubric, period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year - 1, 12, 31),
            published_at=at(year, 11, 1) if year == 2025 else None,
        )  # fmt: skip
    return out


def make_activity(post: Post, seed: int = 0, *, editions: dict[int, Edition] | None = None,
                  village: str | None = None) -> None:  # fmt: skip
    """Write every kind of activity for `post`; `village` is where its TTG is adopted (default its region)."""
    requests(post, seed)
    trainings(post, seed)
    catalog(post, seed, village or post.region_id)
    orders(post, seed)
    money(post, seed)
    partners(post, seed)
    visits(post, seed)
    if editions:
        contests(post, editions, seed)

"""The pre-filled self-assessment equals counts taken directly from the database (issue 8, "must show")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from conftest import add_board
from posyantek.catalog.models import Adoption, Innovator, Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.contests import prefill
from posyantek.contests.defaults import PREFILL_KEYS
from posyantek.finance.models import Account, CashAccount, Regulation
from posyantek.finance.models import Entry as CashEntry
from posyantek.orders import sales
from posyantek.orders.models import Order, OrderItem
from posyantek.partnerships.models import Agreement, Partner
from posyantek.posts.models import Post
from posyantek.trainings.models import Bintek, Participant
from posyantek.visits.models import Visit

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
IN, OUT = dt.date(2025, 6, 10), dt.date(2024, 6, 10)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def build(post: Post) -> None:
    """Give `post` records inside and outside 2025 of every kind the self-assessment counts."""
    r = post.region_id
    Post.objects.filter(pk=post.pk).update(sk_number="12/SK/2019", skt_number="SKT-1",
                                           skt_valid_until=dt.date(2027, 1, 1),
                                           office_status=Post.Office.OWNED)  # fmt: skip
    add_board(post, start=dt.date(2024, 1, 1))
    for n, (day, state) in enumerate([(IN, "selesai"), (IN, "ditelaah"), (IN, "selesai"), (OUT, "selesai")]):
        ServiceRequest.objects.create(region_id=r, post=post, code=f"R{n}", received_at=_at(day), channel="online",
                                      requester_name="Warga", description="Alat", state=state, phone="6281234567890",
                                      state_since=_at(day))  # fmt: skip
    for n, (day, state, people) in enumerate([(IN, "dilaksanakan", 3), (IN, "direncanakan", 2), (OUT, "laporan", 4)]):
        b = Bintek.objects.create(region_id=r, post=post, title=f"Bintek {n}", starts_on=day, ends_on=day,
                                  public_token=f"tok{n}", state=state)  # fmt: skip
        for k in range(people):
            Participant.objects.create(bintek=b, number=k + 1, name=f"Peserta {k}", sex="P")
    inv = Innovator.objects.create(region_id=r, post=post, sector="pangan", group_name="KUB", kind="kelompok")
    specs = [("diproduksi", "paten_terbit", 2020), ("ide", "belum", 2025), ("dipasarkan", "merek_terdaftar", None),
             ("prototipe", "belum", 2030)]  # fmt: skip
    for n, (stage, ip, year) in enumerate(specs):
        t = Ttg.objects.create(region_id=r, post=post, name=f"Alat {n}", slug=f"alat-{post.pk}-{n}", sector="pangan",
                               aspect="pangan", stage=stage, ip_status=ip, year_made=year)  # fmt: skip
        t.innovators.add(inv)
        Adoption.objects.create(ttg=t, region_id=r, applied_on=IN if n < 2 else OUT, units=n + 2)
    for n, (day, state, out, price) in enumerate(
        [
            (IN, "dikonfirmasi", False, 100_000),
            (IN, "lunas", True, 250_000),
            (IN, "dibatalkan", True, 999),
            (OUT, "lunas", False, 7),
        ]
    ):
        o = Order.objects.create(region_id=r, post=post, code=f"O{post.pk}{n}", buyer_name="Pembeli",
                                 ordered_at=_at(day), sale_date=day, state=state, out_of_region=out)  # fmt: skip
        OrderItem.objects.create(order=o, name="Alat", quantity=2, unit_price=price)
    with transaction.atomic():
        for day in (IN, OUT):
            sales.rebuild_month(post.pk, day.replace(day=1))
    partner = Partner.objects.create(region_id=r, post=post, name="Unikal", kind="perguruan_tinggi")
    Partner.objects.create(region_id=r, post=post, name="CSR", kind="perusahaan")
    Agreement.objects.create(region_id=r, post=post, title="MoU 1", state="berjalan", starts_on=dt.date(2024, 1, 1),
                             ends_on=dt.date(2026, 1, 1))  # fmt: skip
    Agreement.objects.create(region_id=r, post=post, title="MoU lama", state="berakhir", starts_on=dt.date(2020, 1, 1),
                             ends_on=dt.date(2022, 1, 1))  # fmt: skip
    Agreement.objects.create(region_id=r, post=post, title="Draf", state="draf", starts_on=dt.date(2025, 1, 1))
    for n, (direction, state, day) in enumerate([("masuk", "dilaksanakan", IN), ("masuk", "ditindaklanjuti", IN),
                                                 ("keluar", "dilaksanakan", IN), ("masuk", "dibatalkan", IN),
                                                 ("masuk", "dilaksanakan", OUT)]):  # fmt: skip
        Visit.objects.create(region_id=r, post=post, direction=direction, title=f"Kunjungan {n}", institution="Desa",
                             visitors=10, starts_on=day, ends_on=day, state=state, guestbook_token=f"g{post.pk}{n}",
                             partner=partner)  # fmt: skip
    account = Account.objects.create(post=post, code="4.1", name="Pendapatan", kind="pendapatan")
    cash = CashAccount.objects.create(region_id=r, post=post, name="Kas")
    for day, source, amount, kind in [
        (IN, "apbdes", 5_000_000, "masuk"),
        (IN, "csr", 2_000_000, "masuk"),
        (OUT, "swadaya", 300_000, "masuk"),
        (IN, "apbdes", 1_000_000, "keluar"),
    ]:
        CashEntry.objects.create(region_id=r, post=post, date=day, kind=kind, source=source, account=account,
                                 cash_account=cash, amount=amount, delta=amount if kind == "masuk" else -amount,
                                 description="Dana")  # fmt: skip
    Regulation.objects.create(kind="perda", number="3", year=2021, title="Posyantek", region_id=r[:2])


def direct(post: Post) -> dict[str, Any]:
    """Count the same figures straight from the tables (written apart from prefill.py on purpose)."""
    post.refresh_from_db()
    req = ServiceRequest.objects.filter(post=post, received_at__date__range=(START, END))
    held = Bintek.objects.filter(post=post, starts_on__range=(START, END),
                                 state__in=["dilaksanakan", "laporan", "tindak_lanjut", "dievaluasi"])  # fmt: skip
    ttg = Ttg.objects.filter(post=post).exclude(year_made__gt=END.year)
    orders = OrderItem.objects.filter(order__post=post, order__sale_date__range=(START, END),
                                      order__state__in=["dikonfirmasi", "produksi", "siap_kirim", "dikirim", "diterima",
                                                        "lunas", "garansi"])  # fmt: skip

    def amount(qs: Any) -> int:
        return sum(i.quantity * i.unit_price for i in qs)

    income = CashEntry.objects.filter(post=post, kind="masuk", date__range=(START, END))
    term = post.board_terms.filter(starts_on__lte=END, ends_on__gte=END).first()
    return {
        "consultations_received": req.count(),
        "consultations_resolved": req.filter(state="selesai").count(),
        "bintek_held": held.count(),
        "bintek_participants": Participant.objects.filter(bintek__in=held).count(),
        "ttg_catalogued": ttg.count(),
        "ttg_produced": ttg.filter(stage__in=["diproduksi", "dipasarkan"]).count(),
        "ttg_ip": ttg.filter(ip_status__in=["paten_terbit", "merek_terdaftar"]).count(),
        "ttg_adopted": Adoption.objects.filter(ttg__post=post, applied_on__range=(START, END)).aggregate(
            u=Sum("units")
        )["u"],  # fmt: skip
        "sales_total": amount(orders),
        "sales_in_region": amount(orders.filter(order__out_of_region=False)),
        "sales_out_region": amount(orders.filter(order__out_of_region=True)),
        "orders_count": orders.values("order").distinct().count(),
        "partnerships_active": 1,  # MoU 1 only: the old one ended in 2022, the draft is not signed
        "partners_count": Partner.objects.filter(post=post).count(),
        "visits_hosted": Visit.objects.filter(
            post=post, direction="masuk", starts_on__range=(START, END), state__in=["dilaksanakan", "ditindaklanjuti"]
        ).count(),  # fmt: skip
        "visits_made": Visit.objects.filter(
            post=post, direction="keluar", starts_on__range=(START, END), state__in=["dilaksanakan", "ditindaklanjuti"]
        ).count(),  # fmt: skip
        "funding_sources": income.values("source").distinct().count(),
        "funding_received": income.aggregate(s=Sum("amount"))["s"],
        "board_valid": "Ya (5)" if term and term.officers.count() >= 5 else "Tidak",
        "office_own": "Ya",
        "legal_sk": f"Ya ({post.sk_number})",
        "funding_regulation": "Ya (Perda 3/2021)",
    }


def test_prefill_matches_direct_counts(dki: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    post = dki["gambir"]
    build(post)
    post.refresh_from_db()
    with django_assert_max_num_queries(20):
        figures = prefill.compute(post, START, END)
    assert list(figures) == PREFILL_KEYS or set(figures) == set(PREFILL_KEYS)
    expected = direct(post)
    for key, value in expected.items():
        assert figures[key]["value"] == value, key
    # The data was built so that every count is something, not a trivial zero.
    assert expected["consultations_received"] == 3 and expected["consultations_resolved"] == 2
    assert expected["bintek_participants"] == 3
    assert expected["ttg_catalogued"] == 3 and expected["ttg_produced"] == 2 and expected["ttg_ip"] == 2
    assert expected["ttg_adopted"] == 5
    assert expected["sales_total"] == 700_000 and expected["sales_out_region"] == 500_000
    assert expected["visits_hosted"] == 2 and expected["visits_made"] == 1
    assert expected["funding_received"] == 7_000_000 and expected["funding_sources"] == 2
    assert figures["legal_skt_valid"]["value"].startswith("Ya")
    for key in PREFILL_KEYS:
        assert figures[key]["label"]
    assert figures["consultations_received"]["url"].startswith("/layanan/?")


def test_prefill_empty_post(dki: dict[str, Any]) -> None:
    figures = prefill.compute(dki["cempaka"], START, END)
    assert figures["sales_total"]["value"] == 0
    assert figures["legal_sk"]["value"] == "Tidak"
    assert figures["funding_regulation"]["value"] == "Tidak"


@pytest.mark.parametrize("key", ["sales_total", "ttg_adopted"])
def test_prefill_period_bounds(dki: dict[str, Any], key: str) -> None:
    post = dki["gambir"]
    build(post)
    before = prefill.compute(post, dt.date(2024, 1, 1), dt.date(2024, 12, 31))[key]["value"]
    assert before == {"sales_total": 14, "ttg_adopted": 4 + 5}[key]

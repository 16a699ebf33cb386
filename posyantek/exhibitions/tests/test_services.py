"""Exhibition services: states without skipping, own products only, whole rupiah, leads and offers, scope, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from posyantek.core.models import AuditEvent
from posyantek.exhibitions import services
from posyantek.exhibitions.models import Exhibition, ExhibitionStep
from posyantek.exhibitions.selectors import exhibition_report
from posyantek.exhibitions.tests.conftest import make_order, plan


def _msg(exc: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(exc.value.message_dict[field])


def test_create_sets_region_step_and_audit(event, posts, manager) -> None:
    assert event.region_id == posts["mitra"].region_id and event.state == "direncanakan"
    assert event.venue_region_id == "33.75"
    step = ExhibitionStep.objects.get(exhibition=event)
    assert step.state == "direncanakan" and step.actor == manager
    assert AuditEvent.objects.for_object(event).get().action == "create"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"name": " "}, "name", "wajib diisi"),
        ({"level": "desa"}, "level", "Pilih tingkat"),
        ({"kind": "bazar"}, "kind", "tidak dikenal"),
        ({"ends_on": dt.date(2000, 1, 1)}, "ends_on", "sebelum tanggal mulai"),
        ({"venue_region": "99.99"}, "venue_region", "tidak ada"),
    ],
)
def test_create_refuses_bad_input(manager, posts, extra, field, message) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(manager, posts["mitra"], **extra)
    assert message in _msg(exc, field)
    assert not Exhibition.objects.exists()


def test_create_is_scoped(staff, viewer, outsider, posts) -> None:
    for who in (staff, viewer, outsider):
        with pytest.raises(ValidationError) as exc:
            plan(who, posts["mitra"])
        assert "tidak dapat mencatat" in _msg(exc, "post")
    assert plan(staff, posts["wartek"]).post == posts["wartek"]


def test_update_checks_version_and_scope(event, manager, officer, viewer, staff, posts) -> None:
    ex = services.exhibition_update(actor=manager, exhibition=event, data={"name": "PRPP 2026"}, version=1)
    assert ex.version == 2
    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        services.exhibition_update(actor=officer, exhibition=event, data={"name": "Lama"}, version=1)
    with pytest.raises(PermissionDenied):
        services.exhibition_update(actor=viewer, exhibition=event, data={"name": "x"})
    with pytest.raises(PermissionDenied):
        services.exhibition_update(actor=staff, exhibition=event, data={"name": "x"})
    changes = AuditEvent.objects.for_object(ex).first().changes
    assert changes == {"name": ["Pameran Produk Unggulan Jawa Tengah (PRPP)", "PRPP 2026"]}


def test_states_go_one_step_at_a_time(event, manager, goods, viewer) -> None:
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=event, state="berlangsung")
    assert "tidak boleh dilompati" in _msg(exc, "state")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=event, state="produk_dipilih")
    assert "produk yang dibawa" in _msg(exc, "state")
    services.product_add(actor=manager, exhibition=event, product=goods["thresher"], quantity=1)
    ex = services.exhibition_advance(actor=manager, exhibition=event, state="produk_dipilih", note="rapat", version=1)
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=ex, state="direncanakan")
    assert "tidak dapat mundur" in _msg(exc, "state")
    with pytest.raises(PermissionDenied):
        services.exhibition_advance(actor=viewer, exhibition=ex, state="berlangsung")
    ex = services.exhibition_advance(actor=manager, exhibition=ex, state="berlangsung")
    ex = services.exhibition_advance(actor=manager, exhibition=ex, state="selesai")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=ex, state="dibatalkan")
    assert "sudah selesai" in _msg(exc, "state")
    assert list(ex.steps.values_list("state", flat=True)) == ["direncanakan", "produk_dipilih", "berlangsung",
                                                               "selesai"]  # fmt: skip
    assert AuditEvent.objects.for_object(ex).filter(action="status").count() == 3


def test_running_waits_for_the_start_day_and_cancel_is_final(manager, posts, goods) -> None:
    ex = plan(manager, posts["mitra"], starts_on=timezone.localdate() + dt.timedelta(days=10), ends_on=None)
    assert ex.ends_on == ex.starts_on
    services.product_add(actor=manager, exhibition=ex, product=goods["thresher"], quantity=1)
    ex = services.exhibition_advance(actor=manager, exhibition=ex, state="produk_dipilih")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=ex, state="berlangsung")
    assert "baru mulai" in _msg(exc, "state")
    ex = services.exhibition_advance(actor=manager, exhibition=ex, state="dibatalkan", note="anggaran dipotong")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_advance(actor=manager, exhibition=ex, state="berlangsung")
    assert "sudah dibatalkan" in _msg(exc, "state")


def test_visitors_only_once_running_and_never_negative(event, running, manager) -> None:
    fresh = plan(manager, event.post, name="Lain")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_record_visitors(actor=manager, exhibition=fresh, visitors=10)
    assert "setelah acara berlangsung" in _msg(exc, "visitors")
    with pytest.raises(ValidationError) as exc:
        services.exhibition_record_visitors(actor=manager, exhibition=running, visitors=-1)
    assert "negatif" in _msg(exc, "visitors")
    ex = services.exhibition_record_visitors(actor=manager, exhibition=running, visitors=850)
    assert ex.visitors == 850
    assert AuditEvent.objects.for_object(ex).first().changes == {"visitors": [0, 850]}


def test_products_are_the_posts_own_and_at_least_one(event, manager, goods) -> None:
    with pytest.raises(ValidationError) as exc:
        services.product_add(actor=manager, exhibition=event, product=goods["wartek"], quantity=1)
    assert "Hanya produk Posyantek Mitra Pantura" in _msg(exc, "product")
    for bad in (0, -2, "2", True):
        with pytest.raises(ValidationError) as exc:
            services.product_add(actor=manager, exhibition=event, product=goods["thresher"], quantity=bad)
        assert "paling sedikit 1" in _msg(exc, "quantity")
    item = services.product_add(actor=manager, exhibition=event, product=goods["thresher"], quantity=2)
    with pytest.raises(ValidationError) as exc:
        services.product_add(actor=manager, exhibition=event, product=goods["thresher"], quantity=1)
    assert "sudah ada" in _msg(exc, "product")
    item = services.product_update(actor=manager, item=item, quantity=3)
    assert item.quantity == 3
    changes = [e.changes for e in AuditEvent.objects.for_object(event)]
    assert {"produk_dibawa": ["2 × Perontok Padi Pedal", "3 × Perontok Padi Pedal"]} in changes


def test_products_are_closed_once_done(running, manager, goods) -> None:
    ex = services.exhibition_advance(actor=manager, exhibition=running, state="selesai")
    with pytest.raises(ValidationError) as exc:
        services.product_add(actor=manager, exhibition=ex, product=goods["old"], quantity=1)
    assert "tidak diubah lagi" in _msg(exc, "product")
    with pytest.raises(ValidationError):
        services.product_remove(actor=manager, item=ex.products.first())


def test_costs_are_whole_rupiah_with_a_funding_source(event, manager) -> None:
    for amount, message in ((0, "lebih dari Rp 0"), (-5, "lebih dari Rp 0"), (1.5, "rupiah bulat"),
                            (10**14, "terlalu besar")):  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services.cost_add(actor=manager, exhibition=event, item="Sewa", amount=amount, funding_source="apbn")
        assert message in _msg(exc, "amount")
    with pytest.raises(ValidationError) as exc:
        services.cost_add(actor=manager, exhibition=event, item="", amount=5, funding_source="dompet")
    assert set(exc.value.message_dict) == {"item", "funding_source"}
    cost = services.cost_add(actor=manager, exhibition=event, item="Sewa stan", amount=3_500_000,
                             funding_source="apbd_kabkota")  # fmt: skip
    assert AuditEvent.objects.for_object(event).first().changes == {
        "biaya": [None, "Sewa stan: Rp 3.500.000 (APBD kabupaten/kota)"]
    }
    services.cost_remove(actor=manager, cost=cost)
    assert not event.costs.exists()


def test_leads_need_a_contact_and_only_once_running(event, running, manager, goods, posts) -> None:
    planned = plan(manager, posts["mitra"], name="X")
    with pytest.raises(ValidationError) as exc:
        services.lead_add(actor=manager, exhibition=planned, data={"name": "A", "phone": "0812"})
    assert "setelah acara berlangsung" in _msg(exc, "name")
    with pytest.raises(ValidationError) as exc:
        services.lead_add(actor=manager, exhibition=running, data={"name": "Budi"})
    assert "HP/WhatsApp atau e-mail" in _msg(exc, "phone")
    with pytest.raises(ValidationError) as exc:
        services.lead_add(actor=manager, exhibition=running, data={
            "name": "Budi", "phone": "021-555", "email": "x@", "region": "99", "product": goods["wartek"]})  # fmt: skip
    assert set(exc.value.message_dict) == {"phone", "email", "region", "product"}
    lead = services.lead_add(actor=manager, exhibition=running, data={"name": "Budi", "email": "Budi@Example.ID"})
    assert lead.email == "budi@example.id" and not lead.followed_up


def test_lead_follow_up_and_order_of_the_same_post(running, manager, posts) -> None:
    lead = running.leads.get()
    assert lead.phone == "6281211112222"
    lead = services.lead_update(actor=manager, lead=lead, data={"followed_up": True})
    assert lead.followed_up
    other = make_order(posts["wartek"], total=100_000)
    with pytest.raises(ValidationError) as exc:
        services.lead_update(actor=manager, lead=lead, data={"order_code": other.code})
    assert "tidak ditemukan" in _msg(exc, "order_code")
    mine = make_order(posts["mitra"], total=4_500_000)
    lead = services.lead_update(actor=manager, lead=lead, data={"order_code": mine.code.lower(), "followed_up": False})
    assert lead.order == mine and lead.followed_up  # an order is the follow-up
    history = AuditEvent.objects.for_object(running).first().changes["calon_pembeli"]
    assert history[1].startswith(f"Sutrisno (Gapoktan) → {mine.code}")
    lead = services.lead_update(actor=manager, lead=lead, data={"order_code": ""})
    assert lead.order is None


def test_offers(running, manager) -> None:
    offer = running.offers.get()
    for data, field in (({"partner": ""}, "partner"), ({"value": -1}, "value"), ({"status": "x"}, "status")):
        with pytest.raises(ValidationError) as exc:
            services.offer_update(actor=manager, offer=offer, data=data)
        assert field in exc.value.message_dict
    offer = services.offer_update(actor=manager, offer=offer, data={"status": "disepakati"})
    assert offer.status == "disepakati"
    assert "Disepakati" in AuditEvent.objects.for_object(running).first().changes["tawaran_kerja_sama"][1]


def test_report_counts_only_counted_orders(running, manager, posts) -> None:
    services.exhibition_record_visitors(actor=manager, exhibition=running, visitors=850)
    services.cost_add(actor=manager, exhibition=running, item="Transport", amount=1_250_000,
                      funding_source="pendapatan_pos")  # fmt: skip
    services.lead_add(actor=manager, exhibition=running, data={"name": "Dewi", "email": "d@example.id",
                                                               "followed_up": True, "region": "31.71"})  # fmt: skip
    services.offer_add(actor=manager, exhibition=running, data={"partner": "Dinas", "value": 120_000_000,
                                                                "status": "disepakati"})  # fmt: skip
    make_order(posts["mitra"], total=9_000_000, exhibition=running)
    make_order(posts["mitra"], total=4_500_000, exhibition=running, state="lunas")
    make_order(posts["mitra"], total=2_000_000, exhibition=running, state="dibatalkan")
    make_order(posts["mitra"], total=1_000_000, exhibition=running, state="permintaan")
    make_order(posts["mitra"], total=7_000_000)  # not from the event
    r = exhibition_report(user=manager, exhibition=Exhibition.objects.get(pk=running.pk))
    assert r.visitors == 850 and r.leads == 2 and r.leads_followed == 1 and r.follow_up_rate == 50
    assert r.orders == 4 and r.orders_counted == 2 and r.transaction_value == 13_500_000
    assert r.offers == 2 and r.offers_value == 305_000_000 and r.offers_agreed_value == 120_000_000
    assert r.costs_by_source == [("APBD kabupaten/kota", 3_500_000), ("Pendapatan pos", 1_250_000)]
    assert r.costs_total == 4_750_000 and r.net == 8_750_000 and r.units_taken == 3
    assert dict(r.leads_by_province) == {"Jawa Tengah": 1, "DKI Jakarta": 1}

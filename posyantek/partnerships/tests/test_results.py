"""What an agreement produced: links to the post's own records, once each, from signing on; grouped for the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyantek.core.models import AuditEvent
from posyantek.partnerships.result_services import result_add, result_remove, result_text
from posyantek.partnerships.selectors import agreement_produced
from posyantek.partnerships.tests.conftest import make_bintek, make_grant, make_order, make_request, make_ttg


def test_results_wait_for_signing(manager, posts, draft) -> None:
    b = make_bintek(posts["mitra"])
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=draft, data={"kind": "bintek", "bintek": b})
    assert exc.value.message_dict["kind"] == [
        "Hasil dicatat setelah kerja sama ditandatangani; kerja sama ini masih tahap penjajakan."
    ]


def test_bintek_of_the_post_or_its_wartek_is_linked_once(manager, posts, signed) -> None:
    own = make_bintek(posts["mitra"], participants=3)
    wartek = make_bintek(posts["wartek"], "Bintek Pengeringan Ikan di Panjang Wetan", participants=27)
    r = result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": own})
    assert r.occurred_on == own.starts_on and r.actor == manager
    result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": wartek})
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": own})
    assert exc.value.message_dict["bintek"] == ["Bintek Pengeringan Ikan Higienis sudah tercatat sebagai hasil kerja "
                                                "sama ini."]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "bintek"})
    assert exc.value.message_dict["bintek"] == ["Pilih Bintek yang diberikan."]
    p = agreement_produced(agreement=signed)
    assert [r.bintek.title for r in p.bintek] == [own.title, wartek.title] and p.participants == 30


def test_records_of_another_post_are_refused(manager, posts, signed) -> None:
    theirs = make_bintek(posts["dki"])
    order = make_order(posts["dki"], total=1_000_000)
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": theirs})
    assert "bukan milik Posyantek Mitra Pantura" in exc.value.message_dict["bintek"][0]
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "pesanan", "order": order})
    assert "order" in exc.value.message_dict


def test_orders_requests_ttg_funds_and_other_with_totals(manager, posts, signed) -> None:
    o1 = make_order(posts["mitra"], total=13_500_000, buyer_name="Gapoktan Sido Makmur")
    o2 = make_order(posts["mitra"], total=4_500_000)
    grant = make_grant(posts["mitra"])
    for order in (o1, o2):
        result_add(actor=manager, agreement=signed, data={"kind": "pesanan", "order": order})
    result_add(actor=manager, agreement=signed, data={"kind": "permohonan", "service_request": make_request(
        posts["mitra"])})  # fmt: skip
    result_add(actor=manager, agreement=signed, data={"kind": "ttg", "ttg": make_ttg(posts["mitra"])})
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "dana", "amount": 0})
    assert exc.value.message_dict["amount"] == ["Jumlah harus lebih dari Rp 0."]
    result_add(actor=manager, agreement=signed, data={"kind": "dana", "amount": 30_000_000, "grant": grant,
                                                      "occurred_on": dt.date(2026, 2, 1)})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "dana", "amount": 5_000_000, "grant": grant})
    assert "sudah tercatat" in exc.value.message_dict["grant"][0]
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "lainnya"})
    assert exc.value.message_dict["description"] == ["Tulis uraian hasilnya."]
    result_add(actor=manager, agreement=signed, data={"kind": "lainnya", "description": "Dua artikel jurnal"})
    p = agreement_produced(agreement=signed)
    assert p.orders_total == 18_000_000 and p.funds_total == 30_000_000 and p.total == 48_000_000
    assert p.counts == [("Permohonan dirujuk", 1), ("TTG dikembangkan", 1), ("Pesanan dibawa", 2),
                        ("Dana diterima", 1), ("Lainnya", 1)]  # fmt: skip
    history = [e.changes["hasil"][1] for e in AuditEvent.objects.for_object(signed).filter(changes__has_key="hasil")]
    assert any(h.startswith("Pesanan dibawa: UJI") and "Gapoktan Sido Makmur" in h for h in history)
    assert "Dana diterima: PT Pantura Sejahtera (program CSR) · Rp 30.000.000" in history


def test_remove_a_result_and_roles(manager, viewer, posts, signed) -> None:
    r = result_add(actor=manager, agreement=signed, data={"kind": "bintek", "bintek": make_bintek(posts["mitra"])})
    with pytest.raises(PermissionDenied):
        result_add(actor=viewer, agreement=signed, data={"kind": "lainnya", "description": "x"})
    with pytest.raises(PermissionDenied):
        result_remove(actor=viewer, result=r)
    result_remove(actor=manager, result=r)
    assert not signed.results.exists()
    last = AuditEvent.objects.for_object(signed).first()
    assert last.changes["hasil"] == ["Bintek diberikan: Bintek Pengeringan Ikan Higienis", None]


def test_funds_need_their_amount_and_read_well_without_a_description(manager, signed) -> None:
    with pytest.raises(ValidationError) as exc:
        result_add(actor=manager, agreement=signed, data={"kind": "dana"})
    assert exc.value.message_dict["amount"] == ["Isi jumlah dana yang diterima, mis. 2.500.000."]
    r = result_add(actor=manager, agreement=signed, data={"kind": "dana", "amount": 2_500_000})
    assert result_text(r) == "Dana diterima: Rp 2.500.000"
    assert AuditEvent.objects.for_object(signed).first().changes["hasil"] == [None, "Dana diterima: Rp 2.500.000"]
    r = result_add(
        actor=manager, agreement=signed, data={"kind": "dana", "amount": 1_250_000, "description": "Tahap 2"}
    )
    assert result_text(r) == "Dana diterima: Tahap 2 · Rp 1.250.000"

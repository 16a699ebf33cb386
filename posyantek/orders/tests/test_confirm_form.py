"""The confirmation form reports every bad field in one round, in Indonesian (issue 5 review)."""

from __future__ import annotations

import pytest

from conftest import login
from posyantek.orders.forms import ConfirmForm
from posyantek.orders.models import Order

from .factories import dryer_order


@pytest.fixture
def order(manager, shop) -> Order:
    return dryer_order(manager, shop)


def test_confirm_reports_shipping_discount_and_lead_time_together(order, manager) -> None:
    item = order.items.get()
    data = {"version": order.version, f"price_{item.pk}": "0", "shipping_cost": "-5000", "discount": "abc",
            "down_payment": "0", "lead_time_days": "-3", "note": ""}  # fmt: skip
    r = login(manager).post(f"/pesanan/{order.pk}/konfirmasi", data)
    html = r.content.decode()
    assert r.status_code == 422
    assert "Ongkos kirim tidak boleh negatif" in html
    assert "Tulis rupiah bulat tanpa sen" in html  # the discount "abc"
    assert "Lama pengerjaan tidak boleh negatif" in html
    assert "Harga paling sedikit Rp 1" in html
    assert "Masukkan keseluruhan angka" not in html and "Enter a whole number" not in html
    assert Order.objects.get(pk=order.pk).state == "permintaan"


def test_confirm_form_speaks_indonesian_for_every_bad_number(order) -> None:
    item = order.items.get()
    form = ConfirmForm({"version": "x", f"price_{item.pk}": "", "shipping_cost": "1,5", "discount": "99999999999999",
                        "down_payment": "Rp 1.000", "lead_time_days": "dua"}, order=order)  # fmt: skip
    assert not form.is_valid()
    errors = form.errors
    assert set(errors) == {"version", f"price_{item.pk}", "shipping_cost", "discount", "lead_time_days"}
    assert errors[f"price_{item.pk}"] == [f"Tuliskan harga {item.name}."]
    assert errors["discount"] == ["Angkanya terlalu besar; periksa lagi."]
    assert errors["lead_time_days"] == ["Tulis lama pengerjaan sebagai bilangan bulat hari, mis. 14."]
    assert form.cleaned_data["down_payment"] == 1000


def test_confirm_rule_errors_of_the_service_still_come_back_next_to_the_fields(order, manager) -> None:
    item = order.items.get()
    data = {"version": order.version, f"price_{item.pk}": "12.500.000", "shipping_cost": "0", "discount": "0",
            "down_payment": "99.000.000", "lead_time_days": "800", "note": ""}  # fmt: skip
    html = login(manager).post(f"/pesanan/{order.pk}/konfirmasi", data).content.decode()
    assert "Lama pengerjaan paling lama 730 hari." in html
    data["lead_time_days"] = "14"
    html = login(manager).post(f"/pesanan/{order.pk}/konfirmasi", data).content.decode()
    assert "Uang muka Rp 99.000.000 melebihi total pesanan" in html

"""Agent services: checks in Indonesian, scope, optimistic version, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyantek.core.models import AuditEvent
from posyantek.network import services
from posyantek.network.models import Agent
from posyantek.network.tests.conftest import add_agent


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_agent_create_keeps_one_form_and_is_audited(agent, posts) -> None:
    assert agent.phone == "6281234567890"
    assert agent.region_id == posts["mitra"].region_id
    assert agent.commission_percent == Decimal("5.00") and agent.commission_amount == 0
    ev = AuditEvent.objects.for_object(agent).get()
    assert ev.action == "create" and ev.post_id == posts["mitra"].pk and ev.changes["name"] == "CV Sinar Tani Semarang"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"commission_percent": Decimal("100.5")}, "commission_percent", "antara 0 dan 100"),
        ({"commission_percent": Decimal("-1")}, "commission_percent", "antara 0 dan 100"),
        ({"commission_percent": Decimal("2.555")}, "commission_percent", "dua angka di belakang koma"),
        ({"commission_percent": "dua"}, "commission_percent", "sebagai angka"),
        (
            {"commission_percent": "2,5", "commission_rule": "tanpa", "commission_amount": -5},
            "commission_amount",
            "tidak boleh negatif",
        ),
        ({"commission_rule": "per_unit", "commission_amount": 1500.5}, "commission_amount", "rupiah bulat"),
        ({"commission_percent": 0}, "commission_percent", "perlu persen komisinya"),
        ({"commission_rule": "per_unit"}, "commission_amount", "perlu jumlah komisinya"),
        ({"commission_rule": "per_pesanan", "commission_amount": 0}, "commission_amount", "perlu jumlah komisinya"),
        ({"commission_rule": "gratis"}, "commission_rule", "tidak dikenal"),
        ({"phone": "0285-421234"}, "phone", "bukan nomor HP Indonesia"),
        ({"email": "bukan-email"}, "email", "tidak valid"),
        ({"name": "  "}, "name", "wajib diisi"),
        ({"kind": "posyantek"}, "partner_post", "Pilih pos Posyantek"),
        ({"area": "99.99"}, "area", "tidak ada"),
    ],
)
def test_agent_create_refuses_bad_input(manager, posts, extra, field, message) -> None:
    with pytest.raises(ValidationError) as exc:
        add_agent(manager, posts["mitra"], **extra)
    assert message in " ".join(_errors(exc)[field])
    assert not Agent.objects.exists()


def test_partner_post_only_for_other_posts_and_never_itself(manager, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        add_agent(manager, posts["mitra"], partner_post=posts["dki"])
    assert "hanya diisi" in _errors(exc)["partner_post"][0]
    with pytest.raises(ValidationError) as exc:
        add_agent(manager, posts["mitra"], kind="posyantek", partner_post=posts["mitra"])
    assert "pos itu sendiri" in _errors(exc)["partner_post"][0]
    # Any post may be the partner, also one outside the manager's scope (the directory is public).
    other = add_agent(manager, posts["mitra"], kind="posyantek", partner_post=posts["dki"], name="Posyantek Gambir",
                      area="31.71")  # fmt: skip
    assert other.partner_post == posts["dki"] and other.area_id == "31.71"


def test_a_percent_written_with_a_comma_and_only_the_used_value_kept(manager, posts) -> None:
    a = add_agent(manager, posts["mitra"], commission_percent="2,5", commission_amount=75_000)
    assert a.commission_percent == Decimal("2.50") and a.commission_amount == 0
    with pytest.raises(ValidationError) as exc:  # the 75.000 typed beside a percentage was not kept
        services.agent_update(actor=manager, agent=a, data={"commission_rule": "per_pesanan"})
    assert "perlu jumlah komisinya" in _errors(exc)["commission_amount"][0]
    a = services.agent_update(actor=manager, agent=a, data={"commission_rule": "per_pesanan",
                                                            "commission_amount": 100_000})  # fmt: skip
    assert a.commission_percent == 0 and a.commission_amount == 100_000


def test_duplicate_name_in_one_post_is_refused(agent, manager, staff, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        add_agent(manager, posts["mitra"], name="cv sinar tani semarang")
    assert "sudah punya jejaring" in _errors(exc)["name"][0]
    assert add_agent(staff, posts["wartek"]).post == posts["wartek"]  # another post may use the name


def test_future_joining_date_is_refused(manager, posts) -> None:
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        add_agent(manager, posts["mitra"], joined_on=timezone.localdate() + dt.timedelta(days=2))
    assert "belum terjadi" in _errors(exc)["joined_on"][0]


def test_scope_is_checked(agent, staff, viewer, outsider, posts) -> None:
    for who in (staff, viewer, outsider):
        with pytest.raises(ValidationError) as exc:
            add_agent(who, posts["mitra"], name="Agen lain")
        assert "tidak dapat mencatat" in _errors(exc)["post"][0]
    with pytest.raises(PermissionDenied):
        services.agent_update(actor=viewer, agent=agent, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.agent_set_active(actor=staff, agent=agent, active=False)


def test_an_agent_cannot_be_moved_to_a_post_out_of_reach(wartek_agent, staff, officer, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agent_update(actor=staff, agent=wartek_agent, data={"post": posts["mitra"]})
    assert "post" in _errors(exc)
    moved = services.agent_update(actor=officer, agent=wartek_agent, data={"post": posts["mitra"]})
    assert moved.post == posts["mitra"] and moved.region_id == posts["mitra"].region_id


def test_agent_update_checks_the_version_and_records_changes(agent, manager, officer) -> None:
    a = services.agent_update(actor=manager, agent=agent, data={"commission_percent": Decimal("7.5")}, version=1)
    assert a.version == 2 and a.commission_percent == Decimal("7.50")
    with pytest.raises(ValidationError) as exc:
        services.agent_update(actor=officer, agent=agent, data={"name": "Lama"}, version=1)
    assert "sudah diubah orang lain" in " ".join(exc.value.messages)
    ev = AuditEvent.objects.for_object(agent).first()
    assert ev.action == "update" and ev.changes == {"commission_percent": ["5.00", "7.50"]}
    before = AuditEvent.objects.count()
    services.agent_update(actor=manager, agent=a, data={"name": a.name})
    assert AuditEvent.objects.count() == before  # nothing changed, nothing recorded


def test_agent_set_active(agent, manager) -> None:
    a = services.agent_set_active(actor=manager, agent=agent, active=False, version=1)
    assert not a.active and a.version == 2
    ev = AuditEvent.objects.for_object(agent).first()
    assert ev.action == "status" and ev.changes == {"active": [True, False]}
    assert services.agent_set_active(actor=manager, agent=a, active=False).version == 2
    with pytest.raises(ValidationError):
        services.agent_set_active(actor=manager, agent=a, active=True, version=1)

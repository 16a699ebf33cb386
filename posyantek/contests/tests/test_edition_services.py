"""Edition services: who may create, level ↔ region, rubric and tie rule, forward-only stages, schedule, prizes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyantek.contests import edition_services as services
from posyantek.contests import rubric_services
from posyantek.contests.models import ContestLog, Edition, Rubric
from posyantek.contests.tests.conftest import make_edition
from posyantek.core.models import AuditEvent
from posyantek.regions.models import Region


def data(rubric: Rubric, **extra: Any) -> dict[str, Any]:
    return {"name": "Lomba Posyantek Berprestasi Jakarta Pusat 2026", "category": "posyantek_berprestasi",
            "year": 2026, "level": "kabkota", "region": Region.objects.get(pk="31.71"), "organiser": "Sudin PPKUKM",
            "rubric": rubric, "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 12, 31),
            "tie_rule": None, **extra}  # fmt: skip


def test_edition_create_by_province_officer_for_a_kota(organiser: Any, rubric: Rubric) -> None:
    edition = services.edition_create(actor=organiser, data=data(rubric))
    assert edition.state == Edition.State.DRAFT
    assert edition.tie_rule == "E,D"  # the template's default
    assert ContestLog.objects.filter(edition=edition, kind=ContestLog.Kind.EDITION).count() == 1
    assert AuditEvent.objects.filter(object_id=str(edition.pk), action="create").exists()


def test_edition_create_uses_national_template(organiser: Any, template: Rubric) -> None:
    edition = services.edition_create(actor=organiser, data=data(template, level="provinsi",
                                                                   region=Region.objects.get(pk="31")))  # fmt: skip
    assert edition.rubric == template


@pytest.mark.parametrize(("level", "code", "field"), [("kabkota", "31", "region"), ("provinsi", "31.71", "region"),
                                                      ("kabkota", None, "region")])  # fmt: skip
def test_edition_create_rejects_wrong_region_level(organiser: Any, rubric: Rubric, level: str, code: str | None,
                                                   field: str) -> None:  # fmt: skip
    region = Region.objects.get(pk=code) if code else None
    with pytest.raises(ValidationError) as exc:
        services.edition_create(actor=organiser, data=data(rubric, level=level, region=region))
    assert field in exc.value.message_dict


def test_edition_create_national_only_by_national_admin(organiser: Any, admin: Any, template: Rubric) -> None:
    with pytest.raises(PermissionDenied):
        services.edition_create(actor=organiser, data=data(template, level="nasional", region=None))
    edition = services.edition_create(actor=admin, data=data(template, level="nasional", region=None))
    assert edition.region_id is None


def test_edition_create_refuses_outsiders(officer: Any, gambir_manager: Any, rubric: Rubric, template: Rubric) -> None:
    with pytest.raises(PermissionDenied):
        services.edition_create(actor=gambir_manager, data=data(template))
    with pytest.raises(PermissionDenied):
        services.edition_create(actor=officer, data=data(template))


def test_edition_create_checks_rubric_and_tie_rule(organiser: Any, rubric: Rubric, db: Any) -> None:
    other = rubric_services.rubric_from_template(actor=None, category="inovasi_ttg", is_template=True)
    with pytest.raises(ValidationError) as exc:
        services.edition_create(actor=organiser, data=data(other))
    assert "rubric" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.edition_create(actor=organiser, data=data(rubric, tie_rule="E,Z"))
    assert "Z" in exc.value.message_dict["tie_rule"][0]
    with pytest.raises(ValidationError) as exc:
        services.edition_create(actor=organiser, data=data(rubric, period_end=dt.date(2024, 1, 1)))
    assert "period_end" in exc.value.message_dict


def test_edition_create_refuses_another_regions_rubric(organiser: Any, admin: Any, template: Rubric) -> None:
    jateng = rubric_services.rubric_from_template(actor=admin, category="posyantek_berprestasi",
                                                  region=Region.objects.get(pk="33"), family="jateng")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.edition_create(actor=organiser, data=data(jateng))
    assert "rubric" in exc.value.message_dict


def test_move_state_forward_only(edition: Edition, organiser: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.move_state(actor=organiser, edition=edition, state=Edition.State.ANNOUNCED)
    assert "maju" in exc.value.messages[0]
    # Optional stages may be skipped.
    edition = services.move_state(actor=organiser, edition=edition, state=Edition.State.PRESENTATION)
    assert edition.state == Edition.State.PRESENTATION
    log = ContestLog.objects.filter(edition=edition, kind=ContestLog.Kind.EDITION).last()
    assert log.payload == {"event": "state", "from": "pendaftaran", "to": "presentasi"}


def test_move_state_leaves_decision_to_publication(edition: Edition, organiser: Any) -> None:
    for state in (Edition.State.DECIDED, Edition.State.CLOSED):
        with pytest.raises(ValidationError):
            services.move_state(actor=organiser, edition=edition, state=state)
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.DECIDED, published_at=dt.datetime(2026, 9, 1,
                                                 tzinfo=dt.UTC))  # fmt: skip
    edition.refresh_from_db()
    assert services.move_state(actor=organiser, edition=edition, state=Edition.State.CLOSED).state == "selesai"


def test_move_state_refuses_leaving_draft_with_rubric_problems(organiser: Any, rubric: Rubric) -> None:
    edition = make_edition(rubric, state=Edition.State.DRAFT)
    rubric.criteria.filter(code="A").update(weight=5)
    with pytest.raises(ValidationError) as exc:
        services.move_state(actor=organiser, edition=edition, state=Edition.State.ANNOUNCED)
    assert len(exc.value.messages) >= 2  # the heading and at least one problem
    rubric.criteria.filter(code="A").update(weight=20)
    assert services.move_state(actor=organiser, edition=edition, state=Edition.State.ANNOUNCED).state == "pengumuman"


def test_move_state_only_by_organiser(edition: Edition, gambir_manager: Any, admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.move_state(actor=gambir_manager, edition=edition, state=Edition.State.ADMIN)
    assert services.move_state(actor=admin, edition=edition, state=Edition.State.ADMIN).state == "seleksi_administrasi"


def test_edition_update_freezes_rubric_after_draft_and_checks_version(edition: Edition, organiser: Any,
                                                                       template: Rubric) -> None:  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.edition_update(actor=organiser, edition=edition, data={"rubric": template}, version=edition.version)
    assert "rubric" in exc.value.message_dict
    edition = services.edition_update(actor=organiser, edition=edition, data={"forward_count": 3, "tie_rule": "D, E"},
                                      version=edition.version)  # fmt: skip
    assert (edition.forward_count, edition.tie_rule, edition.version) == (3, "D,E", 2)
    with pytest.raises(ValidationError) as exc:
        services.edition_update(actor=organiser, edition=edition, data={"forward_count": 1}, version=1)
    assert exc.value.code == "stale"


def test_stage_dates_and_kind_once(edition: Edition, organiser: Any) -> None:
    d = {"kind": "pendaftaran", "starts": dt.date(2026, 3, 1), "deadline": dt.date(2026, 2, 1), "note": ""}
    with pytest.raises(ValidationError) as exc:
        services.stage_save(actor=organiser, edition=edition, data=d)
    assert "deadline" in exc.value.message_dict
    stage = services.stage_save(actor=organiser, edition=edition, data={**d, "deadline": dt.date(2026, 3, 31)})
    with pytest.raises(ValidationError) as exc:
        services.stage_save(actor=organiser, edition=edition, data={**d, "deadline": dt.date(2026, 4, 30)})
    assert "kind" in exc.value.message_dict
    services.stage_save(actor=organiser, edition=edition, data={"note": "diperpanjang"}, stage=stage)
    stage.refresh_from_db()
    assert stage.note == "diperpanjang"
    services.stage_remove(actor=organiser, stage=stage)
    assert not edition.stages.exists()


def test_prizes_one_per_rank(edition: Edition, organiser: Any, gambir_manager: Any) -> None:
    services.prize_save(actor=organiser, edition=edition, data={"rank": 1, "title": "Juara I", "amount": 30_000_000})
    with pytest.raises(ValidationError) as exc:
        services.prize_save(actor=organiser, edition=edition, data={"rank": 1, "title": "Juara I lagi", "amount": 0})
    assert "rank" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.prize_save(actor=gambir_manager, edition=edition, data={"rank": 2, "title": "II", "amount": 0})
    assert edition.prizes.get().amount == 30_000_000

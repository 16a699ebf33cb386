"""Rubric services: creation from templates, new versions, edits and their refusals, and `rubric_problems`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyantek.contests import chain
from posyantek.contests import rubric_selectors as selectors
from posyantek.contests import rubric_services as services
from posyantek.contests.models import ContestLog, Edition, Rubric
from posyantek.contests.tests.conftest import make_edition
from posyantek.core.models import AuditEvent
from posyantek.regions.models import Region


def _crit(rubric: Rubric, code: str) -> Any:
    return rubric.criteria.get(code=code)


def _fresh(rubric: Rubric) -> Rubric:
    return Rubric.objects.get(pk=rubric.pk)


def _links(rubric: Rubric) -> list[dict[str, Any]]:
    return list(ContestLog.objects.filter(object_key=f"rubric:{rubric.pk}").values_list("payload", flat=True))


def test_built_in_templates_are_usable(template: Rubric, rubric: Rubric) -> None:
    assert services.rubric_problems(template) == []
    assert services.rubric_problems(rubric) == []
    for category in ("inovasi_ttg", "ttg_unggulan"):
        tpl = services.rubric_from_template(actor=None, category=category, is_template=True)
        assert services.rubric_problems(tpl) == []


def test_rubric_create_copies_the_edited_national_template(template: Rubric, organiser: Any, admin: Any) -> None:
    services.rubric_update(actor=admin, rubric=template, data={"weight_admin": 20, "weight_field": 50},
                           version=template.version)  # fmt: skip
    dki = Region.objects.get(pk="31")
    rubric = services.rubric_create(actor=organiser, category="posyantek_berprestasi", region=dki, year=2027,
                                    family="dki-posyantek-2027")  # fmt: skip
    assert (rubric.region_id, rubric.version_no, rubric.is_template, rubric.year) == ("31", 1, False, 2027)
    assert (rubric.weight_admin, rubric.weight_field) == (20, 50)
    assert rubric.name == "Rubrik Posyantek Berprestasi 2027"
    assert rubric.criteria.count() == template.criteria.count() == 6
    a1 = rubric.criteria.get(code="A").indicators.get(code="A1")
    assert a1.anchors["4"] == "SK sah dengan rincian tugas tiap unsur" and a1.evidence_mandatory
    assert a1.prefill_key == "legal_sk"
    assert services.rubric_problems(rubric) == []
    assert _links(rubric)[0]["event"] == "created"
    assert AuditEvent.objects.filter(object_id=str(rubric.pk), action="create").exists()


def test_rubric_create_refusals(template: Rubric, organiser: Any, officer: Any, gambir_manager: Any) -> None:
    dki = Region.objects.get(pk="31")
    kw = {"category": "posyantek_berprestasi", "region": dki, "year": 2027}
    with pytest.raises(ValidationError) as exc:
        services.rubric_create(actor=organiser, family="posyantek-berprestasi", **kw)
    assert "sudah dipakai" in exc.value.message_dict["family"][0]
    with pytest.raises(ValidationError) as exc:
        services.rubric_create(actor=organiser, family="DKI 2027!", **kw)
    assert "huruf kecil" in exc.value.message_dict["family"][0]
    with pytest.raises(ValidationError) as exc:
        services.rubric_create(actor=organiser, family="dki-x", **kw | {"category": "lomba_cepat"})
    assert "category" in exc.value.message_dict
    for outsider in (officer, gambir_manager):
        with pytest.raises(PermissionDenied):
            services.rubric_create(actor=outsider, family="dki-x", **kw)
    with pytest.raises(PermissionDenied):  # only the national admin owns national rubrics
        services.rubric_create(actor=organiser, family="dki-x", **kw | {"region": None})


def test_rubric_update_checks_stage_weights_and_scale(rubric: Rubric, organiser: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.rubric_update(actor=organiser, rubric=rubric, data={"weight_admin": 50}, version=rubric.version)
    assert exc.value.message_dict["weight_presentation"] == ["Bobot tahap harus berjumlah 100 (sekarang 120)."]
    with pytest.raises(ValidationError) as exc:
        services.rubric_update(actor=organiser, rubric=rubric, data={"scale_min": 4, "scale_max": 4},
                               version=rubric.version)  # fmt: skip
    assert "Skala tidak sah" in exc.value.message_dict["scale_max"][0]
    with pytest.raises(ValidationError) as exc:
        services.rubric_update(actor=organiser, rubric=rubric, data={"name": "  "}, version=rubric.version)
    assert "name" in exc.value.message_dict
    assert _fresh(rubric).version == rubric.version  # nothing changed
    updated = services.rubric_update(
        actor=organiser,
        rubric=rubric,
        version=rubric.version,
        data={"name": "Rubrik DKI 2026", "weight_admin": 20, "weight_field": 50},
    )
    assert (updated.name, updated.weight_admin, updated.version) == ("Rubrik DKI 2026", 20, rubric.version + 1)
    link = _links(rubric)[-1]
    assert link["event"] == "updated" and link["changes"]["weight_admin"] == [30, 20]
    assert chain.verify().ok


def test_scale_change_drops_anchors_outside_and_reports_missing_ones(rubric: Rubric, organiser: Any) -> None:
    services.rubric_update(actor=organiser, rubric=rubric, data={"scale_min": 1, "scale_max": 3},
                           version=rubric.version)  # fmt: skip
    a1 = _crit(rubric, "A").indicators.get(code="A1")
    assert set(a1.anchors) == {"1", "2", "3"}
    assert services.rubric_problems(_fresh(rubric)) == []
    fresh = _fresh(rubric)
    services.rubric_update(actor=organiser, rubric=fresh, data={"scale_max": 5}, version=fresh.version)
    problems = services.rubric_problems(_fresh(rubric))
    assert "Indikator A1: arti skor 4, 5 belum diisi." in problems
    assert len(problems) == rubric.criteria.values("indicators").count()


def test_every_change_is_refused_while_in_use_but_a_new_version_can(rubric: Rubric, organiser: Any) -> None:
    make_edition(rubric, state=Edition.State.REGISTRATION)
    rubric = _fresh(rubric)
    crit = _crit(rubric, "A")
    ind = crit.indicators.first()
    v = rubric.version
    calls = [
        lambda: services.rubric_update(actor=organiser, rubric=rubric, data={"name": "x"}, version=v),
        lambda: services.rubric_set_weights(actor=organiser, rubric=rubric, version=v,
                                            weights={c.pk: c.weight for c in rubric.criteria.all()}),
        lambda: services.criterion_add(actor=organiser, rubric=rubric, data={"code": "G", "title": "x", "weight": 0},
                                       version=v),
        lambda: services.criterion_update(actor=organiser, criterion=crit, data={"title": "x"}, version=v),
        lambda: services.criterion_remove(actor=organiser, criterion=crit, version=v),
        lambda: services.criterion_set_weights(actor=organiser, criterion=crit, version=v,
                                               weights={i.pk: i.weight for i in crit.indicators.all()}),
        lambda: services.indicator_add(actor=organiser, criterion=crit, data={"code": "A9", "title": "x",
                                                                               "weight": 0}, version=v),
        lambda: services.indicator_update(actor=organiser, indicator=ind, data={"weight": 1}, version=v),
        lambda: services.indicator_remove(actor=organiser, indicator=ind, version=v),
    ]  # fmt: skip
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.messages == ["Rubrik sudah dipakai lomba yang berjalan; buat versi baru."]
    assert _fresh(rubric).version == v
    new = services.rubric_new_version(actor=organiser, rubric=rubric, year=2027)
    assert (new.family, new.version_no, new.previous_id, new.year, new.region_id) == (rubric.family, 2, rubric.pk,
                                                                                      2027, "31")  # fmt: skip
    assert not new.is_in_use and services.rubric_problems(new) == []
    assert new.criteria.get(code="A").indicators.get(code=ind.code).anchors == ind.anchors
    assert sorted(new.criteria.values_list("code", flat=True)) == list("ABCDEF")
    services.rubric_update(actor=organiser, rubric=new, data={"name": "Rubrik DKI 2027"}, version=new.version)
    assert _links(new)[0] == {"event": "new_version", "from": rubric.pk, "version": 2}
    third = services.rubric_new_version(actor=organiser, rubric=rubric)
    assert third.version_no == 3  # the family's next number, even when copied from v1


def test_stale_edits_are_refused(rubric: Rubric, organiser: Any) -> None:
    old = rubric.version
    services.rubric_update(actor=organiser, rubric=rubric, data={"notes": "Juknis 2026"}, version=old)
    with pytest.raises(ValidationError) as exc:
        services.rubric_update(actor=organiser, rubric=rubric, data={"name": "x"}, version=old)
    assert exc.value.code == "stale"
    crit = _crit(rubric, "A")
    with pytest.raises(ValidationError) as exc:
        services.criterion_update(actor=organiser, criterion=crit, data={"title": "x"}, version=old)
    assert exc.value.code == "stale"


def test_criterion_weights_must_sum_to_100(rubric: Rubric, organiser: Any) -> None:
    crits = list(rubric.criteria.all())
    weights = {c.pk: c.weight for c in crits}
    with pytest.raises(ValidationError) as exc:
        services.rubric_set_weights(actor=organiser, rubric=rubric, weights=weights | {crits[0].pk: 30},
                                    version=rubric.version)  # fmt: skip
    assert exc.value.message_dict["__all__"] == ["Bobot kriteria harus berjumlah 100 (sekarang 110)."]
    with pytest.raises(ValidationError):
        services.rubric_set_weights(actor=organiser, rubric=rubric, weights={crits[0].pk: 100}, version=None)
    with pytest.raises(ValidationError) as exc:
        services.rubric_set_weights(actor=organiser, rubric=rubric, weights=weights | {crits[0].pk: -5},
                                    version=None)  # fmt: skip
    assert "0–100" in exc.value.message_dict[f"w_{crits[0].pk}"][0]
    new = weights | {crits[0].pk: 30, crits[1].pk: 5}
    services.rubric_set_weights(actor=organiser, rubric=rubric, weights=new, version=rubric.version)
    assert _crit(rubric, "A").weight == 30 and _crit(rubric, "B").weight == 5
    assert _links(rubric)[-1]["weights"]["A"] == 30


def test_indicator_weights_of_a_criterion_must_sum_to_100(rubric: Rubric, organiser: Any) -> None:
    crit = _crit(rubric, "C")
    inds = list(crit.indicators.all())
    with pytest.raises(ValidationError) as exc:
        services.criterion_set_weights(actor=organiser, criterion=crit, version=None,
                                       weights={i.pk: 20 for i in inds})  # fmt: skip
    assert exc.value.message_dict["__all__"] == ["Bobot indikator kriteria C harus berjumlah 100 (sekarang 80)."]
    services.criterion_set_weights(
        actor=organiser,
        criterion=crit,
        version=None,
        weights={i.pk: w for i, w in zip(inds, [40, 30, 20, 10], strict=True)},
    )
    assert list(crit.indicators.values_list("weight", flat=True)) == [40, 30, 20, 10]


def test_single_edits_may_leave_problems_that_rubric_problems_reports(rubric: Rubric, organiser: Any) -> None:
    g = services.criterion_add(actor=organiser, rubric=rubric, data={"code": "g", "title": "Digitalisasi",
                                                                      "weight": 10}, version=None)  # fmt: skip
    assert g.code == "G" and g.order == 6
    problems = services.rubric_problems(_fresh(rubric))
    assert "Bobot kriteria berjumlah 110, harus 100." in problems
    assert "Kriteria G. Digitalisasi belum punya indikator." in problems
    with pytest.raises(ValidationError) as exc:
        services.criterion_add(actor=organiser, rubric=rubric, data={"code": "A", "title": "x", "weight": 1},
                               version=None)  # fmt: skip
    assert "sudah dipakai" in exc.value.message_dict["code"][0]
    g1 = services.indicator_add(actor=organiser, criterion=g, version=None, data={
        "code": "G1", "title": "Data pos di aplikasi", "weight": 60, "anchors": {"1": "Tidak ada", "2": "Sebagian"},
        "evidence": "Tangkapan layar", "evidence_mandatory": True, "prefill_key": "orders_count"})  # fmt: skip
    problems = services.rubric_problems(_fresh(rubric))
    assert "Bobot indikator kriteria G. Digitalisasi berjumlah 60, harus 100." in problems
    assert "Indikator G1: arti skor 3, 4 belum diisi." in problems
    for bad, field in [
        ({"anchors": {"5": "x"}}, "anchors"),
        ({"prefill_key": "nope"}, "prefill_key"),
        ({"weight": 101}, "weight"),
        ({"evidence": ""}, "evidence"),
        ({"code": ""}, "code"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.indicator_update(actor=organiser, indicator=g1, data=bad, version=None)
        assert field in exc.value.message_dict, bad
    services.indicator_update(
        actor=organiser,
        indicator=g1,
        version=None,
        data={
            "weight": 100,
            "anchors": {"1": "Tidak ada", "2": "Sebagian", "3": "Lengkap", "4": "Lengkap dan terbaru"},
        },
    )
    services.rubric_set_weights(
        actor=organiser,
        rubric=rubric,
        version=None,
        weights={c.pk: c.weight - (10 if c.code == "A" else 0) for c in rubric.criteria.all()},
    )
    assert services.rubric_problems(_fresh(rubric)) == []
    services.indicator_remove(actor=organiser, indicator=g1, version=None)
    assert "Kriteria G. Digitalisasi belum punya indikator." in services.rubric_problems(_fresh(rubric))
    services.criterion_remove(actor=organiser, criterion=g, version=None)
    assert services.rubric_problems(_fresh(rubric)) == ["Bobot kriteria berjumlah 90, harus 100."]
    events = [p["event"] for p in _links(rubric)]
    assert events[1:] == ["criterion_added", "indicator_added", "indicator_updated", "bobot_kriteria",
                          "indicator_removed", "criterion_removed"]  # fmt: skip
    assert chain.verify().ok


def test_rubric_problems_names_each_problem(rubric: Rubric) -> None:
    Rubric.objects.filter(pk=rubric.pk).update(weight_admin=10)
    assert services.rubric_problems(_fresh(rubric)) == ["Bobot tahap berjumlah 80, harus 100."]
    empty = Rubric.objects.create(family="kosong", name="Kosong", category="inovasi_ttg")
    assert services.rubric_problems(empty) == ["Rubrik belum punya kriteria."]
    empty.scale_min = 4  # never saved: the database refuses it
    assert services.rubric_problems(empty)[0].startswith("Skala tidak sah")


def test_only_organisers_change_rubrics(rubric: Rubric, template: Rubric, organiser: Any, gambir_manager: Any,
                                        viewer: Any, officer: Any, admin: Any) -> None:  # fmt: skip
    for user in (gambir_manager, viewer, officer):
        with pytest.raises(PermissionDenied):
            services.rubric_update(actor=user, rubric=rubric, data={"name": "x"}, version=None)
        with pytest.raises(PermissionDenied):
            services.rubric_new_version(actor=user, rubric=rubric)
    with pytest.raises(PermissionDenied):  # a national template: the national admin only
        services.rubric_update(actor=organiser, rubric=template, data={"name": "x"}, version=None)
    services.rubric_update(actor=admin, rubric=template, data={"notes": "Juknis 2026"}, version=None)
    services.rubric_update(actor=admin, rubric=rubric, data={"notes": "Dibantu pusat"}, version=None)
    assert services.can_change(organiser, rubric) and not services.can_change(gambir_manager, rubric)
    assert services.can_create(organiser) and not services.can_create(gambir_manager)


def test_rubric_list_scope(rubric: Rubric, template: Rubric, organiser: Any, officer: Any, gambir_manager: Any,
                           edition: Edition, judge1: Any, panel: Any) -> None:  # fmt: skip
    assert set(selectors.rubric_list(user=organiser)) == {rubric, template}
    assert set(selectors.rubric_list(user=officer)) == {template}
    assert set(selectors.rubric_list(user=gambir_manager)) == {rubric, template}  # the rubric its edition uses
    assert set(selectors.rubric_list(user=judge1)) == {rubric}  # judges DKI's edition; holds no grant
    assert selectors.rubric_list(user=organiser).get(pk=rubric.pk).in_use

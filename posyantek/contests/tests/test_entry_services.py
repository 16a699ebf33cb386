"""Entry services: registration (duplicates, region, who), the dossier and its evidence, submission without
required evidence, return, the administrative decision, nominee/finalist moves and withdrawal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from posyantek.catalog.models import Innovator, Ttg
from posyantek.contests import entry_services as services
from posyantek.contests import rubric_services
from posyantek.contests.models import ContestLog, Edition, Entry, Indicator
from posyantek.contests.tests.conftest import make_edition, make_entry

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def mandatory(entry: Entry) -> list[Indicator]:
    return list(Indicator.objects.filter(criterion__rubric=entry.edition.rubric, evidence_mandatory=True))


@pytest.fixture
def draft(edition: Edition, dki: dict[str, Any], gambir_manager: Any) -> Entry:
    return services.entry_register(actor=gambir_manager, edition=edition, post=dki["gambir"])


def test_register_own_post(draft: Entry, dki: dict[str, Any]) -> None:
    assert (draft.state, draft.post, draft.region_id, draft.title) == ("terdaftar", dki["gambir"], "31.71.01",
                                                                        "Posyantek Gambir")  # fmt: skip
    assert ContestLog.objects.filter(object_key=f"entry:{draft.pk}", payload__event="registered").exists()


def test_register_refuses_duplicates(draft: Entry, gambir_manager: Any, dki: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.entry_register(actor=gambir_manager, edition=draft.edition, post=dki["gambir"])
    assert "sudah terdaftar" in exc.value.messages[0]


def test_register_refuses_post_outside_region(edition: Edition, admin: Any, posts: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.entry_register(actor=admin, edition=edition, post=posts["mitra"])
    assert "di luar wilayah" in exc.value.messages[0]


def test_register_refuses_another_post_and_closed_registration(
    edition: Edition, gambir_manager: Any, organiser: Any, dki: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        services.entry_register(actor=gambir_manager, edition=edition, post=dki["cempaka"])
    # An organiser registers any post of the region.
    assert services.entry_register(actor=organiser, edition=edition, post=dki["cempaka"]).post == dki["cempaka"]
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.ADMIN)
    edition.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.entry_register(actor=organiser, edition=edition, post=dki["matraman"])
    assert "tidak sedang dibuka" in exc.value.messages[0]


def test_register_ttg_with_innovators(organiser: Any, gambir_manager: Any, dki: dict[str, Any], db: Any) -> None:
    rubric = rubric_services.rubric_from_template(actor=None, category="inovasi_ttg", is_template=True)
    edition = make_edition(rubric)
    Edition.objects.filter(pk=edition.pk).update(category="inovasi_ttg")
    edition.refresh_from_db()
    gambir, cempaka = dki["gambir"], dki["cempaka"]
    inv = Innovator.objects.create(region_id=gambir.region_id, post=gambir, sector="pangan", kind="kelompok",
                                   group_name="KUB Gambir")  # fmt: skip
    ttg = Ttg.objects.create(region_id=gambir.region_id, post=gambir, name="Mesin Perajang", slug="perajang",
                             sector="pangan", aspect="pangan")  # fmt: skip
    other = Ttg.objects.create(region_id=cempaka.region_id, post=cempaka, name="Pengering", slug="pengering",
                               sector="pangan", aspect="pangan")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.entry_register(actor=gambir_manager, edition=edition, post=gambir)
    assert "ttg" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.entry_register(actor=gambir_manager, edition=edition, post=gambir, ttg=other)
    entry = services.entry_register(actor=gambir_manager, edition=edition, post=gambir, ttg=ttg, innovators=[inv])
    assert entry.title == "Mesin Perajang" and list(entry.innovators.all()) == [inv]
    with pytest.raises(ValidationError) as exc:
        services.entry_register(actor=gambir_manager, edition=edition, post=gambir, ttg=ttg)
    assert "sudah terdaftar" in exc.value.message_dict["ttg"][0]


def test_dossier_save_checks_scale_version_and_lock(draft: Entry, gambir_manager: Any) -> None:
    ind = mandatory(draft)[0]
    with pytest.raises(ValidationError) as exc:
        services.dossier_save(actor=gambir_manager, entry=draft, indicator=ind, narrative="x", self_score=5)
    assert "self_score" in exc.value.message_dict
    item = services.dossier_save(actor=gambir_manager, entry=draft, indicator=ind, narrative="SK ada", self_score=3)
    item = services.dossier_save(actor=gambir_manager, entry=draft, indicator=ind, narrative="SK 2019",
                                 version=item.version)  # fmt: skip
    assert (item.narrative, item.self_score, item.version) == ("SK 2019", None, 2)
    with pytest.raises(ValidationError) as exc:
        services.dossier_save(actor=gambir_manager, entry=draft, indicator=ind, narrative="lama", version=1)
    assert exc.value.code == "stale"
    Entry.objects.filter(pk=draft.pk).update(state=Entry.State.SUBMITTED)
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.dossier_save(actor=gambir_manager, entry=draft, indicator=ind, narrative="telat")
    assert "terkunci" in exc.value.messages[0]


def test_dossier_only_for_the_posts_people(draft: Entry, judge1: Any, dki: dict[str, Any]) -> None:
    cempaka_staff = make_user("staf@cempaka.id", ("post_staff", dki["cempaka"]))
    with pytest.raises(PermissionDenied):
        services.dossier_save(actor=cempaka_staff, entry=draft, indicator=mandatory(draft)[0], narrative="x")


def test_file_add_checks_type_and_needs_file_or_link(draft: Entry, gambir_manager: Any) -> None:
    ind = mandatory(draft)[0]
    with pytest.raises(ValidationError) as exc:
        services.file_add(actor=gambir_manager, entry=draft, indicator=ind, title="SK")
    assert "file" in exc.value.message_dict
    bad = SimpleUploadedFile("sk.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.file_add(actor=gambir_manager, entry=draft, indicator=ind, title="SK", file=bad)
    assert "PDF" in exc.value.message_dict["file"][0]
    f = services.file_add(actor=gambir_manager, entry=draft, indicator=ind, title="SK", file=pdf())
    assert f.file.name.startswith("lomba/dossierfile/")
    services.file_remove(actor=gambir_manager, dossier_file=f)
    assert not draft.files.exists()


def test_submit_refused_without_required_evidence(draft: Entry, gambir_manager: Any) -> None:
    required = mandatory(draft)
    with pytest.raises(ValidationError) as exc:
        services.entry_submit(actor=gambir_manager, entry=draft)
    assert len(exc.value.messages) == len(required)
    assert all(i.code in " ".join(exc.value.messages) for i in required)
    for ind in required:
        services.file_add(actor=gambir_manager, entry=draft, indicator=ind, title="Bukti", link="https://v.id/x")
    entry = services.entry_submit(actor=gambir_manager, entry=draft)
    assert entry.state == Entry.State.SUBMITTED and entry.submitted_at and entry.is_locked
    assert entry.prefilled_at is not None and "sales_total" in entry.self_assessment
    assert ContestLog.objects.filter(object_key=f"entry:{entry.pk}", payload__event="submitted").exists()
    with pytest.raises(ValidationError):
        services.entry_submit(actor=gambir_manager, entry=entry)


def test_submit_needs_manage(draft: Entry, dki: dict[str, Any]) -> None:
    staff = make_user("staf@gambir.id", ("post_staff", dki["gambir"]))
    with pytest.raises(PermissionDenied):
        services.entry_submit(actor=staff, entry=draft)


def test_prefill_refreshes_self_assessment(draft: Entry, dki: dict[str, Any]) -> None:
    staff = make_user("staf@gambir.id", ("post_staff", dki["gambir"]))
    entry = services.entry_prefill(actor=staff, entry=draft)
    assert entry.prefilled_at and entry.self_assessment["consultations_received"]["value"] == 0


def test_return_and_admin_decision(edition: Edition, organiser: Any, gambir_manager: Any,
                                   dki: dict[str, Any]) -> None:  # fmt: skip
    entry = make_entry(edition, dki["gambir"])
    with pytest.raises(PermissionDenied):
        services.entry_return(actor=gambir_manager, entry=entry, note="x")
    with pytest.raises(ValidationError) as exc:
        services.entry_return(actor=organiser, entry=entry, note=" ")
    assert "note" in exc.value.message_dict
    entry = services.entry_return(actor=organiser, entry=entry, note="SK belum dilegalisir")
    assert entry.state == Entry.State.RETURNED and not entry.is_locked
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.SUBMITTED)
    entry.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.entry_admin_decide(actor=organiser, entry=entry, passed=True, reasons="Lengkap")
    assert "seleksi administrasi" in exc.value.messages[0]
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.ADMIN)
    entry = Entry.objects.select_related("edition").get(pk=entry.pk)
    with pytest.raises(ValidationError) as exc:
        services.entry_admin_decide(actor=organiser, entry=entry, passed=False, reasons="")
    assert "reasons" in exc.value.message_dict
    entry = services.entry_admin_decide(actor=organiser, entry=entry, passed=False, reasons="SKT kedaluwarsa")
    assert (entry.state, entry.admin_passed, entry.admin_decided_by) == ("gugur", False, organiser)
    assert ContestLog.objects.filter(kind=ContestLog.Kind.ADMIN, object_key=f"entry:{entry.pk}").count() == 1
    with pytest.raises(ValidationError):
        services.entry_admin_decide(actor=organiser, entry=entry, passed=True, reasons="Ralat")


def test_set_state_and_withdraw(entry: Entry, organiser: Any, gambir_manager: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.set_state(actor=gambir_manager, entry=entry, state="nominasi")
    with pytest.raises(ValidationError):
        services.set_state(actor=organiser, entry=entry, state="juara")
    entry = services.set_state(actor=organiser, entry=entry, state="nominasi", note="10 besar")
    entry = services.set_state(actor=organiser, entry=entry, state="finalis")
    with pytest.raises(ValidationError):
        services.set_state(actor=organiser, entry=entry, state="nominasi")
    entry = services.entry_withdraw(actor=gambir_manager, entry=entry, note="Pengurus berganti")
    assert entry.state == Entry.State.WITHDRAWN
    with pytest.raises(ValidationError):
        services.entry_withdraw(actor=organiser, entry=entry)

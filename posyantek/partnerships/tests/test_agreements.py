"""Agreement services: dates, parties (never twice, two before signing), states (no skipping), extension, file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from posyantek.core.models import AuditEvent
from posyantek.core.templatetags.fmt import tanggal
from posyantek.partnerships import agreement_services as services
from posyantek.partnerships.models import Agreement, AgreementParty
from posyantek.partnerships.selectors import agreement_choices, agreement_list
from posyantek.partnerships.tests.conftest import PDF, add_partner, explore, sign

TODAY = timezone.localdate()


def test_create_starts_exploring_with_the_post_as_party_and_the_creator_as_manager(manager, posts) -> None:
    ag = explore(manager, posts["mitra"], value=150_000_000)
    assert ag.state == "penjajakan" and ag.manager == manager and ag.region_id == "33.75.03"
    party = ag.parties.get()
    assert party.is_post and party.partner is None
    assert list(ag.steps.values_list("state", "actor", "note")) == [("penjajakan", manager.pk, "Dicatat")]
    assert AuditEvent.objects.for_object(ag).get().changes["value"] == 150_000_000


def test_an_agreement_that_ends_before_it_starts_is_refused(manager, posts, draft) -> None:
    with pytest.raises(ValidationError) as exc:
        explore(manager, posts["mitra"], starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 30))
    assert exc.value.message_dict["ends_on"] == ["Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku."]
    with pytest.raises(ValidationError):
        services.agreement_update(actor=manager, agreement=draft, data={"starts_on": dt.date(2026, 5, 1),
                                                                         "ends_on": dt.date(2025, 5, 1)})  # fmt: skip
    # The database refuses it too, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=draft.pk).update(starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2025, 5, 1))


def test_bad_input_is_told_field_by_field(manager, posts) -> None:
    with pytest.raises(ValidationError) as exc:
        explore(manager, posts["mitra"], title=" ", doc_kind="nota", value=-1, number="x" * 101)
    assert set(exc.value.message_dict) == {"title", "doc_kind", "value", "number"}
    with pytest.raises(ValidationError) as exc:
        explore(manager, posts["mitra"], value=1.5)
    assert "rupiah bulat" in exc.value.message_dict["value"][0]


def test_scope_and_roles(manager, viewer, outsider, staff, posts, draft) -> None:
    for actor in (viewer, outsider, staff):
        with pytest.raises(ValidationError) as exc:
            explore(actor, posts["mitra"])
        assert "post" in exc.value.message_dict
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            services.agreement_update(actor=actor, agreement=draft, data={"title": "X"})
        with pytest.raises(PermissionDenied):
            services.agreement_advance(actor=actor, agreement=draft, state="draf")


def test_manager_must_be_able_to_edit_the_post(manager, officer, viewer, staff, posts, draft) -> None:
    with pytest.raises(ValidationError) as exc:
        explore(officer, posts["mitra"], manager=viewer)
    assert "manager" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.agreement_update(actor=officer, agreement=draft, data={"manager": staff})  # the Wartek's, not ours
    ag = services.agreement_update(actor=officer, agreement=draft, data={"manager": officer})
    assert ag.manager == officer


def test_version_check_on_edits_and_steps(manager, officer, draft) -> None:
    services.agreement_update(actor=manager, agreement=draft, data={"number": "01/MoU"}, version=1)
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=officer, agreement=draft, data={"number": "lama"}, version=1)
    assert exc.value.code == "stale"
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=officer, agreement=draft, state="draf", version=1)
    assert exc.value.code == "stale"


def test_a_party_listed_twice_is_refused(manager, posts, draft, unikal) -> None:
    services.party_add(actor=manager, agreement=draft, partner=unikal, signatory="Prof. Dr. Suryani",
                       signatory_title="Rektor", obligations="Menyediakan narasumber")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=manager, agreement=draft, partner=unikal)
    assert exc.value.message_dict["partner"] == [
        "Universitas Pekalongan (UNIKAL) sudah tercatat sebagai pihak pada kerja sama ini; satu pihak hanya dicatat "
        "sekali."
    ]
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=manager, agreement=draft, is_post=True)
    assert "Posyantek Mitra Pantura sudah tercatat" in exc.value.message_dict["partner"][0]
    with pytest.raises(ValidationError):
        services.party_add(actor=manager, agreement=draft)  # neither
    assert draft.parties.count() == 2
    event = AuditEvent.objects.for_object(draft).filter(action="update").get()
    assert event.changes["pihak"] == [None, "Universitas Pekalongan (UNIKAL) (penanda tangan: Prof. Dr. Suryani, "
                                            "Rektor)"]  # fmt: skip


def test_a_partner_of_another_post_is_no_party(manager, officer, posts, draft) -> None:
    theirs = add_partner(officer, posts["wartek"], "Koperasi Nelayan Mina Bahari", kind="komunitas")
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=manager, agreement=draft, partner=theirs)
    assert "Pilih mitra Posyantek Mitra Pantura" in exc.value.message_dict["partner"][0]


def test_signing_needs_two_parties_and_a_signing_date(manager, draft, unikal) -> None:
    draft = services.agreement_advance(actor=manager, agreement=draft, state="draf", note="Naskah dari LPPM")
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=draft, state="ditandatangani")
    errors = exc.value.message_dict
    assert "paling sedikit dua pihak" in errors["state"][0] and errors["signed_on"] == ["Isi tanggal tanda tangan."]
    services.party_add(actor=manager, agreement=draft, partner=unikal)
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=draft, state="ditandatangani",
                                   signed_on=TODAY + dt.timedelta(days=3))  # fmt: skip
    assert "belum tiba" in exc.value.message_dict["signed_on"][0]
    ag = services.agreement_advance(actor=manager, agreement=draft, state="ditandatangani", signed_on=TODAY)
    assert ag.state == "ditandatangani" and ag.signed_on == TODAY
    with pytest.raises(ValidationError) as exc:  # the signed document fixes its parties
        services.party_remove(actor=manager, party=ag.parties.get(partner=unikal))
    assert "setelah kerja sama ditandatangani" in exc.value.message_dict["partner"][0]
    party = services.party_update(actor=manager, party=ag.parties.get(partner=unikal),
                                  data={"obligations": "Dua dosen pendamping"})  # fmt: skip
    assert party.obligations == "Dua dosen pendamping"


def test_skipping_or_going_back_names_the_allowed_steps(manager, signed) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=signed, state="dievaluasi")
    assert exc.value.message_dict["state"] == [
        "Dari tahap Ditandatangani hanya boleh ke: Berjalan. Tahap tidak boleh dilompati atau mundur."
    ]
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=signed, state="draf")
    assert "hanya boleh ke: Berjalan" in exc.value.message_dict["state"][0]
    with pytest.raises(ValidationError):
        services.agreement_advance(actor=manager, agreement=signed, state="dibatalkan")


def test_evaluation_needs_its_text_then_the_agreement_ends(manager, signed) -> None:
    ag = services.agreement_advance(actor=manager, agreement=signed, state="berjalan")
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=ag, state="dievaluasi", evaluation="  ")
    assert "evaluation" in exc.value.message_dict
    ag = services.agreement_advance(actor=manager, agreement=ag, state="dievaluasi",
                                    evaluation="Target 3 Bintek tercapai.")  # fmt: skip
    assert ag.evaluation == "Target 3 Bintek tercapai."
    ag = services.agreement_advance(actor=manager, agreement=ag, state="berakhir", note="Tidak diperpanjang")
    assert list(ag.steps.values_list("state", flat=True)) == [
        "penjajakan", "draf", "ditandatangani", "berjalan", "dievaluasi", "berakhir"]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang")
    assert "tidak dapat diubah lagi" in exc.value.message_dict["state"][0]
    status = AuditEvent.objects.for_object(ag).filter(action="status").order_by("pk")
    assert status.count() == 5 and status.last().changes["note"] == [None, "Tidak diperpanjang"]


def test_exploring_may_stop(manager, draft) -> None:
    ag = services.agreement_advance(actor=manager, agreement=draft, state="berakhir", note="CSR tidak berlanjut")
    assert ag.state == "berakhir" and ag.signed_on is None


def _evaluated(manager, signed):
    ag = services.agreement_advance(actor=manager, agreement=signed, state="berjalan")
    return services.agreement_advance(actor=manager, agreement=ag, state="dievaluasi", evaluation="Baik")


def test_extension_creates_a_new_agreement_ending_later(manager, signed, unikal) -> None:
    ag = _evaluated(manager, signed)
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang", ends_on=ag.ends_on)
    assert "harus berakhir sesudah" in exc.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang")
    assert exc.value.message_dict["ends_on"] == ["Isi tanggal berakhir perpanjangan."]
    new_end = ag.ends_on + dt.timedelta(days=730)
    ag = services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang", ends_on=new_end)
    new = ag.extensions.get()
    assert ag.state == "diperpanjang" and new.extends == ag and new.state == "draf"
    assert new.starts_on == signed.ends_on + dt.timedelta(days=1) and new.ends_on == new_end
    assert new.title == "Pendampingan TTG Pengolahan Ikan (perpanjangan)" and new.manager == manager
    assert set(new.parties.values_list("partner", "is_post", "signatory")) == {(None, True, ""),
                                                                              (unikal.pk, False, "Rektor")}  # fmt: skip
    assert new.steps.get().note == f"Perpanjangan dari {ag}"
    assert AuditEvent.objects.for_object(ag).filter(action="status").first().changes["perpanjangan"] == [None, str(new)]


def test_extension_links_an_agreement_already_recorded(manager, posts, signed) -> None:
    ag = _evaluated(manager, signed)
    short = explore(manager, posts["mitra"], title="Adendum", ends_on=ag.ends_on)
    with pytest.raises(ValidationError) as exc:
        services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang", extension=short)
    assert "harus berakhir sesudah" in exc.value.message_dict["extension"][0]
    later = explore(manager, posts["mitra"], title="Adendum 2", ends_on=ag.ends_on + dt.timedelta(days=365))
    ag = services.agreement_advance(actor=manager, agreement=ag, state="diperpanjang", extension=later)
    later.refresh_from_db()
    assert later.extends == ag and later.version == 2 and Agreement.objects.filter(extends=ag).count() == 1


def test_the_file_must_be_a_pdf(manager, posts, draft) -> None:
    fake = SimpleUploadedFile("mou.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=manager, agreement=draft, data={"file": fake})
    assert exc.value.message_dict["file"] == ["Berkas perjanjian harus PDF."]
    ag = services.agreement_update(actor=manager, agreement=draft,
                                   data={"file": SimpleUploadedFile("MoU UNIKAL.pdf", PDF)})  # fmt: skip
    assert ag.file.name.endswith(f"kerja-sama-{ag.pk}.pdf") and ag.file.read().startswith(b"%PDF")


def test_an_agreement_with_partners_does_not_move_to_another_post(officer, posts, signed) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=officer, agreement=signed, data={"post": posts["wartek"]})
    assert "tidak dapat dipindah" in exc.value.message_dict["post"][0]
    assert AgreementParty.objects.filter(agreement=signed).count() == 2


def test_a_signing_date_that_has_not_come_is_refused_on_any_edit(manager, posts, draft) -> None:
    later = TODAY + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(actor=manager, agreement=draft, data={"signed_on": later})
    assert exc.value.message_dict["signed_on"] == [f"Tanggal tanda tangan {tanggal(later)} belum tiba."]
    with pytest.raises(ValidationError):
        explore(manager, posts["mitra"], signed_on=later)
    assert Agreement.objects.count() == 1


def test_recorded_with_a_partner_the_partner_is_the_second_party(manager, officer, posts) -> None:
    unikal = add_partner(manager, posts["mitra"])
    ag = services.agreement_create(actor=manager, data={"post": posts["mitra"], "title": "Pendampingan TTG"},
                                   partner=unikal)  # fmt: skip
    assert list(ag.parties.values_list("is_post", "partner")) == [(True, None), (False, unikal.pk)]
    wartek_partner = add_partner(officer, posts["wartek"], "Koperasi Nelayan")
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(actor=officer, data={"post": posts["mitra"], "title": "Salah pos"},
                                  partner=wartek_partner)  # fmt: skip
    assert "mitra pos lain" in exc.value.message_dict["partner"][0]
    assert Agreement.objects.count() == 1  # nothing half-saved


def test_history_names_the_file_not_where_it_is_stored(manager, draft) -> None:
    services.agreement_update(actor=manager, agreement=draft, data={"file": SimpleUploadedFile("MoU.pdf", PDF)})
    changes = AuditEvent.objects.for_object(draft).first().changes
    name = changes["file"][1]
    assert changes["file"][0] is None and name.startswith(f"kerja-sama-{draft.pk}") and name.endswith(".pdf")
    assert "/" not in name and "kemitraan" not in name


def test_only_agreements_ending_later_are_offered_as_the_extension(manager, posts, signed) -> None:
    short = explore(manager, posts["mitra"], title="Adendum", ends_on=signed.ends_on)
    later = explore(manager, posts["mitra"], title="Adendum 2", ends_on=signed.ends_on + dt.timedelta(days=365))
    open_ended = explore(manager, posts["mitra"], title="Tanpa tanggal")
    assert list(agreement_choices(user=manager, agreement=signed)) == [later]
    assert {short, later} <= set(agreement_choices(user=manager, agreement=open_ended))  # no end: any may follow


def test_the_list_shows_the_newest_signed_first_then_those_not_signed(manager, posts, unikal) -> None:
    old = sign(manager, explore(manager, posts["mitra"], title="Lama"), unikal, signed_on=TODAY - dt.timedelta(400))
    explore(manager, posts["mitra"], title="Baru dijajaki")
    new = sign(manager, explore(manager, posts["mitra"], title="Baru"), unikal, signed_on=TODAY - dt.timedelta(5))
    titles = [a.title for a in agreement_list(user=manager)]
    assert titles == [new.title, old.title, "Baru dijajaki"]  # the same on SQLite and PostgreSQL

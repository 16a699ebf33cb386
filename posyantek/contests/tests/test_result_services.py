"""Result services: compute, plenary tie decisions, publication (states, awards, chain) and forwarding."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from posyantek.contests import chain, result_services
from posyantek.contests.models import (
    ContestLog,
    DossierFile,
    DossierItem,
    Edition,
    Entry,
    Indicator,
    JudgeStat,
    Prize,
    Result,
    Stage,
)
from posyantek.contests.tests.conftest import make_entry
from posyantek.contests.tests.test_result_helpers import scored_fixture, sheet_with  # noqa: F401 - fixture
from posyantek.core.models import AuditEvent
from posyantek.replication.models import Award

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _edition(scored: dict[str, Any]) -> Edition:
    return Edition.objects.get(pk=scored["edition"].pk)


def _dossier(entry: Entry) -> None:
    ind = Indicator.objects.get(criterion__rubric=entry.edition.rubric, code="A1")
    DossierItem.objects.create(entry=entry, indicator=ind, narrative="SK Wali Kota 2019")
    DossierFile.objects.create(entry=entry, indicator=ind, title="SK pembentukan",
                               file=SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"))  # fmt: skip
    Entry.objects.filter(pk=entry.pk).update(self_assessment={"legal_sk": {"value": 1, "label": "SK ada"}})


def test_compute_writes_results_stats_and_a_chain_link(scored: dict[str, Any], organiser: Any) -> None:
    done = result_services.compute(actor=organiser, edition=scored["edition"])
    assert done.results == 2 and done.ties == 0
    edition = _edition(scored)
    assert edition.computed_at is not None
    r = Result.objects.get(entry=scored["entry2"])
    assert (r.rank, str(r.final_score), r.award) == (1, "66.667", "Juara 1")
    assert Result.objects.get(entry=scored["entry"]).award == "Juara 2"
    assert JudgeStat.objects.filter(edition=edition, stage=Stage.FIELD).count() == 2
    link = ContestLog.objects.filter(kind=ContestLog.Kind.COMPUTE).latest("seq")
    assert link.payload["digest"] == chain.results_digest(edition.pk)
    assert AuditEvent.objects.filter(action="compute", object_id=str(edition.pk)).exists()
    # computing again replaces, never duplicates
    result_services.compute(actor=organiser, edition=edition)
    assert Result.objects.filter(edition=edition).count() == 2


def test_compute_uses_prize_titles(scored: dict[str, Any], organiser: Any) -> None:
    Prize.objects.create(edition=scored["edition"], rank=1, title="Juara I", amount=25_000_000)
    result_services.compute(actor=organiser, edition=scored["edition"])
    assert Result.objects.get(entry=scored["entry2"]).award == "Juara I"
    assert Result.objects.get(entry=scored["entry"]).award == ""


def test_compute_refusals(scored: dict[str, Any], organiser: Any, gambir_manager: Any, officer: Any) -> None:
    edition = scored["edition"]
    with pytest.raises(PermissionDenied):
        result_services.compute(actor=gambir_manager, edition=edition)
    with pytest.raises(PermissionDenied):
        result_services.compute(actor=officer, edition=edition)
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.REGISTRATION)
    with pytest.raises(ValidationError, match="Hasil dapat dihitung saat"):
        result_services.compute(actor=organiser, edition=_edition(scored))


def test_compute_without_locked_sheets_is_refused(edition: Edition, organiser: Any, entry: Entry) -> None:
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.PLENARY)
    edition.refresh_from_db()
    with pytest.raises(ValidationError, match="Belum ada lembar nilai yang terkunci"):
        result_services.compute(actor=organiser, edition=edition)


def test_publish_refusals(scored: dict[str, Any], organiser: Any, dki: dict[str, Any]) -> None:
    edition = scored["edition"]
    with pytest.raises(ValidationError, match="Hasil belum dihitung"):
        result_services.publish(actor=organiser, edition=edition)
    result_services.compute(actor=organiser, edition=edition)
    third = make_entry(edition, dki["matraman"], state=Entry.State.PASSED)
    sheet_with(edition, Stage.FIELD, third, scored["j1"], {"A1": 1}, lock=False)
    with pytest.raises(ValidationError, match="lembar nilai terbuka"):
        result_services.publish(actor=organiser, edition=_edition(scored))
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.PRESENTATION)
    with pytest.raises(ValidationError, match="setelah rapat pleno"):
        result_services.publish(actor=organiser, edition=_edition(scored))


def _tie(scored: dict[str, Any], organiser: Any) -> Edition:
    """Make Gambir score exactly like Cempaka Putih (a fresh edition state: sheets replaced)."""
    edition = scored["edition"]
    from posyantek.contests.models import ScoreSheet

    ScoreSheet.objects.filter(entry=scored["entry"]).delete()
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j1"], {"A1": 4, "A2": 4, "B1": 4})
    sheet_with(edition, Stage.FIELD, scored["entry"], scored["j2"], {"A1": 2, "A2": 2, "B1": 2})
    result_services.compute(actor=organiser, edition=edition)
    return _edition(scored)


def test_tie_blocks_publication_until_the_plenary_decides(scored: dict[str, Any], organiser: Any) -> None:
    edition = _tie(scored, organiser)
    rows = list(Result.objects.filter(edition=edition).order_by("pk"))
    assert all(r.tie and r.rank == 1 for r in rows)
    assert rows[0].tie_note == "Nilai sama: diputuskan rapat pleno"
    assert any("putuskan urutannya di rapat pleno" in p for p in result_services.publish_problems(edition))
    with pytest.raises(ValidationError) as err:
        result_services.resolve_tie(actor=organiser, edition=edition, ordering=[scored["entry"].pk], note="x")
    assert "ordering" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        result_services.resolve_tie(actor=organiser, edition=edition,
                                    ordering=[scored["entry"].pk, scored["entry2"].pk], note=" ")  # fmt: skip
    assert "note" in err.value.message_dict
    result_services.resolve_tie(actor=organiser, edition=edition, ordering=[scored["entry"].pk, scored["entry2"].pk],
                                note="Gambir unggul dalam verifikasi lapangan")  # fmt: skip
    gambir = Result.objects.get(entry=scored["entry"])
    assert (gambir.rank, gambir.tie, gambir.award) == (1, False, "Juara 1")
    assert "Gambir unggul" in gambir.tie_note
    assert Result.objects.get(entry=scored["entry2"]).rank == 2
    assert "Gambir unggul" in _edition(scored).plenary_notes
    assert result_services.publish_problems(_edition(scored)) == []
    # computing again keeps the plenary's decision while the same entries are still tied
    done = result_services.compute(actor=organiser, edition=_edition(scored))
    assert done.decisions_reapplied == 1
    assert Result.objects.get(entry=scored["entry"]).rank == 1


def test_publish_decides_awards_forwards_and_chains(scored: dict[str, Any], organiser: Any, national: Edition,
                                                    admin: Any) -> None:  # fmt: skip
    edition = scored["edition"]
    _dossier(scored["entry2"])
    result_services.compute(actor=organiser, edition=edition)
    done = result_services.publish(actor=organiser, edition=_edition(scored),
                                   data={"decree_number": "12/SK/2026", "signatory_name": "Kepala Dinas"})  # fmt: skip
    edition = _edition(scored)
    assert edition.state == Edition.State.DECIDED and edition.published_at and edition.decree_number == "12/SK/2026"
    winner, other = Entry.objects.get(pk=scored["entry2"].pk), Entry.objects.get(pk=scored["entry"].pk)
    assert (winner.state, other.state) == (Entry.State.WINNER, Entry.State.WINNER)  # Juara 1 and Juara 2
    award = Award.objects.get(post=winner.post)
    assert award.title == "Juara 1 Lomba Posyantek Berprestasi Provinsi DKI Jakarta 2026"
    assert (award.level, award.year, award.issuer) == ("provinsi", 2026, "DPMPTSP/DPMD")
    assert len(done.awards) == 2
    # the top 1 went to the national edition with its dossier
    assert [e.edition_id for e in done.forwarded] == [national.pk] and not done.waiting
    new = done.forwarded[0]
    assert new.forwarded_from_id == winner.pk and new.state == Entry.State.SUBMITTED
    assert new.proposed_by == "SK 12/SK/2026 (Lomba Posyantek Berprestasi Provinsi DKI Jakarta 2026)"
    assert new.self_assessment == {"legal_sk": {"value": 1, "label": "SK ada"}}
    item = DossierItem.objects.get(entry=new)
    assert item.indicator.criterion.rubric_id == national.rubric_id and item.narrative == "SK Wali Kota 2019"
    assert DossierFile.objects.get(entry=new).file.name == DossierFile.objects.get(entry=winner).file.name
    assert Result.objects.get(entry=winner).forwarded
    assert ContestLog.objects.filter(kind=ContestLog.Kind.FORWARD, edition=national).exists()
    assert chain.verify().ok
    # no second publication, no change of results after it
    with pytest.raises(ValidationError, match="sudah diumumkan"):
        result_services.publish(actor=organiser, edition=edition)
    with pytest.raises(ValidationError, match="sudah diumumkan"):
        result_services.compute(actor=organiser, edition=edition)
    # tampering with a published result is found
    Result.objects.filter(entry=scored["entry"]).update(rank=1)
    report = chain.verify()
    assert not report.ok
    assert any("Peringkat yang diumumkan berubah" in p.message for p in report.problems)


def test_forwarding_more_than_allowed_is_refused(scored: dict[str, Any], organiser: Any, national: Edition,
                                                 admin: Any) -> None:  # fmt: skip
    edition = scored["edition"]
    result_services.compute(actor=organiser, edition=edition)
    result_services.publish(actor=organiser, edition=_edition(scored))
    with pytest.raises(ValidationError, match=r"melebihi ketentuan lomba \(1\)"):
        result_services.forward(actor=organiser, edition=_edition(scored), entries=[scored["entry"]])
    assert not Entry.objects.filter(forwarded_from=scored["entry"]).exists()


def test_winner_waits_for_the_next_edition_then_is_forwarded(scored: dict[str, Any], organiser: Any, admin: Any,
                                                             template: Any) -> None:  # fmt: skip
    from posyantek.contests.tests.conftest import make_edition

    edition = scored["edition"]
    result_services.compute(actor=organiser, edition=edition)
    done = result_services.publish(actor=organiser, edition=_edition(scored))
    assert done.forwarded == [] and [e.pk for e in done.waiting] == [scored["entry2"].pk]
    assert result_services.pending_forward(_edition(scored)) == [scored["entry2"]]
    with pytest.raises(ValidationError, match="belum dibuat"):
        result_services.forward_pending(actor=organiser, edition=_edition(scored))
    national = make_edition(template, level="nasional", region=None, name="Nasional 2026", forward_count=0)
    made = result_services.forward_pending(actor=organiser, edition=_edition(scored))
    assert [e.edition_id for e in made] == [national.pk]
    assert result_services.pending_forward(_edition(scored)) == []

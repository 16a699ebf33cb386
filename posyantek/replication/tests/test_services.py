"""Replication services: kits, steps and awards; adoptions and their scope; ticks with evidence and the done count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import add_board, make_user
from posyantek.core.models import AuditEvent
from posyantek.regions.models import Region
from posyantek.replication import adoption_services, services
from posyantek.replication.detect import detected_sources
from posyantek.replication.models import AdoptionPost, ChecklistTick, Kit, KitAdoption, KitItem
from posyantek.replication.tests.conftest import item, make_kit, manual_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TODAY = timezone.localdate()


def _events(obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(obj))


# --- Kits, steps, awards --------------------------------------------------------------------------------------


def test_kit_create_needs_the_posts_manager_and_is_one_per_post(manager, staff, viewer, posts) -> None:
    with pytest.raises(PermissionDenied):
        services.kit_create(actor=viewer, post=posts["mitra"], data={"title": "Kit"})
    with pytest.raises(PermissionDenied):
        services.kit_create(actor=staff, post=posts["wartek"], data={"title": "Kit"})  # staff, not manager
    kit = services.kit_create(actor=manager, post=posts["mitra"], data={})
    assert kit.title == "Kit Replikasi Posyantek Mitra Pantura" and kit.region_id == "33.75.03" and not kit.published
    with pytest.raises(ValidationError) as exc:
        services.kit_create(actor=manager, post=posts["mitra"], data={"title": "Lagi"})
    assert "sudah punya kit" in exc.value.message_dict["post"][0]
    assert _events(kit)[0].action == "create"


def test_publishing_needs_a_summary_and_a_stale_edit_is_refused(manager, posts) -> None:
    kit = services.kit_create(actor=manager, post=posts["mitra"], data={"title": "Kit"})
    with pytest.raises(ValidationError) as exc:
        services.kit_update(actor=manager, kit=kit, data={"published": True})
    assert "ringkasan" in exc.value.message_dict["summary"][0]
    kit = services.kit_update(actor=manager, kit=kit, data={"summary": "Perda", "published": True}, version=1)
    assert kit.published and kit.version == 2
    with pytest.raises(ValidationError) as exc:
        services.kit_update(actor=manager, kit=kit, data={"title": "Baru"}, version=1)
    assert exc.value.code == "stale"
    assert Kit.objects.get(pk=kit.pk).title == "Kit"


def test_default_checklist_has_twelve_steps_with_evidence_for_documents_and_is_added_once(manager, posts) -> None:
    kit = make_kit(manager, posts["mitra"], published=False, defaults=False)
    added = services.kit_use_default_items(actor=manager, kit=kit)
    assert len(added) == 12
    steps = list(kit.items.order_by("order"))
    assert [s.order for s in steps] == list(range(1, 13))
    sources = [s.source for s in steps]
    for source in ("regulasi", "sk", "skt", "pengurus", "kantor", "bintek", "produk", "mitra", "layanan", "pesanan"):
        assert source in sources
    assert {s.source for s in steps if s.evidence_required} == {"regulasi", "sk", "skt", "pengurus", "manual"}
    assert "pembina" in kit.items.get(source="pengurus").title
    assert services.kit_use_default_items(actor=manager, kit=kit) == []
    assert kit.items.count() == 12
    assert "langkah" in _events(kit)[0].changes


def test_steps_add_edit_move_remove(manager, viewer, kit) -> None:
    with pytest.raises(PermissionDenied):
        services.item_add(actor=viewer, kit=kit, data={"title": "X"})
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=manager, kit=kit, data={"title": "  ", "source": "entah"})
    assert set(exc.value.message_dict) == {"title", "source"}
    new = services.item_add(actor=manager, kit=kit, data={"title": "Pameran pertama", "evidence_required": True})
    assert new.order == 13
    new = services.item_update(actor=manager, item=new, data={"title": "Ikut pameran pertama"}, version=1)
    with pytest.raises(ValidationError):
        services.item_update(actor=manager, item=new, data={"title": "Lagi"}, version=1)
    moved = services.item_move(actor=manager, item=new, up=True)
    assert moved.order == 12 and kit.items.get(order=13).source == "pesanan"
    services.item_remove(actor=manager, item=moved)
    assert kit.items.count() == 12
    texts = [str(e.changes) for e in _events(kit)]
    assert any("Ikut pameran pertama" in t for t in texts)


def test_awards_on_the_kit(manager, viewer, kit) -> None:
    award = services.award_add(actor=manager, kit=kit, data={"year": 2013, "title": "Posyantek Terbaik Nasional",
                                                             "level": "nasional"})  # fmt: skip
    assert award.post_id == kit.post_id
    with pytest.raises(ValidationError) as exc:
        services.award_add(actor=manager, kit=kit, data={"year": TODAY.year + 1, "title": "X", "level": "dunia"})
    assert set(exc.value.message_dict) == {"year", "level"}
    with pytest.raises(PermissionDenied):
        services.award_remove(actor=viewer, award=award)
    services.award_update(actor=manager, award=award, data={"issuer": "Kemendagri"}, version=1)
    services.award_remove(actor=manager, award=award)
    assert "Kemendagri" in str(_events(kit)[1].changes)


# --- Adoptions ------------------------------------------------------------------------------------------------


def test_the_dki_officer_adopts_for_jakarta_only(kit, outsider, regions, posts, sawah_besar) -> None:
    adoption = adoption_services.adoption_create(
        actor=outsider, data={"kit": kit, "region": regions["31"], "started_on": dt.date(2014, 10, 1)}
    )
    assert adoption.region_id == "31" and adoption.adopted_by == outsider
    assert set(adoption.posts.values_list("post_id", flat=True)) == {posts["dki"].pk, sawah_besar.pk}
    assert adoption.name.startswith("Adopsi Kit Replikasi Posyantek Mitra Pantura di DKI Jakarta")
    with pytest.raises(PermissionDenied):  # Jawa Tengah is not his
        adoption_services.adoption_create(actor=outsider, data={"kit": kit, "region": regions["33"],
                                                                "started_on": TODAY})  # fmt: skip
    with pytest.raises(ValidationError) as exc:  # a post outside the adopting region
        adoption_services.adoption_create(actor=outsider, posts=[posts["mitra"]],
                                          data={"kit": kit, "region": regions["31"], "started_on": TODAY})  # fmt: skip
    assert "posts" in exc.value.message_dict


def test_adoption_refuses_a_draft_kit_backwards_dates_and_a_too_low_role(manager, outsider, regions, posts,
                                                                         officer) -> None:  # fmt: skip
    draft = make_kit(manager, posts["mitra"], published=False)
    with pytest.raises(ValidationError) as exc:
        adoption_services.adoption_create(actor=outsider, data={"kit": draft, "region": regions["31"],
                                                                "started_on": TODAY,
                                                                "target_on": TODAY - dt.timedelta(days=1)})  # fmt: skip
    assert set(exc.value.message_dict) >= {"kit", "target_on"}
    with pytest.raises(PermissionDenied):  # a post manager oversees no region
        adoption_services.adoption_create(actor=manager, data={"kit": draft, "region": regions["33.75"],
                                                               "started_on": TODAY})  # fmt: skip
    services.kit_update(actor=manager, kit=draft, data={"published": True})
    data = {"kit": draft, "region": regions["31"], "started_on": TODAY}
    with pytest.raises(ValidationError) as exc:  # no Wartek in Jakarta
        adoption_services.adoption_create(actor=outsider, post_kind="wartek", data=data)
    assert "post_kind" in exc.value.message_dict


def test_adding_and_removing_posts(adoption, outsider, regions, posts, gambir) -> None:
    from posyantek.posts.models import Post

    kel = Post.objects.create(name="Posyantek Kelurahan Gambir", slug="kel-gambir", kind="desa",
                              region=regions["31.71.01.1001"])  # fmt: skip
    added = adoption_services.adoption_add_posts(actor=outsider, adoption=adoption, posts=[kel, posts["dki"]])
    assert [a.post_id for a in added] == [kel.pk]
    with pytest.raises(ValidationError):
        adoption_services.adoption_add_posts(actor=outsider, adoption=adoption, posts=[posts["wartek"]])
    adoption_services.adoption_remove_post(actor=outsider, adoption_post=gambir)
    assert adoption.posts.count() == 2
    assert "Posyantek Gambir" in str(_events(adoption)[0].changes)


def test_a_post_follows_a_kit_once(adoption, kit, outsider, regions, posts, sawah_besar) -> None:
    """A second adoption of the same kit (a double click, or a kabupaten/kota repeating its province) does not
    put the same posts on the same checklist twice."""
    from posyantek.posts.models import Post

    data = {"kit": kit, "region": regions["31.71"], "started_on": dt.date(2015, 1, 5)}
    with pytest.raises(ValidationError) as exc:  # every kecamatan post of Jakarta Pusat already follows the kit
        adoption_services.adoption_create(actor=outsider, data=data)
    assert "sudah mengikuti kit ini dalam adopsi lain" in exc.value.message_dict["post_kind"][0]
    with pytest.raises(ValidationError) as exc:
        adoption_services.adoption_create(actor=outsider, data=data, posts=[posts["dki"]])
    assert "Posyantek Gambir" in exc.value.message_dict["posts"][0]
    assert KitAdoption.objects.count() == 1
    # A post that does not follow it yet joins a second programme alone.
    region = Region.objects.create(code="31.71.03", name="Kemayoran", level=3, kind="kecamatan", parent_id="31.71")
    kemayoran = Post.objects.create(name="Posyantek Kemayoran", slug="kemayoran", kind="antar_desa", region=region)
    second = adoption_services.adoption_create(actor=outsider, data=data)
    assert list(second.posts.values_list("post_id", flat=True)) == [kemayoran.pk]
    # ...and cannot then be added to the first one too.
    with pytest.raises(ValidationError) as exc:
        adoption_services.adoption_add_posts(actor=outsider, adoption=adoption, posts=[kemayoran])
    assert "Posyantek Kemayoran" in exc.value.message_dict["posts"][0]
    assert not adoption.posts.filter(post=kemayoran).exists()


# --- Ticks ----------------------------------------------------------------------------------------------------


def test_a_step_that_asks_for_evidence_is_refused_without_it(adoption, gambir, gambir_staff, kit) -> None:
    step = manual_item(kit, evidence=True)
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=TODAY, evidence_note=" ")
    message = exc.value.message_dict["evidence_note"][0]
    assert "wajib disertai bukti" in message and step.title in message
    assert AdoptionPost.objects.get(pk=gambir.pk).done_count == 0
    tick = adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=TODAY,
                                  evidence_note="AD/ART disahkan 3 Maret 2015")  # fmt: skip
    assert tick.ticked_by == gambir_staff
    ap = AdoptionPost.objects.get(pk=gambir.pk)
    assert ap.done_count == 1 and ap.last_ticked_at is not None and ap.version == 2
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=TODAY, evidence_note="x")
    assert "sudah dicentang" in exc.value.message_dict["item"][0]


def test_evidence_files_pdf_or_image_only_and_dates_not_ahead(adoption, gambir, gambir_staff, kit) -> None:
    step = item(kit, "sk")
    bad = SimpleUploadedFile("sk.pdf", b"hello, not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=TODAY, upload=bad)
    assert "evidence_file" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step,
                               done_on=TODAY + dt.timedelta(days=1), evidence_note="SK 1")  # fmt: skip
    assert "setelah hari ini" in exc.value.message_dict["done_on"][0]
    good = SimpleUploadedFile("SK Pembentukan.pdf", PDF, content_type="application/pdf")
    tick = adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=TODAY, upload=good)
    assert tick.evidence_file.name.endswith(".pdf") and tick.evidence_file.read().startswith(b"%PDF")
    png = SimpleUploadedFile("kantor.png", PNG, content_type="image/png")
    adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=item(kit, "kantor"), done_on=TODAY,
                           upload=png)  # fmt: skip
    assert AdoptionPost.objects.get(pk=gambir.pk).done_count == 2


def test_untick_is_audited_with_its_reason(adoption, gambir, gambir_staff, kit) -> None:
    step = item(kit, "produk")
    adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=step, done_on=dt.date(2015, 2, 1))
    adoption_services.untick(actor=gambir_staff, adoption_post=gambir, item=step, reason="Salah pos")
    ap = AdoptionPost.objects.get(pk=gambir.pk)
    assert ap.done_count == 0 and not ap.ticks.exists()
    last = _events(ap)[0].changes
    assert last["langkah_tercapai"][0].startswith(step.title) and last["langkah_tercapai"][1] is None
    assert last["alasan"] == [None, "Salah pos"]
    with pytest.raises(ValidationError):
        adoption_services.untick(actor=gambir_staff, adoption_post=gambir, item=step)


def test_a_gambir_post_staff_cannot_tick_another_post(adoption, gambir_staff, sawah_besar, kit, dki_viewer,
                                                      gambir) -> None:  # fmt: skip
    other = adoption.posts.get(post=sawah_besar)
    with pytest.raises(PermissionDenied):
        adoption_services.tick(actor=gambir_staff, adoption_post=other, item=item(kit, "produk"), done_on=TODAY)
    with pytest.raises(PermissionDenied):  # viewers read, they don't tick
        adoption_services.tick(actor=dki_viewer, adoption_post=gambir, item=item(kit, "produk"), done_on=TODAY)
    assert not ChecklistTick.objects.exists()


def test_a_step_of_another_kit_is_refused(adoption, gambir, gambir_staff, officer, regions) -> None:
    from posyantek.posts.models import Post

    other_post = Post.objects.create(name="Pos Lain", slug="pos-lain", kind="antar_desa", region=regions["33.75.01"])
    make_user("m2@example.id", ("post_manager", other_post))
    other = make_kit(officer, other_post)
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=gambir_staff, adoption_post=gambir, item=other.items.first(), done_on=TODAY,
                               evidence_note="x")  # fmt: skip
    assert "bukan bagian" in exc.value.message_dict["item"][0]


def test_the_done_count_follows_ticks_and_removed_steps(adoption, gambir, outsider, manager, kit) -> None:
    other = adoption.posts.exclude(pk=gambir.pk).get()
    for ap in (gambir, other):
        for source in ("produk", "mitra", "layanan"):
            adoption_services.tick(actor=outsider, adoption_post=ap, item=item(kit, source), done_on=TODAY)
    adoption_services.untick(actor=outsider, adoption_post=other, item=item(kit, "mitra"))
    services.item_remove(actor=manager, item=item(kit, "produk"))
    counts = dict(AdoptionPost.objects.values_list("pk", "done_count"))
    assert counts == {gambir.pk: 2, other.pk: 1}
    for ap in AdoptionPost.objects.all():
        assert ap.done_count == ap.ticks.count()


def test_the_latest_step_date_follows_ticks_unticks_and_removed_steps(adoption, gambir, outsider, manager,
                                                                      kit) -> None:  # fmt: skip
    assert gambir.last_done_on is None
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=dt.date(2015, 3, 2))
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "mitra"), done_on=dt.date(2016, 5, 1))
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "layanan"), done_on=dt.date(2015, 9, 9))
    gambir.refresh_from_db()
    assert gambir.last_done_on == dt.date(2016, 5, 1)  # the latest step reached, whatever the order of ticking
    adoption_services.untick(actor=outsider, adoption_post=gambir, item=item(kit, "mitra"))
    gambir.refresh_from_db()
    assert gambir.last_done_on == dt.date(2015, 9, 9)
    services.item_remove(actor=manager, item=item(kit, "layanan"))
    gambir.refresh_from_db()
    assert (gambir.done_count, gambir.last_done_on) == (1, dt.date(2015, 3, 2))
    services.item_remove(actor=manager, item=item(kit, "produk"))
    gambir.refresh_from_db()
    assert (gambir.done_count, gambir.last_done_on) == (0, None)


def test_a_stale_version_is_refused(gambir, outsider, kit) -> None:
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=TODAY, version=1)
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "mitra"), done_on=TODAY,
                               version=1)  # fmt: skip
    assert exc.value.code == "stale"


# --- From the post's data -------------------------------------------------------------------------------------


def test_detection_and_tick_from_data(adoption, gambir, gambir_staff, kit, posts, sawah_besar,
                                      django_assert_num_queries) -> None:  # fmt: skip
    from posyantek.posts.models import Post

    Post.objects.filter(pk=posts["dki"].pk).update(sk_number="188/2021", sk_date=dt.date(2021, 11, 1),
                                                   office_status="pinjam")  # fmt: skip
    add_board(posts["dki"], start=TODAY - dt.timedelta(days=30))
    with django_assert_num_queries(1):
        found = detected_sources([posts["dki"], sawah_besar, posts["mitra"]])
    assert found[posts["dki"].pk] == {"sk", "kantor", "pengurus"}
    assert found[sawah_besar.pk] == {"sk"}
    assert found[posts["mitra"].pk] == set()  # a date of validity without an SKT number is no SKT
    gambir.post.refresh_from_db()
    tick = adoption_services.tick_from_data(actor=gambir_staff, adoption_post=gambir, item=item(kit, "sk"))
    assert tick.from_data and tick.done_on == dt.date(2021, 11, 1)
    assert tick.evidence_note == "Terdeteksi dari data: SK pembentukan No. 188/2021 tanggal 1 November 2021"
    with pytest.raises(ValidationError) as exc:
        adoption_services.tick_from_data(actor=gambir_staff, adoption_post=gambir, item=item(kit, "bintek"))
    assert "Belum terdeteksi" in exc.value.message_dict["item"][0]
    with pytest.raises(ValidationError):
        adoption_services.tick_from_data(actor=gambir_staff, adoption_post=gambir, item=manual_item(kit, evidence=True))
    assert AdoptionPost.objects.get(pk=gambir.pk).done_count == 1


def test_regulation_step_is_detected_from_a_budget_under_a_perda(posts, admin) -> None:
    from posyantek.finance import budget_services
    from posyantek.finance.models import Account, Regulation

    assert "regulasi" not in detected_sources([posts["mitra"]])[posts["mitra"].pk]
    perda = Regulation.objects.create(kind="perda", number="11", year=2008, title="Perda", region_id="33.75")
    account = Account.objects.get(code="5.1", post__isnull=True)
    budget = budget_services.budget_create(actor=admin, post=posts["mitra"], year=TODAY.year)
    budget_services.budget_line_add(actor=admin, budget=budget, data={"source": "apbd_kabkota", "account": account,
                                                               "amount": 10_000_000, "regulation": perda})  # fmt: skip
    assert "regulasi" not in detected_sources([posts["mitra"]])[posts["mitra"].pk]  # a draft is not funding yet
    budget_services.budget_approve(actor=admin, budget=budget)
    assert "regulasi" in detected_sources([posts["mitra"]])[posts["mitra"].pk]


def test_steps_of_the_kit_keep_their_order(kit) -> None:
    assert list(KitItem.objects.filter(kit=kit).values_list("order", flat=True)) == list(range(1, 13))


@pytest.mark.parametrize(
    ("done", "total", "shown"),
    [(0, 12, 0), (1, 12, 8), (2, 12, 17), (8, 12, 67), (11, 12, 92), (12, 12, 100), (299, 300, 99), (0, 0, 0)],
)
def test_percent_is_rounded_like_a_spreadsheet_but_never_done_too_early(done: int, total: int, shown: int) -> None:
    from posyantek.replication.selectors import percent

    assert percent(done, total) == shown

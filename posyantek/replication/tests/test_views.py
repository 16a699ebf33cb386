"""Replication pages: the public kit and its PDF, the kit editor, adoptions, the progress page (scope, filters,
exports, a query budget that does not grow with the posts), a post's checklist with ticks and evidence."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.replication import adoption_services, services
from posyantek.replication.models import AdoptionPost, ChecklistTick, Kit, KitAdoption, KitItem
from posyantek.replication.tests.conftest import item, make_kit, manual_item

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Public ---------------------------------------------------------------------------------------------------


def test_public_kit_page_shows_what_can_be_copied(kit, manager, outsider, posts, django_assert_max_num_queries) -> None:
    Post.objects.filter(pk=posts["mitra"].pk).update(sk_number="188.45/112/2009", sk_date=dt.date(2009, 3, 2),
                                                     skt_number="220/045/Kesbangpol/2023")  # fmt: skip
    services.award_add(actor=manager, kit=kit, data={"year": 2013, "title": "Posyantek Terbaik Nasional",
                                                     "level": "nasional"})  # fmt: skip
    c = Client()
    with django_assert_max_num_queries(30):
        r = c.get("/replikasi/mitra-pantura/")
    html = r.content.decode()
    assert r.status_code == 200
    for text in ("Kit Replikasi Posyantek Mitra Pantura", "188.45/112/2009", "220/045/Kesbangpol/2023",
                 "Posyantek Terbaik Nasional", "Pendanaan berbasis Perda", "Struktur pengurus", "Bintek",
                 "Produk dan pasar", "Kemitraan", "SK pembentukan pos terbit", "wajib bukti"):  # fmt: skip
        assert text in html, text
    index = c.get("/replikasi/").content.decode()
    assert "Kit Replikasi Posyantek Mitra Pantura" in index
    # "Adopsi kit ini" is offered to those who may adopt (they oversee a region), not to a post's manager.
    assert 'id="adopt"' not in html
    assert 'id="adopt"' not in login(manager).get("/replikasi/mitra-pantura/").content.decode()
    assert 'id="adopt"' in login(outsider).get("/replikasi/mitra-pantura/").content.decode()


def test_public_kit_names_eight_products_and_counts_the_rest(kit, posts) -> None:
    from posyantek.products.models import Product

    mitra = posts["mitra"]
    Product.objects.bulk_create([Product(post=mitra, region_id=mitra.region_id, name=f"Produk {i}", price=10_000)
                                 for i in range(10)])  # fmt: skip
    html = Client().get("/replikasi/mitra-pantura/").content.decode()
    assert "10 produk aktif: Produk 0, Produk 1" in html and "Produk 7 dan 2 lainnya." in html
    assert "Produk 8" not in html


def test_public_kit_pdf(kit) -> None:
    r = Client().get("/replikasi/mitra-pantura/kit.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 5000
    assert "kit-replikasi-posyantek-mitra-pantura.pdf" in r["Content-Disposition"]


def test_an_unpublished_kit_is_not_public(manager, posts) -> None:
    make_kit(manager, posts["mitra"], published=False)
    c = Client()
    assert c.get("/replikasi/mitra-pantura/").status_code == 404
    assert c.get("/replikasi/mitra-pantura/kit.pdf").status_code == 404
    assert c.get("/replikasi/tidak-ada/").status_code == 404
    assert "Kit Replikasi" not in c.get("/replikasi/").content.decode()


# --- Kit editor -----------------------------------------------------------------------------------------------


def _editor_posts(kit: Kit) -> list[str]:
    step, base = kit.items.first(), f"/replikasi/kelola/{kit.pk}"
    return [f"{base}/bawaan", f"{base}/langkah", f"{base}/langkah/{step.pk}/geser", f"{base}/langkah/{step.pk}/hapus",
            f"{base}/penghargaan"]  # fmt: skip


def test_kit_editor_access(kit, manager, viewer, outsider, staff) -> None:
    edit = f"/replikasi/kelola/{kit.pk}/"
    assert login(manager).get(edit).status_code == 200
    assert login(viewer).get(edit).status_code == 403
    assert login(outsider).get(edit).status_code == 404
    assert login(staff).get(edit).status_code == 404  # Wartek staff: the parent post's kit is not theirs
    for url in _editor_posts(kit):
        assert login(outsider).post(url).status_code == 404, url
        assert login(viewer).post(url).status_code == 403, url
    assert login(manager).get(_editor_posts(kit)[3]).status_code == 405
    assert login(viewer).get("/replikasi/kelola/baru").status_code == 403
    listing = login(outsider).get("/replikasi/kelola/").content.decode()
    assert kit.title not in listing


def test_kit_editor_saves_text_steps_and_awards(manager, posts) -> None:
    c = login(manager)
    r = c.post("/replikasi/kelola/baru", {"post": posts["mitra"].pk, "title": "", "summary": "Perda"})
    kit = Kit.objects.get()
    assert r.status_code == 302 and kit.title == "Kit Replikasi Posyantek Mitra Pantura"
    base = f"/replikasi/kelola/{kit.pk}"
    c.post(f"{base}/bawaan")
    assert kit.items.count() == 12
    r = c.post(f"{base}/langkah", {"item-title": "", "item-source": "manual"})
    assert r.status_code == 422 and 'id="id_item-title_error"' in r.content.decode() and kit.items.count() == 12
    c.post(
        f"{base}/langkah", {"item-title": "Pameran pertama", "item-source": "manual", "item-evidence_required": "on"}
    )
    new = kit.items.get(title="Pameran pertama")
    assert new.order == 13 and new.evidence_required
    c.post(f"{base}/langkah/{new.pk}/geser", {"arah": "naik"})
    new = KitItem.objects.get(pk=new.pk)
    assert new.order == 12
    r = c.post(f"{base}/langkah/{new.pk}/ubah", {"title": "Pameran pertama di kota", "source": "manual",
                                                 "version": new.version, "order": 12})  # fmt: skip
    assert r.status_code == 302
    r = c.post(f"{base}/langkah/{new.pk}/ubah", {"title": "Tabrakan", "source": "manual", "version": new.version,
                                                 "order": 12})  # fmt: skip
    assert "sudah diubah orang lain" in r.content.decode()
    c.post(f"{base}/penghargaan", {"award-year": 2013, "award-title": "Posyantek Terbaik Nasional",
                                   "award-level": "nasional"})  # fmt: skip
    r = c.post(f"{base}/", {"title": kit.title, "summary": "Perda dan Bintek", "lessons": "", "published": "on",
                            "version": kit.version})  # fmt: skip
    assert r.status_code == 302 and Kit.objects.get().published
    html = c.get(f"{base}/").content.decode()
    assert "Posyantek Terbaik Nasional" in html and "Pameran pertama di kota" in html and "Riwayat" in html


def test_kit_editor_forms_come_back_to_their_section_and_removing_a_step_asks_first(kit, manager, adoption, gambir,
                                                                                     outsider) -> None:  # fmt: skip
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=TODAY)
    c = login(manager)
    base = f"/replikasi/kelola/{kit.pk}"
    html = c.get(f"{base}/").content.decode()
    # A refused form is far down the page: the browser comes back to its section, not to the top.
    for action, anchor in ((f"{base}/", "kit"), (f"{base}/langkah", "tambah-langkah"),
                           (f"{base}/penghargaan", "catat-penghargaan")):  # fmt: skip
        assert f'action="{action}#{anchor}"' in html and f'id="{anchor}"' in html, anchor
    # Removing a step takes posts' ticks with it: it says how many and asks before the button shows.
    produk, sk = item(kit, "produk"), item(kit, "sk")
    block = html[html.index(f'id="langkah-{produk.pk}"') :]
    block = block[: block.index("</li>")]
    assert '<details class="confirm">' in block and "1 pos sudah mencentang langkah ini" in block
    assert block.index("<summary") < block.index(f"{base}/langkah/{produk.pk}/hapus")
    assert f'aria-label="Hapus {produk.title}"' in block and f'aria-label="Ubah {produk.title}"' in block
    other = html[html.index(f'id="langkah-{sk.pk}"') :]
    assert "Belum ada pos yang mencentang langkah ini." in other[: other.index("</li>")]


# --- Adoptions ------------------------------------------------------------------------------------------------


def test_adopting_a_kit_through_the_form(kit, outsider, manager, regions, posts) -> None:
    c = login(outsider)
    assert c.get(f"/replikasi/adopsi/baru?kit={kit.pk}").status_code == 200
    r = c.post("/replikasi/adopsi/baru", {"kit": kit.pk, "region": "33", "post_kind": "antar_desa",
                                          "started_on": "2014-10-01"})  # fmt: skip
    assert r.status_code == 200 and not KitAdoption.objects.exists()  # Jawa Tengah is not among his choices
    r = c.post("/replikasi/adopsi/baru", {"kit": kit.pk, "region": "31", "post_kind": "antar_desa",
                                          "started_on": "2014-10-01"})  # fmt: skip
    adoption = KitAdoption.objects.get()
    assert r.status_code == 302 and r["Location"] == adoption.get_absolute_url()
    assert list(adoption.posts.values_list("post_id", flat=True)) == [posts["dki"].pk]
    assert login(manager).get("/replikasi/adopsi/baru").status_code == 403
    # Sent twice (a double click): the second is refused with a message and nothing is made twice.
    r = c.post("/replikasi/adopsi/baru", {"kit": kit.pk, "region": "31", "post_kind": "antar_desa",
                                          "started_on": "2014-10-01"})  # fmt: skip
    assert r.status_code == 200 and "sudah mengikuti kit ini dalam adopsi lain" in r.content.decode()
    assert KitAdoption.objects.count() == 1 and AdoptionPost.objects.count() == 1


def _stat(html: str, key: str) -> int:
    found = re.search(rf'id="s-{key}"[^>]*><span class="n">(\d+)<', html)
    assert found, key
    return int(found.group(1))


def _many_posts(adoption: KitAdoption, n: int) -> None:
    """Add n kecamatan posts to the adoption with a spread of ticks, as bulk rows (like the benchmark)."""
    parent = Region.objects.get(code="31.71")
    regions = Region.objects.bulk_create([Region(code=f"31.71.{10 + i:02d}", name=f"Kecamatan {i}", level=3,
                                                 kind="kecamatan", parent=parent) for i in range(n)])  # fmt: skip
    made = Post.objects.bulk_create([Post(name=f"Pos {i:03d}", slug=f"pos-{i}", kind="antar_desa", region=r)
                                     for i, r in enumerate(regions)])  # fmt: skip
    items = list(adoption.kit.items.order_by("order"))
    aps = AdoptionPost.objects.bulk_create([AdoptionPost(adoption=adoption, post=p, done_count=i % 13)
                                            for i, p in enumerate(made)])  # fmt: skip
    now = timezone.now()
    ChecklistTick.objects.bulk_create([ChecklistTick(adoption_post=ap, item=s, done_on=TODAY, ticked_at=now,
                                                     evidence_note="bukti") for ap in aps
                                       for s in items[: ap.done_count]])  # fmt: skip


def test_progress_page_access_filters_and_summary(adoption, outsider, officer, dki_viewer, gambir_staff, kit,
                                                  gambir) -> None:  # fmt: skip
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=TODAY)
    url = f"/replikasi/adopsi/{adoption.pk}/"
    assert login(officer).get(url).status_code == 404  # Kota Pekalongan's officer: not his adoption
    assert login(gambir_staff).get(url).status_code == 404  # post people reach their checklist, not the adoption
    assert login(dki_viewer).get(url).status_code == 200
    assert login(dki_viewer).get(f"{url}ubah").status_code == 403
    assert login(dki_viewer).get(f"{url}tambah-pos").status_code == 403
    c = login(outsider)
    html = c.get(url).content.decode()
    assert "Posyantek Gambir" in html and "Posyantek Sawah Besar" in html and "1/12 · 8%" in html
    assert _stat(html, "nol") == 1 and _stat(html, "rendah") == 1 and _stat(html, "penuh") == 0
    assert "Posyantek Sawah Besar" not in c.get(url, {"band": "rendah"}).content.decode()
    assert "Posyantek Gambir" not in c.get(url, {"q": "sawah"}).content.decode()
    assert "Posyantek Gambir" in c.get(url, {"kota": "31.71"}).content.decode()
    fragment = c.get(url, {"sort": "progres_tinggi"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.index("Gambir") < fragment.index("Sawah Besar")


def test_progress_page_shows_each_posts_latest_step_and_sorts_by_it(adoption, outsider, kit, gambir) -> None:
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=dt.date(2015, 3, 2))
    c = login(outsider)
    url = f"/replikasi/adopsi/{adoption.pk}/"
    html = c.get(url).content.decode()
    # On a phone each row is a card: the small facts carry their own labels (the header is hidden there).
    assert 'class="table progress-table stack" id="progress"' in html and "Langkah terakhir tercapai" in html
    row = html[html.index("Posyantek Gambir</a>") :]
    row = row[: row.index("</tr>")]
    assert 'data-label="Sisa">11<' in row and 'data-label="Langkah terakhir">2 Maret 2015<' in row
    stalled = c.get(url, {"sort": "macet"}).content.decode()  # never moved first, then the oldest step
    assert stalled.index("Posyantek Sawah Besar") < stalled.index("Posyantek Gambir")
    latest = c.get(url, {"sort": "terbaru"}).content.decode()
    assert latest.index("Posyantek Gambir") < latest.index("Posyantek Sawah Besar")


def test_progress_page_queries_do_not_grow_with_posts(adoption, outsider, django_assert_max_num_queries) -> None:
    c = login(outsider)
    url = f"/replikasi/adopsi/{adoption.pk}/"
    c.get(url)
    with django_assert_max_num_queries(16) as small:
        assert c.get(url).status_code == 200
    _many_posts(adoption, 120)
    with django_assert_max_num_queries(16) as big:
        html = c.get(url, {"sort": "progres_tinggi"}).content.decode()
    assert len(big.captured_queries) == len(small.captured_queries)
    assert "122 pos" in html and "Halaman 1 dari 3" in html
    assert _stat(html, "penuh") == 9  # 120 posts at i % 13 ticks: 9 have all 12


def test_progress_exports_the_full_matrix(adoption, outsider, kit, gambir) -> None:
    adoption_services.tick(actor=outsider, adoption_post=gambir, item=item(kit, "produk"), done_on=dt.date(2015, 3, 2))
    _many_posts(adoption, 60)
    c = login(outsider)
    url = f"/replikasi/adopsi/{adoption.pk}/"
    wb = load_workbook(io.BytesIO(c.get(url, {"format": "xlsx"}).content))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 63 and len(rows[0]) == 9 + 12
    assert rows[0][0] == "Pos" and rows[0][9].startswith("1. ")
    assert rows[0][7] == "Langkah terakhir tercapai" and rows[0][8] == "Terakhir diperbarui"
    gambir_row = next(r for r in rows if r[0] == "Posyantek Gambir")
    produk_col = next(i for i, h in enumerate(rows[0]) if "Produk pertama" in str(h))
    assert gambir_row[4] == 1 and gambir_row[produk_col].date() == dt.date(2015, 3, 2)
    assert gambir_row[7].date() == dt.date(2015, 3, 2)  # the latest step's date, not when it was typed in
    assert gambir_row[8].microsecond == 0  # the time a person reads: to the second
    csv = c.get(url, {"format": "csv", "band": "nol"}).content.decode("utf-8-sig")
    assert "Posyantek Sawah Besar" in csv and "Posyantek Gambir" not in csv


# --- A post's checklist ---------------------------------------------------------------------------------------


def _cl(adoption: KitAdoption, post: Post) -> str:
    return f"/replikasi/adopsi/{adoption.pk}/pos/{post.pk}/"


def test_checklist_access(adoption, gambir_staff, sawah_besar, officer, dki_viewer, kit, posts) -> None:
    step = item(kit, "produk")
    assert login(gambir_staff).get(_cl(adoption, posts["dki"])).status_code == 200
    assert login(gambir_staff).get(_cl(adoption, sawah_besar)).status_code == 404
    assert login(gambir_staff).post(_cl(adoption, sawah_besar) + f"langkah/{step.pk}/centang").status_code == 404
    assert login(officer).get(_cl(adoption, posts["dki"])).status_code == 404
    assert login(dki_viewer).get(_cl(adoption, posts["dki"])).status_code == 200
    for action in ("centang", "dari-data", "batal"):
        url = _cl(adoption, posts["dki"]) + f"langkah/{step.pk}/{action}"
        assert login(dki_viewer).post(url).status_code == 403, action
        assert login(gambir_staff).get(url).status_code == 405, action
    mine = login(gambir_staff).get("/replikasi/saya/").content.decode()
    assert "Posyantek Gambir" in mine and "Posyantek Sawah Besar" not in mine


def test_checklist_links_only_what_its_reader_may_open(adoption, gambir_staff, outsider, kit, posts) -> None:
    url, adoption_url = _cl(adoption, posts["dki"]), adoption.get_absolute_url()
    mine = login(gambir_staff).get(url).content.decode()
    assert adoption.name in mine and f'href="{adoption_url}"' not in mine  # the adoption page is a 404 for them
    assert "keluarkan" not in mine
    step = manual_item(kit, evidence=True)
    # A refused tick comes back at its own step, not at the top of a long list.
    assert f'action="{url}langkah/{step.pk}/centang#langkah-{step.pk}"' in mine
    province = login(outsider).get(url).content.decode()
    assert f'href="{adoption_url}"' in province
    # Taking the post out deletes its ticks: the button sits behind a question.
    box = province[province.index('id="keluarkan"') :]
    assert box.index('<details class="confirm">') < box.index(f'action="{url}keluarkan"')
    assert "0 langkah yang sudah dicentang akan terhapus" in box


def test_ticking_with_and_without_evidence(adoption, gambir_staff, kit, posts, gambir) -> None:
    c = login(gambir_staff)
    step = manual_item(kit, evidence=True)
    url = _cl(adoption, posts["dki"]) + f"langkah/{step.pk}/centang"
    p = f"i{step.pk}-"
    r = c.post(url, {p + "done_on": TODAY.isoformat(), p + "evidence_note": ""})
    assert r.status_code == 422
    assert "wajib disertai bukti" in r.content.decode()
    assert not ChecklistTick.objects.exists()
    upload = SimpleUploadedFile("adart.pdf", PDF, content_type="application/pdf")
    r = c.post(url, {p + "done_on": "2015-03-03", p + "evidence_file": upload})
    assert r.status_code == 302 and r["Location"].endswith(f"#langkah-{step.pk}")
    tick = ChecklistTick.objects.get()
    assert tick.done_on == dt.date(2015, 3, 3) and AdoptionPost.objects.get(pk=gambir.pk).done_count == 1
    download = c.get(_cl(adoption, posts["dki"]) + f"langkah/{step.pk}/bukti")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    html = c.get(_cl(adoption, posts["dki"])).content.decode()
    assert "1 dari 12 langkah (8%)" in html and "Unduh berkas bukti" in html and "Riwayat" in html
    c.post(_cl(adoption, posts["dki"]) + f"langkah/{step.pk}/batal", {"reason": "Berkas keliru"})
    assert not ChecklistTick.objects.exists()
    assert "Berkas keliru" in c.get(_cl(adoption, posts["dki"])).content.decode()


def test_detected_steps_tick_in_one_click(adoption, gambir_staff, kit, posts) -> None:
    Post.objects.filter(pk=posts["dki"].pk).update(sk_number="188/2021", sk_date=dt.date(2021, 11, 1))
    c = login(gambir_staff)
    html = c.get(_cl(adoption, posts["dki"])).content.decode()
    assert "terdeteksi dari data: ya" in html and "terdeteksi dari data: tidak" in html
    assert html.count("Centang dari data") == 1
    c.post(_cl(adoption, posts["dki"]) + f"langkah/{item(kit, 'sk').pk}/dari-data")
    tick = ChecklistTick.objects.get()
    assert tick.from_data and tick.evidence_note.startswith("Terdeteksi dari data: SK pembentukan No. 188/2021")


def test_adoption_edit_add_and_remove_posts(adoption, outsider, regions, gambir) -> None:
    c = login(outsider)
    url = f"/replikasi/adopsi/{adoption.pk}/"
    form = {"name": "Replikasi DKI", "started_on": "2014-10-01", "target_on": "2014-09-01", "version": 1}
    r = c.post(f"{url}ubah", form)
    assert r.status_code == 200 and "sebelum tanggal mulai" in r.content.decode()
    assert c.post(f"{url}ubah", {**form, "target_on": "2016-12-31"}).status_code == 302
    r = c.post(f"{url}ubah", {**form, "name": "Tabrakan", "target_on": "2016-12-31"})
    assert "sudah diubah orang lain" in r.content.decode() and KitAdoption.objects.get().name == "Replikasi DKI"
    kel = Post.objects.create(name="Posyantek Kelurahan Gambir", slug="kel-gambir", kind="desa",
                              region=regions["31.71.01.1001"])  # fmt: skip
    page = c.get(f"{url}tambah-pos").content.decode()
    assert "Posyantek Kelurahan Gambir" in page and "Posyantek Sawah Besar" not in page  # already in
    assert c.post(f"{url}tambah-pos", {"posts": [kel.pk]}).status_code == 302
    assert adoption.posts.count() == 3
    checklist = c.get(f"{url}pos/{gambir.post_id}/").content.decode()
    assert "Keluarkan Posyantek Gambir" in checklist
    assert c.post(f"{url}pos/{gambir.post_id}/keluarkan").status_code == 302
    assert adoption.posts.count() == 2
    html = c.get(url).content.decode()
    assert "Posyantek Gambir (0/12)" in html and "Replikasi DKI" in html  # the history keeps it
    assert "Replikasi DKI" in c.get("/replikasi/adopsi/").content.decode()


def test_post_people_are_pointed_at_their_checklists_and_can_search_them(adoption, gambir_staff, outsider) -> None:
    html = login(gambir_staff).get("/replikasi/adopsi/").content.decode()
    assert 'id="my-checklists-callout"' in html and "1 daftar periksa pos dapat Anda buka" in html
    assert 'id="my-checklists-callout"' not in login(outsider).get("/replikasi/adopsi/").content.decode()
    c = login(outsider)
    found = c.get("/replikasi/saya/", {"q": "sawah"}).content.decode()
    assert "Posyantek Sawah Besar" in found and "Posyantek Gambir" not in found and "1 daftar periksa" in found
    fragment = c.get("/replikasi/saya/", {"q": "gambir"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Posyantek Gambir" in fragment
    assert "Tidak ada daftar periksa yang cocok." in c.get("/replikasi/saya/", {"q": "zzz"}).content.decode()


def test_list_pages_query_budget(adoption, outsider, manager, gambir_staff, django_assert_max_num_queries) -> None:
    _many_posts(adoption, 60)
    staff, province, post_manager, public = login(gambir_staff), login(outsider), login(manager), Client()
    with django_assert_max_num_queries(8):
        html = staff.get("/replikasi/saya/").content.decode()
    assert "Posyantek Gambir" in html and "Pos 001" not in html
    with django_assert_max_num_queries(8):
        html = province.get("/replikasi/saya/").content.decode()
    assert "Pos 001" in html and "Halaman 1 dari 2" in html
    with django_assert_max_num_queries(8):
        assert "Kit Replikasi" in post_manager.get("/replikasi/kelola/").content.decode()
    with django_assert_max_num_queries(8):
        assert "62" in province.get("/replikasi/adopsi/").content.decode()
    with django_assert_max_num_queries(4):
        assert "Kit Replikasi" in public.get("/replikasi/").content.decode()

"""In real Chromium on a 360 px phone: Mitra Pantura's manager logs a visit from request to follow-up, and a guest
signs the public guest book by drawing on the canvas with a finger (the mouse here)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

import conftest
from posyantek.accounts.models import User
from posyantek.core.tests.conftest import (  # noqa: F401 - fixtures and the skip-without-Chromium hook
    base_url,
    browser_type_launch_args,
    pytest_collection_modifyitems,
)
from posyantek.visits.models import GuestEntry, Visit

NARROW = 360
OVERFLOW_TOLERANCE = 2
TITLE = "Kunjungan kerja BPMPKB DKI Jakarta"


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW + OVERFLOW_TOLERANCE, f"{page.url} is {width}px wide at a {NARROW}px viewport"


def _advance(page: Page, label: str, state: str) -> None:
    page.get_by_role("button", name=f"Lanjut ke: {label}").click()
    expect(page.locator("#visit-state")).to_have_text(state)


def _sign(page: Page) -> None:
    """Draw a signature with a finger: real touch events (touchstart, touchmove, touchend) on the canvas."""
    canvas = page.locator("#signature-pad canvas")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 250
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 24):
        point = {"x": x + i * 10, "y": y + (25 if i % 2 else -25)}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()
    expect(page.locator("#signature-pad [data-status]")).to_have_text("Tanda tangan siap dikirim.")
    assert page.locator("#id_signature").input_value().startswith("data:image/png;base64,")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visit_from_request_to_follow_up_on_a_phone(
    transactional_db: Any, live_server: LiveServer, page: Page, browser: Any, manager: User, posts: dict[str, Any]
) -> None:
    """Create → agenda item → schedule → a guest signs on the public page → held → follow-up → followed up."""
    today = timezone.localdate()
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": NARROW, "height": 740})
    page.goto("/akun/masuk")
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(conftest.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk" not in url)

    # The request: who comes, how many, what they want to learn.
    page.goto("/kunjungan/baru")
    page.locator("#id_post").select_option(label="Posyantek Mitra Pantura")
    page.get_by_label("Judul kunjungan").fill(TITLE)
    page.get_by_label("Instansi tamu / tujuan").fill("BPMPKB Provinsi DKI Jakarta — Bidang TTG")
    page.get_by_label("Wilayah asal / tujuan (kode wilayah)").fill("31")
    page.get_by_label("Jumlah orang").fill("20")
    page.get_by_label("Pendanaan").check()
    page.get_by_label("Kelembagaan dan pengelolaan").check()
    page.get_by_label("Tanggal mulai").fill(today.isoformat())
    _fits(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#visit-state")).to_have_text("Diminta")
    _fits(page)

    # The agenda: a field visit to Panjang Wetan (the form is open while the agenda is empty).
    agenda = page.locator("#agenda form.form")
    agenda.get_by_label("Jenis acara").select_option(label="Kunjungan lapangan")
    agenda.get_by_role("textbox", name="Acara", exact=True).fill("Kunjungan lapangan ke Kelurahan Panjang Wetan")
    agenda.get_by_label("Jam mulai").fill("13:00")
    agenda.get_by_label("Jam selesai").fill("14:30")
    agenda.get_by_label("Lokasi lapangan (kode wilayah)").fill("33.75.03.1004")
    agenda.get_by_role("button", name="Tambah ke agenda").click()
    expect(page.locator("#agenda table")).to_contain_text("Kelurahan Panjang Wetan")
    _advance(page, "Dijadwalkan", "Dijadwalkan")
    expect(page.locator("#guestbook-status")).to_contain_text("Buku tamu terbuka")
    page.locator("#buku-tamu .qr img").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('#buku-tamu .qr img'); return i.complete && i.naturalWidth > 0; }"
    )
    public_url = page.locator("#guestbook-link").get_attribute("href")
    assert public_url and "/kunjungan/buku-tamu/" in public_url
    _fits(page)

    # A guest opens the QR link on their own phone (no login) and signs with a finger.
    guest_context = browser.new_context(viewport={"width": NARROW, "height": 740}, has_touch=True, is_mobile=True)
    guest = guest_context.new_page()
    guest.set_default_timeout(10_000)
    guest.goto(public_url)
    expect(guest.get_by_role("heading", level=2)).to_have_text(TITLE)
    guest.get_by_role("textbox", name="Nama", exact=True).fill("Sri Rahayu")
    guest.get_by_label("Instansi").fill("BPMPKB Provinsi DKI Jakarta")
    guest.get_by_label("Jabatan").fill("Kepala Seksi Pengembangan TTG")
    guest.get_by_label("Nomor HP/WhatsApp").fill("12345")
    _sign(guest)
    _fits(guest)
    # A wrong number comes back with its message; the drawn signature is not lost: it is drawn again.
    guest.get_by_role("button", name="Kirim").click()
    expect(guest.locator(".error-summary")).to_contain_text("bukan nomor HP Indonesia")
    expect(guest.locator("#signature-pad [data-status]")).to_have_text("Tanda tangan siap dikirim.")
    assert guest.locator("#id_signature").input_value().startswith("data:image/png;base64,")
    assert guest.evaluate(
        "() => { const c = document.querySelector('#signature-pad canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " for (let i = 3; i < d.length; i += 4) { if (d[i]) return true; } return false; }"
    ), "the signature was not drawn again on the canvas"
    guest.get_by_label("Nomor HP/WhatsApp").fill("0812-3456-7890")
    guest.get_by_role("button", name="Kirim").click()
    expect(guest.locator("#guest-ok")).to_contain_text("Terima kasih, Sri Rahayu")
    _fits(guest)
    entry = GuestEntry.objects.get(name="Sri Rahayu")
    assert entry.signature and entry.recorded_by is None and entry.phone == "6281234567890"
    # The next guest signs on the same phone.
    guest.get_by_role("link", name="Isi untuk tamu berikutnya").click()
    expect(guest.get_by_role("textbox", name="Nama", exact=True)).to_have_value("")

    # Back on the visit page the signature shows as a thumbnail; the visit is held, then followed up.
    page.reload()
    thumb = page.locator("#guests img.sig-thumb")
    expect(thumb).to_have_count(1)
    thumb.scroll_into_view_if_needed()  # thumbnails load lazily
    page.wait_for_function(
        "() => { const i = document.querySelector('#guests img.sig-thumb'); return i.complete && i.naturalWidth > 0; }"
    )
    _advance(page, "Dilaksanakan", "Dilaksanakan")
    page.locator("#tindak-lanjut summary", has_text="Catat tindak lanjut").click()
    form = page.locator("#tindak-lanjut form.form")
    form.get_by_label("Jenis tindak lanjut").select_option(label="Komitmen replikasi")
    form.get_by_label("Uraian").fill("DKI mereplikasi Posyantek di 44 kecamatan")
    _fits(page)
    form.get_by_role("button", name="Simpan").click()
    expect(page.locator("#tindak-lanjut table")).to_contain_text("DKI mereplikasi Posyantek di 44 kecamatan")
    _advance(page, "Ditindaklanjuti", "Ditindaklanjuti")
    expect(page.locator("#riwayat")).to_contain_text(
        "Sri Rahayu (BPMPKB Provinsi DKI Jakarta) · diisi sendiri oleh tamu"
    )
    expect(page.locator("#buku-tamu form")).to_have_count(0)  # closed: no entry is added or deleted any more
    _fits(page)
    page.goto(f"/kunjungan/{Visit.objects.get(title=TITLE).pk}/buku-tamu/cetak")
    expect(page.locator(".print-book table")).to_contain_text("Sri Rahayu")
    _fits(page)
    visit = Visit.objects.get(title=TITLE)
    assert list(visit.steps.values_list("state", flat=True)) == [
        "diminta",
        "dijadwalkan",
        "dilaksanakan",
        "ditindaklanjuti",
    ]

    # The book is closed now, on the guest's phone too.
    guest.goto(public_url)
    expect(guest.locator("#guestbook-closed")).to_contain_text("Buku tamu sudah ditutup")
    guest_context.close()

    page.goto("/kunjungan/kalender/")
    expect(page.locator(".cal-days")).to_contain_text(TITLE)
    expect(page.locator(".cal-days li[aria-current=date]")).to_contain_text("hari ini")
    _fits(page)

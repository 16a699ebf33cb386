"""Quote and invoice PDFs on the post's letterhead, and the logo a post manager uploads for it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from conftest import login
from posyantek.core.models import AuditEvent
from posyantek.orders import pdf, services
from posyantek.orders.models import OrderDocument
from posyantek.posts import services as post_services
from posyantek.posts.models import Post

from .factories import confirmed, dryer_order


def weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401, PLC0415
    except OSError as exc:  # pango missing: CI installs it, so CI never skips
        pytest.skip(f"WeasyPrint's system libraries are missing: {exc}")


def png(name: str = "logo.png", size: tuple[int, int] = (120, 60)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def invoice(manager, shop) -> OrderDocument:
    order = confirmed(manager, dryer_order(manager, shop), down_payment=5_000_000)
    services.payment_record(actor=manager, order=order, amount=5_000_000, kind="uang_muka", method="transfer")
    return services.document_issue(actor=manager, order=order, kind="faktur")


def test_invoice_context_has_the_letterhead_and_the_frozen_figures(invoice, posts) -> None:
    Post.objects.filter(pk=posts["mitra"].pk).update(address="Jl. Jlamprang 1", sk_number="188/12/2020")
    ctx = pdf.document_context(OrderDocument.objects.get(pk=invoice.pk))
    assert ctx["head"]["name"] == "Posyantek Mitra Pantura" and ctx["head"]["city"] == "Kota Pekalongan"
    assert ctx["head"]["province"] == "Jawa Tengah" and ctx["head"]["address"] == ""  # as it was when issued
    assert ctx["buyer"]["phone"] == "0812-1111-2222" and ctx["body"]["balance"] == 20_500_000
    assert ctx["payments"][0]["kind_label"] == "Uang muka" and ctx["logo_uri"] is None
    html = pdf.render_to_string("orders/document_pdf.html", ctx)
    assert "INV/MP-PKL/" in html and "Rp 20.500.000" in html and "Sisa tagihan" in html
    assert "Transfer bank" in html and "Hormat kami" in html


def test_quote_and_invoice_pdfs_start_with_pdf(invoice, manager, shop) -> None:
    weasyprint_or_skip()
    data = pdf.document_pdf(invoice)
    assert data.startswith(b"%PDF")
    quote = services.document_issue(actor=manager, order=dryer_order(manager, shop, 1), kind="penawaran")
    assert pdf.document_pdf(quote).startswith(b"%PDF")


def test_pdf_follows_the_english_ui(invoice) -> None:
    with translation.override("en"):
        html = pdf.render_to_string("orders/document_pdf.html", pdf.document_context(invoice))
    assert '<html lang="en">' in html


def test_post_manager_uploads_and_clears_the_logo_for_the_letterhead(manager, posts, invoice) -> None:
    weasyprint_or_skip()
    mitra = posts["mitra"]
    c = login(manager)
    data = {"name": mitra.name, "kind": mitra.kind, "region": mitra.region_id, "parent": "", "phone": mitra.phone,
            "email": "", "version": mitra.version, "logo": png()}  # fmt: skip
    r = c.post(f"/pos/{mitra.pk}/ubah", data)
    assert r.status_code == 302, r.content.decode()[-2000:]
    mitra.refresh_from_db()
    assert mitra.logo.name.endswith(".png")
    assert AuditEvent.objects.filter(object_id=str(mitra.pk), changes__has_key="logo").exists()
    doc = OrderDocument.objects.select_related("post").get(pk=invoice.pk)
    assert pdf.document_context(doc)["logo_uri"].startswith("data:image/png;base64,")
    assert b"/Subtype /Image" in pdf.document_pdf(doc)
    r = c.post(f"/pos/{mitra.pk}/ubah", {**data, "logo": "", "logo-clear": "on", "version": mitra.version})
    assert r.status_code == 302
    mitra.refresh_from_db()
    assert not mitra.logo


def test_a_logo_that_is_not_an_image_is_refused(manager, posts) -> None:
    fake = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        post_services.post_update(actor=manager, post=posts["mitra"], data={"logo": fake}, version=None)
    assert "logo" in exc.value.message_dict
    assert not Post.objects.get(pk=posts["mitra"].pk).logo

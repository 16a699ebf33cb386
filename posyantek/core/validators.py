"""Validators shared by forms and services."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

# Magic bytes of the file types we accept: a PDF or an image.
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"RIFF": "image/webp",
}
ALLOWED_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".webp"}


def sniff_type(head: bytes) -> str | None:
    """Return the MIME type told by the first bytes of a file, or None."""
    for sig, mime in _SIGNATURES.items():
        if head.startswith(sig):
            if mime == "image/webp" and head[8:12] != b"WEBP":
                return None
            return mime
    return None


def validate_document(upload: File) -> None:
    """Reject a file that is not a PDF or an image, or that is over the size limit."""
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size and upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB). Batasnya %(limit)s MB."),
            code="file_too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "limit": limit_mb},
        )
    name = (getattr(upload, "name", "") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if ext not in ALLOWED_EXTENSIONS or sniff_type(head) is None:
        raise ValidationError(
            _("Berkas harus PDF atau gambar (PNG, JPG, WEBP)."),
            code="file_type",
        )

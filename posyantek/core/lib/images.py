"""Check, clean and thumbnail uploaded photos (JPEG, PNG, WEBP) safely.

Every function takes untrusted bytes or a file-like object and decodes it with Pillow restricted to the JPEG, PNG
and WEBP plugins. Pillow's global `Image.MAX_IMAGE_PIXELS` is left alone: it stays a backstop, while our own
`max_pixels` limit is checked from the header, before any pixel is decoded. Inside Pillow's warning band (over
`MAX_IMAGE_PIXELS`, under twice that) Pillow still emits a `DecompressionBombWarning` before our check refuses the
image; we do not silence it, because `warnings.catch_warnings` is not thread-safe.

Outputs carry no metadata: no EXIF (so no GPS), XMP, comments or text chunks. An embedded ICC profile is applied
(converted to sRGB) and then dropped. Animated images keep only their first frame. The same input and the same
Pillow build give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError, features

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_PIXELS = 40_000_000

# Pillow plugins we let parse untrusted data. A camera JPEG with an MPO index opens as "MPO" via the JPEG plugin.
_PLUGINS = ("JPEG", "PNG", "WEBP")
_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
_MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Orientations 5 to 8 turn the picture a quarter, so width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}

ImageSource = bytes | bytearray | memoryview | BinaryIO


@dataclass(frozen=True)
class ImageInfo:
    """Describe an accepted image; width and height are as shown upright (EXIF orientation applied)."""

    format: str
    width: int
    height: int
    size_bytes: int
    has_alpha: bool

    @property
    def extension(self) -> str:
        """Return the file extension for the format, e.g. `.jpg`."""
        return _EXTENSIONS[self.format]

    @property
    def mime_type(self) -> str:
        """Return the MIME type for the format, e.g. `image/jpeg`."""
        return _MIME_TYPES[self.format]


@dataclass(frozen=True)
class EncodedImage:
    """Hold re-encoded image bytes with their format and pixel size."""

    data: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        """Return the file extension for the format, e.g. `.webp`."""
        return _EXTENSIONS[self.format]

    @property
    def mime_type(self) -> str:
        """Return the MIME type for the format, e.g. `image/webp`."""
        return _MIME_TYPES[self.format]


def check_image(
    data: ImageSource, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> ImageInfo:
    """Return facts about an uploaded photo, or raise ValidationError if it is not a safe JPEG, PNG or WEBP.

    The whole image is decoded once (a JPEG at 1/8 scale) so that truncated or corrupt files are refused here.
    """
    raw = _read(data, max_bytes)
    with _decoding(max_pixels), _open(raw, max_pixels) as im:
        fmt = _FORMATS[str(im.format)]
        width, height = im.size
        has_alpha = _has_alpha(im)
        if fmt == "JPEG":
            im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
        im.load()
        if _orientation(im) in _QUARTER_TURNS:
            width, height = height, width
    return ImageInfo(format=fmt, width=width, height=height, size_bytes=len(raw), has_alpha=has_alpha)


def clean_image(
    data: ImageSource,
    *,
    max_side: int = 2000,
    quality: int = 85,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> EncodedImage:
    """Return the photo re-encoded upright, without metadata, and fitted within max_side × max_side.

    PNG stays PNG (with its transparency), JPEG stays JPEG and WEBP stays WEBP.
    """
    if max_side < 1:
        raise ValueError("max_side must be positive")
    raw = _read(data, max_bytes)
    with _decoding(max_pixels), _open(raw, max_pixels) as im:
        fmt = _FORMATS[str(im.format)]
        im = _prepare(im, max_side)
        if fmt == "PNG":
            im = _png_mode(im)
        elif fmt == "JPEG":
            im = im if im.mode in {"L", "RGB"} else im.convert("RGB")
        else:
            im = im.convert("RGBA" if _has_alpha(im) else "RGB")
        return _encode(im, fmt, quality)


def thumbnail(
    data: ImageSource,
    *,
    size: int = 400,
    quality: int = 80,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> EncodedImage:
    """Return a WEBP thumbnail (JPEG if this Pillow cannot write WEBP) fitted within size × size.

    A WEBP thumbnail keeps transparency; a JPEG one puts transparent parts on white.
    """
    if size < 1:
        raise ValueError("size must be positive")
    raw = _read(data, max_bytes)
    fmt = "WEBP" if _webp_supported() else "JPEG"
    with _decoding(max_pixels), _open(raw, max_pixels) as im:
        im = _prepare(im, size)
        if not _has_alpha(im):
            im = im.convert("RGB")
        elif fmt == "WEBP":
            im = im.convert("RGBA")
        else:
            im = im.convert("RGBA")
            background = Image.new("RGB", im.size, (255, 255, 255))
            background.paste(im, mask=im.getchannel("A"))
            im = background
        return _encode(im, fmt, quality)


def _webp_supported() -> bool:
    """Return whether this Pillow build can encode WEBP."""
    return bool(features.check("webp"))


def _read(data: ImageSource, max_bytes: int) -> bytes:
    """Return the upload's bytes, refusing it without reading more than max_bytes + 1 bytes."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        total = len(raw)
    else:
        seekable = data.seekable()
        if seekable:
            data.seek(0)
        raw = data.read(max_bytes + 1)
        total = len(raw)
        if total > max_bytes:
            total = getattr(data, "size", None) or total
            if seekable:
                total = max(total, data.seek(0, io.SEEK_END))
        if seekable:
            # Leave the upload rewound so the caller can still save it.
            data.seek(0)
        name = str(getattr(data, "name", "") or "").lower()
        if name.endswith((".svg", ".svgz")):
            raise _svg_error()
    if total > max_bytes:
        raise ValidationError(
            _("Gambar terlalu besar (%(size)s). Batasnya %(limit)s."),
            code="image_too_large",
            params={"size": _format_size(total, round_up=True), "limit": _format_size(max_bytes)},
        )
    if _looks_like_svg(raw[:1024]):
        raise _svg_error()
    if not raw:
        raise _not_image_error()
    if other := _other_format(raw[:32]):
        raise ValidationError(
            _("Format %(format)s tidak diterima; unggah JPG, PNG atau WEBP."),
            code="image_type",
            params={"format": other},
        )
    return raw


@contextmanager
def _open(raw: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """Yield the image opened from its header and verified, once its pixel count is within max_pixels."""
    with Image.open(io.BytesIO(raw), formats=_PLUGINS) as im:
        if im.format not in _FORMATS:
            raise _not_image_error()
        if im.width * im.height > max_pixels:
            raise ValidationError(
                _("Gambar terlalu besar (%(width)s × %(height)s piksel). Batasnya %(limit)s megapiksel."),
                code="image_too_many_pixels",
                params={
                    "width": _format_int(im.width),
                    "height": _format_int(im.height),
                    "limit": _format_decimal(max_pixels / 1_000_000),
                },
            )
    # verify() leaves the image unusable, so re-open it for the caller.
    with Image.open(io.BytesIO(raw), formats=_PLUGINS) as im:
        im.verify()
    with Image.open(io.BytesIO(raw), formats=_PLUGINS) as im:
        yield im


@contextmanager
def _decoding(max_pixels: int) -> Iterator[None]:
    """Turn Pillow's errors on untrusted data into ValidationError with an Indonesian message.

    WeasyPrint sets Pillow's global `ImageFile.LOAD_TRUNCATED_IMAGES = True` when it is imported (for PDFs), which
    would let a cut-off upload through, padded with grey. Truncated uploads must fail here, so the flag is off
    while we decode and put back afterwards (our workers handle one request at a time).
    """
    truncated_was = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    except (ValidationError, MemoryError):
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("Gambar ditolak karena ukurannya dalam piksel terlalu besar. Batasnya %(limit)s megapiksel."),
            code="image_too_many_pixels",
            params={"limit": _format_decimal(max_pixels / 1_000_000)},
        ) from exc
    except UnidentifiedImageError as exc:
        raise _not_image_error() from exc
    except Exception as exc:
        # Decoders report broken data as OSError, SyntaxError, ValueError, struct.error, EOFError...
        raise ValidationError(
            _("Gambar rusak atau tidak lengkap; coba simpan ulang lalu unggah lagi."),
            code="image_corrupt",
        ) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_was


def _prepare(im: Image.Image, max_side: int) -> Image.Image:
    """Return the first frame decoded, in sRGB, upright and fitted within max_side × max_side."""
    if im.format in {"JPEG", "MPO"}:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale while staying at least twice the target size.
        im.draft(im.mode, (2 * max_side, 2 * max_side))
    im.load()
    if _orientation(im) != 1:
        im = ImageOps.exif_transpose(im)
    if "transparency" in im.info and im.mode not in {"LA", "RGBA"}:
        # A palette or colour-key transparency lives in im.info, which _encode drops: make it an alpha channel.
        im = im.convert("RGBA")
    im = _to_srgb(im)
    if im.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        # 16-bit greyscale PNG: scale to 8 bits instead of clipping everything above 255 to white.
        im = im.convert("I").point(lambda value: value / 256).convert("L")
    elif im.mode not in {"L", "LA", "RGB", "RGBA"}:
        im = im.convert("RGBA" if _has_alpha(im) else "RGB")
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return im


def _to_srgb(im: Image.Image) -> Image.Image:
    """Return the image converted from its embedded ICC profile to sRGB, or unchanged if that is not possible."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in {"RGB", "RGBA", "CMYK"}:
        return im
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(im, source, target, outputMode="RGBA" if im.mode == "RGBA" else "RGB")
    except (ImportError, OSError, ValueError, TypeError, ImageCms.PyCMSError):
        # A missing or broken profile: keep the stored pixels, as a browser would.
        return im
    return converted if converted is not None else im


def _png_mode(im: Image.Image) -> Image.Image:
    """Return the image in a plain 8-bit PNG mode, keeping any alpha channel."""
    if im.mode in {"L", "LA", "RGB", "RGBA"}:
        return im
    return im.convert("RGBA" if _has_alpha(im) else "RGB")


def _encode(im: Image.Image, fmt: str, quality: int) -> EncodedImage:
    """Return the image saved as fmt with no metadata at all."""
    # Pillow copies some of im.info (comment, ICC profile, transparency...) into the output unless told otherwise.
    im.info.clear()
    buffer = io.BytesIO()
    if fmt == "PNG":
        im.save(buffer, "PNG", optimize=False, compress_level=6)
    elif fmt == "JPEG":
        im.save(buffer, "JPEG", quality=quality, optimize=True)
    else:
        im.save(buffer, "WEBP", quality=quality, method=4)
    return EncodedImage(data=buffer.getvalue(), format=fmt, width=im.width, height=im.height)


def _orientation(im: Image.Image) -> int:
    """Return the EXIF orientation (1 to 8), taking 1 when the EXIF is missing or unreadable."""
    try:
        value = im.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # malformed EXIF must not make a good photo unusable
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _has_alpha(im: Image.Image) -> bool:
    """Return whether the image has an alpha channel or a transparent palette entry."""
    return im.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in im.info


def _looks_like_svg(head: bytes) -> bool:
    """Return whether the first bytes look like SVG or other XML (also in UTF-16)."""
    text = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or (text.startswith(b"<") and b"<svg" in text)


def _other_format(head: bytes) -> str | None:
    """Return the name of a well-known image format we do not accept, told by its first bytes."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"BM"):
        return "BMP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}:
            return "HEIC"
        if brand in {b"avif", b"avis"}:
            return "AVIF"
    return None


def _svg_error() -> ValidationError:
    """Return the error for an SVG upload."""
    return ValidationError(
        _("Gambar SVG tidak diterima karena dapat memuat skrip; unggah JPG, PNG atau WEBP."),
        code="image_svg",
    )


def _not_image_error() -> ValidationError:
    """Return the error for a file that is not an accepted image."""
    return ValidationError(_("Berkas bukan gambar (JPG, PNG atau WEBP)."), code="image_type")


def _format_decimal(value: float, *, round_up: bool = False) -> str:
    """Return value with at most one decimal, Indonesian style: `12,3`, `10`."""
    tenths = math.ceil(value * 10) if round_up else math.floor(value * 10 + 0.5)
    whole, tenth = divmod(tenths, 10)
    return f"{whole:,}".replace(",", ".") + (f",{tenth}" if tenth else "")


def _format_int(value: int) -> str:
    """Return an integer with Indonesian thousands dots: `20.000`."""
    return f"{value:,}".replace(",", ".")


def _format_size(n_bytes: int, *, round_up: bool = False) -> str:
    """Return a byte count as `12,3 MB`, or in KB or bytes below that."""
    if n_bytes >= MB:
        return f"{_format_decimal(n_bytes / MB, round_up=round_up)} MB"
    if n_bytes < 1024:
        return f"{n_bytes} byte"
    return f"{_format_decimal(n_bytes / 1024, round_up=round_up)} KB"

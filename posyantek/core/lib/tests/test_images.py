from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from posyantek.core.lib import images
from posyantek.core.lib.images import check_image, clean_image, thumbnail

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def _encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def _halves(width: int = 300, height: int = 200) -> Image.Image:
    """Return an image whose left half is red and right half is blue."""
    im = Image.new("RGB", (width, height), RED)
    im.paste(BLUE, (width // 2, 0, width, height))
    return im


def _phone_jpeg() -> bytes:
    """Return a 300×200 JPEG as a phone stores it: orientation 6, GPS, XMP, a comment and an ICC profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 58.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (110.0, 24.0, 15.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>6,58.5S</exif:GPSLatitude></x:xmpmeta>'
    return _encode(_halves(), "JPEG", exif=exif, xmp=xmp, comment=b"Desa Sukamaju", icc_profile=icc, quality=95)


def _png_header(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims width × height, without the pixels to match."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return excinfo.value.messages


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=False))


def test_check_image_reports_upright_size_of_jpeg() -> None:
    info = check_image(_phone_jpeg())

    assert (info.format, info.width, info.height) == ("JPEG", 200, 300)
    assert (info.extension, info.mime_type, info.has_alpha) == (".jpg", "image/jpeg", False)


def test_clean_image_drops_metadata_and_applies_orientation() -> None:
    raw = _phone_jpeg()
    assert b"PhoneMaker" in raw and b"Sukamaju" in raw and b"GPSLatitude" in raw

    cleaned = clean_image(raw)

    assert (cleaned.format, cleaned.extension, cleaned.mime_type) == ("JPEG", ".jpg", "image/jpeg")
    assert (cleaned.width, cleaned.height) == (200, 300)
    for marker in (b"Exif\x00\x00", b"PhoneMaker", b"Sukamaju", b"GPSLatitude", b"xmpmeta", b"ICC_PROFILE"):
        assert marker not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as out:
        assert out.size == (200, 300)
        assert not out.getexif()
        assert not out.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(out.info)
        # Orientation 6 turns the stored picture a quarter clockwise: its left half (red) ends up on top.
        assert _close(out.getpixel((100, 20)), RED)
        assert _close(out.getpixel((100, 280)), BLUE)


def test_clean_image_is_deterministic() -> None:
    raw = _phone_jpeg()

    assert clean_image(raw).data == clean_image(raw).data
    assert thumbnail(raw).data == thumbnail(raw).data


def test_clean_image_keeps_png_transparency() -> None:
    im = Image.new("RGBA", (120, 80), (0, 128, 0, 0))
    im.paste((0, 128, 0, 255), (0, 0, 60, 80))
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "Desa Sukamaju")
    raw = _encode(im, "PNG", pnginfo=text, exif=Image.Exif())

    cleaned = clean_image(raw)

    assert (cleaned.format, cleaned.extension) == ("PNG", ".png")
    assert b"Sukamaju" not in cleaned.data
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as out:
        assert out.format == "PNG" and out.mode == "RGBA"
        assert out.getpixel((10, 10))[3] == 255
        assert out.getpixel((110, 10))[3] == 0


def test_clean_image_turns_palette_transparency_into_alpha() -> None:
    im = Image.new("P", (40, 40), 0)
    im.putpalette([255, 255, 255, 200, 0, 0])
    im.paste(1, (0, 0, 20, 40))
    raw = _encode(im, "PNG", transparency=0)
    assert check_image(raw).has_alpha

    with Image.open(io.BytesIO(clean_image(raw).data)) as out:
        assert out.mode == "RGBA"
        assert out.getpixel((5, 5)) == (200, 0, 0, 255)
        assert out.getpixel((35, 5))[3] == 0


def test_check_and_clean_accept_webp() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    raw = _encode(_halves(), "WEBP", exif=exif, quality=90)

    info = check_image(raw)
    cleaned = clean_image(raw)

    assert (info.format, info.width, info.height, info.mime_type) == ("WEBP", 300, 200, "image/webp")
    assert (cleaned.format, cleaned.extension, cleaned.width, cleaned.height) == ("WEBP", ".webp", 300, 200)
    assert b"PhoneMaker" not in cleaned.data and b"EXIF" not in cleaned.data


def test_check_image_accepts_camera_mpo_as_jpeg() -> None:
    raw = _encode(_halves(), "MPO", save_all=True, append_images=[_halves()])

    assert check_image(raw).format == "JPEG"
    assert clean_image(raw).format == "JPEG"


def test_clean_image_converts_cmyk_jpeg_to_rgb() -> None:
    raw = _encode(Image.new("CMYK", (50, 50), (0, 255, 255, 0)), "JPEG")

    with Image.open(io.BytesIO(clean_image(raw).data)) as out:
        assert out.mode == "RGB"
        assert _close(out.getpixel((25, 25)), RED)


def test_clean_image_downscales_to_max_side() -> None:
    cleaned = clean_image(_encode(_halves(3000, 1500), "JPEG"), max_side=1000)

    assert (cleaned.width, cleaned.height) == (1000, 500)


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
        (b'\xef\xbb\xbf  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "foto.png"),
        (b"<!DOCTYPE svg><svg/>", "foto.jpg"),
        ('<svg xmlns="http://www.w3.org/2000/svg"/>'.encode("utf-16"), "foto.webp"),
    ],
)
def test_check_image_refuses_svg_whatever_its_name(payload: bytes, name: str) -> None:
    upload = io.BytesIO(payload)
    upload.name = name

    for data in (payload, upload):
        with pytest.raises(ValidationError) as excinfo:
            check_image(data)
        assert excinfo.value.code == "image_svg"
        assert _messages(excinfo) == ["Gambar SVG tidak diterima karena dapat memuat skrip; unggah JPG, PNG atau WEBP."]


def test_check_image_refuses_file_named_svg() -> None:
    upload = io.BytesIO(_encode(_halves(), "PNG"))
    upload.name = "Logo.SVG"

    with pytest.raises(ValidationError) as excinfo:
        check_image(upload)

    assert excinfo.value.code == "image_svg"


@pytest.mark.parametrize("payload", [b"Daftar hadir Bintek\n1. Siti\n2. Budi\n", b"", b"%PDF-1.7\n%%EOF"])
def test_check_image_refuses_non_images(payload: bytes) -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_image(payload)

    assert excinfo.value.code == "image_type"
    assert _messages(excinfo) == ["Berkas bukan gambar (JPG, PNG atau WEBP)."]


@pytest.mark.parametrize(
    ("payload", "fmt"),
    [
        (_encode(Image.new("RGB", (10, 10)), "GIF"), "GIF"),
        (_encode(Image.new("RGB", (10, 10)), "BMP"), "BMP"),
        (_encode(Image.new("RGB", (10, 10)), "TIFF"), "TIFF"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
    ],
)
def test_check_image_names_refused_image_formats(payload: bytes, fmt: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_image(payload)

    assert excinfo.value.code == "image_type"
    assert _messages(excinfo) == [f"Format {fmt} tidak diterima; unggah JPG, PNG atau WEBP."]


def test_check_image_refuses_oversize_file() -> None:
    raw = _encode(_halves(), "PNG")

    with pytest.raises(ValidationError) as excinfo:
        check_image(raw, max_bytes=len(raw) - 1)

    assert excinfo.value.code == "image_too_large"
    assert check_image(raw, max_bytes=len(raw)).size_bytes == len(raw)


def test_check_image_states_size_in_indonesian_megabytes() -> None:
    upload = io.BytesIO(b"\x00" * int(12.3 * images.MB))

    with pytest.raises(ValidationError) as excinfo:
        check_image(upload)

    assert _messages(excinfo) == ["Gambar terlalu besar (12,3 MB). Batasnya 10 MB."]


def test_check_image_rewinds_file_like_upload() -> None:
    upload = io.BytesIO(_encode(_halves(), "JPEG"))
    upload.seek(100)

    assert check_image(upload).format == "JPEG"
    assert upload.tell() == 0
    assert clean_image(upload).format == "JPEG"


@pytest.mark.parametrize(
    ("side", "message"),
    [
        (7_000, "Gambar terlalu besar (7.000 × 7.000 piksel). Batasnya 40 megapiksel."),
        (20_000, "Gambar ditolak karena ukurannya dalam piksel terlalu besar. Batasnya 40 megapiksel."),
    ],
)
def test_check_image_refuses_huge_dimensions(side: int, message: str) -> None:
    raw = _png_header(side, side)
    assert len(raw) < 100

    for call in (check_image, clean_image, thumbnail):
        with pytest.raises(ValidationError) as excinfo:
            call(raw)
        assert excinfo.value.code == "image_too_many_pixels"
        assert _messages(excinfo) == [message]


def test_check_image_refuses_dimensions_in_pillows_warning_band() -> None:
    # Pillow warns (but does not refuse) between MAX_IMAGE_PIXELS and twice that; our own limit refuses.
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ValidationError) as excinfo:
        check_image(_png_header(10_000, 10_000))

    assert excinfo.value.code == "image_too_many_pixels"


def test_check_image_refuses_small_file_that_decodes_large() -> None:
    raw = _encode(Image.new("1", (8_000, 8_000)), "PNG")
    assert len(raw) < 100_000

    with pytest.raises(ValidationError) as excinfo:
        check_image(raw)

    assert excinfo.value.code == "image_too_many_pixels"


def test_check_image_takes_pixel_limit_as_parameter() -> None:
    raw = _encode(_halves(), "PNG")

    with pytest.raises(ValidationError) as excinfo:
        check_image(raw, max_pixels=50_000)

    assert _messages(excinfo) == ["Gambar terlalu besar (300 × 200 piksel). Batasnya 0,1 megapiksel."]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_check_image_refuses_truncated_file(fmt: str) -> None:
    raw = _encode(Image.effect_noise((200, 200), 64).convert("RGB"), fmt)

    for call in (check_image, clean_image, thumbnail):
        with pytest.raises(ValidationError) as excinfo:
            call(raw[: len(raw) * 2 // 3])
        assert excinfo.value.code == "image_corrupt"


def test_check_image_refuses_truncated_jpeg_as_corrupt() -> None:
    raw = _encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")

    with pytest.raises(ValidationError) as excinfo:
        check_image(raw[: len(raw) // 2])

    assert excinfo.value.code == "image_corrupt"
    assert _messages(excinfo) == ["Gambar rusak atau tidak lengkap; coba simpan ulang lalu unggah lagi."]


def test_check_image_refuses_png_with_broken_checksum() -> None:
    raw = bytearray(_encode(_halves(), "PNG"))
    idat = raw.index(b"IDAT")
    raw[idat + 10] ^= 0xFF

    with pytest.raises(ValidationError) as excinfo:
        check_image(bytes(raw))

    assert excinfo.value.code == "image_corrupt"


@pytest.mark.parametrize(("width", "height"), [(1200, 800), (300, 900), (100, 50)])
def test_thumbnail_fits_size_and_keeps_aspect(width: int, height: int) -> None:
    thumb = thumbnail(_encode(_halves(width, height), "JPEG"), size=400)

    assert thumb.width <= 400 and thumb.height <= 400
    assert max(thumb.width, thumb.height) == min(400, max(width, height))
    assert abs(thumb.width / thumb.height - width / height) < 0.02
    with Image.open(io.BytesIO(thumb.data)) as out:
        assert out.size == (thumb.width, thumb.height)
        assert out.format == thumb.format == "WEBP"


def test_thumbnail_applies_orientation() -> None:
    thumb = thumbnail(_phone_jpeg(), size=150)

    assert (thumb.width, thumb.height) == (100, 150)


def test_thumbnail_falls_back_to_jpeg_on_white(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_webp_supported", lambda: False)
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    im.paste((0, 0, 255, 255), (0, 0, 100, 100))

    thumb = thumbnail(_encode(im, "PNG"), size=100)

    assert (thumb.format, thumb.extension, thumb.width, thumb.height) == ("JPEG", ".jpg", 100, 50)
    with Image.open(io.BytesIO(thumb.data)) as out:
        assert out.format == "JPEG" and out.mode == "RGB"
        assert _close(out.getpixel((10, 25)), BLUE)
        assert _close(out.getpixel((90, 25)), (255, 255, 255))


def test_thumbnail_in_webp_keeps_transparency() -> None:
    im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    im.paste((0, 0, 255, 255), (0, 0, 100, 100))

    with Image.open(io.BytesIO(thumbnail(_encode(im, "PNG"), size=100).data)) as out:
        assert out.mode == "RGBA"
        assert out.getpixel((90, 25))[3] == 0


def test_truncated_upload_is_refused_even_after_weasyprint_loosened_pillow(monkeypatch) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    raw = _encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")
    with pytest.raises(ValidationError) as excinfo:
        check_image(raw[: len(raw) // 2])
    assert excinfo.value.code == "image_corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back for WeasyPrint

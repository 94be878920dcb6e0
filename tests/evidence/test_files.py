"""What an uploaded file is taken for, from its content alone, and what is kept of it."""

import io

import pytest
from django.utils import translation
from PIL import Image

from evidence.files import Refused, clean_name, inspect
from evidence.models import Kind

from . import samples


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_a_photo_is_drawn_again_without_its_location_and_gets_a_thumbnail(format):
    original = samples.photo(format, size=(1200, 900))
    assert samples.gps_of(original)  # the phone wrote where it was taken
    stored = inspect("IMG_0001.jpeg", original)
    assert stored.kind == Kind.PHOTO
    assert samples.gps_of(stored.content) == {}
    image = Image.open(io.BytesIO(stored.content))
    assert image.size == (1200, 900)
    assert dict(image.getexif()) == {}  # nor the camera, nor anything else
    thumbnail = Image.open(io.BytesIO(stored.thumbnail))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == 320


def test_heic_from_a_phone_is_kept_as_jpeg_which_browsers_show():
    stored = inspect("IMG_0002.HEIC", samples.photo("HEIF"))
    assert (stored.content_type, stored.name) == ("image/jpeg", "IMG_0002.jpg")
    assert Image.open(io.BytesIO(stored.content)).format == "JPEG"


@pytest.mark.parametrize(
    ("content", "kind", "name"),
    [
        (samples.pdf, Kind.PDF, "davomat.pdf"),
        (samples.docx_file, Kind.DOCX, "davomat.docx"),
        (samples.xlsx_file, Kind.XLSX, "davomat.xlsx"),
    ],
)
def test_documents_are_kept_as_they_came_named_by_what_they_are(content, kind, name):
    data = content()
    # Whatever the name says: the content decides, and the name gets the right extension.
    stored = inspect("davomat.jpg", data)
    assert (stored.kind, stored.name, stored.content, stored.thumbnail) == (kind, name, data, b"")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.jpg", samples.executable(), "not accepted, whatever its name says"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not accepted, whatever its name says"),
        ("report.docx", samples.plain_zip(), "not a Word (DOCX) or Excel (XLSX)"),
        ("report.docx", samples.macro_docx(), "macros"),
        ("report.pdf", b"%PDF-1.4\n garbage", "PDF is damaged"),
        ("photo.jpg", samples.broken_jpeg(), "damaged or incomplete"),
        ("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 100, "damaged or incomplete"),
        ("photo.png", samples.png_declaring(30_000, 30_000), "decompression bomb"),
        ("photo.png", samples.png_declaring(9_000, 9_000), "decompression bomb"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_them(name, content, says):
    with pytest.raises(Refused) as refused:
        inspect(name, content)
    assert says in str(refused.value)
    assert clean_name(name) in str(refused.value)


def test_a_file_over_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1000
    with pytest.raises(Refused, match="files of up to"):
        inspect("big.pdf", samples.pdf() + b"\n" * 1000)


def test_a_picture_with_more_pixels_than_allowed_is_refused(settings):
    settings.EVIDENCE_MAX_PIXELS = 100 * 100
    with pytest.raises(Refused, match="decompression bomb"):
        inspect("wide.png", samples.photo("PNG", size=(101, 100)))


def test_names_lose_folders_and_control_characters():
    assert clean_name("C:\\Users\\x\\Desktop\\foto 1.jpg") == "foto 1.jpg"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("a\x07b<c>.pdf") == "ab_c_.pdf"
    assert clean_name("") == clean_name("...")


def test_the_colour_profile_stays_and_the_picture_is_turned_upright():
    from PIL import ExifTags, ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (60, 40), "navy")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the phone was held upright: turn by 90°
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=profile)
    stored = Image.open(io.BytesIO(inspect("a.jpg", out.getvalue()).content))
    assert stored.size == (40, 60)
    assert stored.info.get("icc_profile") == profile

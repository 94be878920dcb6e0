"""What an uploaded file is, read from its content, and what is stored of it. Pure: no database.

The name a file comes with says nothing: its first bytes (the format's signature) choose one of the
accepted kinds, and then the file must open as that kind:
- photos (JPEG, PNG, WebP, HEIC) are opened with Pillow, refused above settings.EVIDENCE_MAX_PIXELS
  (a decompression bomb: a small file that unpacks to gigabytes of pixels) or when they do not
  decode whole; they are then drawn again, turned upright, without their metadata (EXIF with the
  GPS position, XMP, comments; the colour profile stays), and get a thumbnail. HEIC, which
  browsers do not show, becomes JPEG;
- a PDF must open with pypdf and have a page;
- DOCX and XLSX are zip archives: their members must declare at most a bounded unpacked size,
  unpack with correct checksums and hold the parts of a Word document or an Excel workbook;
  macro-enabled ones (a vbaProject part) are refused.

Whatever is refused raises Refused, whose message is in the user's language and names the file.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader

from common.text import clean_text

from .models import NAME_MAX_LENGTH, Kind

pillow_heif.register_heif_opener()

MB = 1024 * 1024
THUMBNAIL_SIZE = (320, 320)
# A document's zip may unpack to this much, in at most this many members.
UNPACKED_LIMIT = 200 * MB
MEMBERS_LIMIT = 5000
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


class Refused(ValueError):
    """The file is not stored; the message says why, in the user's language."""


@dataclass(frozen=True)
class Stored:
    """What is kept of an accepted file: its bytes (re-encoded for a photo) and a thumbnail."""

    name: str
    kind: Kind
    content_type: str
    content: bytes
    extension: str
    thumbnail: bytes = b""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


# Photo formats: Pillow's name → (content type, extension) of what is stored.
PHOTO_OUTPUT = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "HEIF": ("image/jpeg", "jpg"),
}
DOCUMENT_TYPES = {
    Kind.PDF: ("application/pdf", "pdf"),
    Kind.DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    Kind.XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce: a Pillow format name, "PDF", "ZIP", or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        return "ZIP"
    return None


def clean_name(name: str) -> str:
    """The file's own name without any folder, control characters or reserved punctuation."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = re.sub(r'[<>:"/\\|?*]', "_", clean_text(name).replace("\n", " ").replace("\t", " ")).strip(" .")
    return name or _("file")


def named(name: str, extension: str) -> str:
    """`name` ending in the stored kind's extension (a PDF named photo.jpg becomes photo.pdf)."""
    stem = clean_name(name)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0] or stem
    stem = stem[: NAME_MAX_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}"


def check_size(name: str, size: int) -> None:
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if size > limit:
        raise Refused(
            _("%(name)s: the file is %(size)s MB; files of up to %(limit)s MB are accepted.")
            % {"name": clean_name(name), "size": _megabytes(size), "limit": _megabytes(limit)}
        )
    if size == 0:
        raise Refused(_("%(name)s: the file is empty.") % {"name": clean_name(name)})


def inspect(name: str, content: bytes) -> Stored:
    """What to store of the file named `name` with this content, or Refused."""
    check_size(name, len(content))
    found = sniff(content[:16])
    if found in PHOTO_OUTPUT:
        return _photo(name, content, found)
    if found == "PDF":
        _check_pdf(name, content)
        return _document(name, content, Kind.PDF)
    if found == "ZIP":
        return _document(name, content, _office_kind(name, content))
    raise Refused(
        _(
            "%(name)s: this kind of file is not accepted, whatever its name says. Accepted are photos "
            "(JPEG, PNG, WebP, HEIC), PDF, Word (DOCX) and Excel (XLSX) files."
        )
        % {"name": clean_name(name)}
    )


def _document(name: str, content: bytes, kind: Kind) -> Stored:
    content_type, extension = DOCUMENT_TYPES[kind]
    return Stored(
        name=named(name, extension),
        kind=kind,
        content_type=content_type,
        content=content,
        extension=extension,
    )


def _photo(name: str, content: bytes, announced: str) -> Stored:
    shown = clean_name(name)
    broken = _("%(name)s: the image is damaged or incomplete and cannot be read.") % {"name": shown}
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; both are refused here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
            if image.format != announced:
                raise Refused(broken)
            width, height = image.size
            if width * height > settings.EVIDENCE_MAX_PIXELS:
                raise Refused(_bomb_message(shown))
            _load_whole(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Refused(_bomb_message(shown)) from error
        except Refused:
            raise
        except Exception as error:  # Pillow's decoders raise OSError, SyntaxError, ValueError…
            raise Refused(broken) from error
    output, (content_type, extension) = (
        ("JPEG" if announced == "HEIF" else announced),
        PHOTO_OUTPUT[announced],
    )
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # an unreadable orientation tag: keep the picture as drawn
        upright = image
    picture = _drawn_again(upright, output)
    stored = io.BytesIO()
    options = {"quality": 88, "optimize": True} if output in ("JPEG", "WEBP") else {"optimize": True}
    # The colour profile is kept (a phone's wide-gamut colours); it says nothing of where or who.
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    picture.save(stored, output, **options)
    thumbnail = picture.convert("RGB") if picture.mode != "RGB" else picture.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    small = io.BytesIO()
    thumbnail.save(small, "JPEG", quality=80)
    return Stored(
        name=named(name, extension),
        kind=Kind.PHOTO,
        content_type=content_type,
        content=stored.getvalue(),
        extension=extension,
        thumbnail=small.getvalue(),
    )


# WeasyPrint, once imported, lets Pillow load truncated images for the whole process (it would
# rather draw half a picture than fail a PDF); a photo that did not arrive whole is refused here,
# so the setting is held off while one is decoded.
_TRUNCATED = threading.Lock()


def _load_whole(image: Image.Image) -> None:
    with _TRUNCATED:
        allowed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _drawn_again(image: Image.Image, output: str) -> Image.Image:
    """The pixels alone, in a new image: nothing of the original's metadata comes along."""
    if output == "JPEG":
        mode = "L" if image.mode in ("1", "L") else "RGB"
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode) if image.mode != mode else image
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _bomb_message(name: str) -> str:
    return _(
        "%(name)s: the image would unpack to more pixels than a photo has (more than %(limit)s "
        "million); it may be a decompression bomb. It is not stored."
    ) % {"name": name, "limit": settings.EVIDENCE_MAX_PIXELS // 1_000_000}


def _check_pdf(name: str, content: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = len(reader.pages)
    except Exception as error:  # pypdf raises many kinds for a file that is not a PDF
        raise Refused(
            _("%(name)s: the PDF is damaged and cannot be read.") % {"name": clean_name(name)}
        ) from error
    if pages == 0:
        raise Refused(_("%(name)s: the PDF has no page.") % {"name": clean_name(name)})


def _office_kind(name: str, content: bytes) -> Kind:
    shown = clean_name(name)
    not_office = _("%(name)s: the file is an archive, not a Word (DOCX) or Excel (XLSX) file.") % {
        "name": shown
    }
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Refused(not_office) from error
    # zipfile never gives more of a member than its declared size (a lie is a checksum error),
    # so the declared sizes bound what unpacking reads.
    if len(members) > MEMBERS_LIMIT or sum(member.file_size for member in members) > UNPACKED_LIMIT:
        raise Refused(
            _("%(name)s: the file would unpack to more than %(limit)s MB. It is not stored.")
            % {"name": shown, "limit": UNPACKED_LIMIT // MB}
        )
    names = {member.filename for member in members}
    if any(PurePosixPath(member).name.lower() == "vbaproject.bin" for member in names):
        raise Refused(
            _("%(name)s: files with macros are not accepted; save it without macros.") % {"name": shown}
        )
    if "[Content_Types].xml" not in names:
        raise Refused(not_office)
    if "word/document.xml" in names:
        kind = Kind.DOCX
    elif "xl/workbook.xml" in names:
        kind = Kind.XLSX
    else:
        raise Refused(not_office)
    try:
        damaged = archive.testzip()
    except Exception as error:  # a member that cannot be unpacked at all
        raise Refused(_("%(name)s: the file is damaged and cannot be read.") % {"name": shown}) from error
    if damaged is not None:
        raise Refused(_("%(name)s: the file is damaged and cannot be read.") % {"name": shown})
    return kind


def _megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else str(round(value))

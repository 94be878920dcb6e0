"""Files as people bring them, made in memory: photos with a GPS position, documents, and the bad ones."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import docx
import openpyxl
from PIL import ExifTags, Image

# Where the photo claims it was taken (Jizzakh), as degrees, minutes, seconds.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (40.0, 7.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (67.0, 50.0, 10.0),
}


def photo(format: str = "JPEG", size=(640, 480), *, gps: bool = True, colour="seagreen") -> bytes:
    """A photo as a phone writes it: with EXIF naming the camera and, `gps`, where it was taken."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, format, exif=exif)
    return out.getvalue()


def gps_of(content: bytes) -> dict:
    return dict(Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def pdf() -> bytes:
    image = Image.new("RGB", (200, 280), "white")
    out = io.BytesIO()
    image.save(out, "PDF")
    return out.getvalue()


def docx_file(text: str = "Davomat varaqasi") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Ishtirokchilar"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not an office file")
    return out.getvalue()


def macro_docx() -> bytes:
    """A DOCX carrying a VBA project (what a .docm holds)."""
    source = zipfile.ZipFile(io.BytesIO(docx_file()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


def executable() -> bytes:
    """A Windows program's first bytes."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height pixels: a decompression bomb's shape (its
    few bytes of data would be inflated to the whole picture)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def broken_jpeg() -> bytes:
    """A JPEG cut off halfway (a transfer that broke)."""
    image = Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()[: len(out.getvalue()) // 2]

"""Spreadsheets built for the tests (hostile ones too), and reading one in a process with little memory."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

PROJECT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the reading process: 1 GB
CORNER = "XFD1048576"  # the last cell of a sheet


def xlsx_of(rows: Iterable[Iterable[object]], *, cells: dict[str, object] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` from A1 on, and `cells` by their coordinates."""
    book = Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(list(values))
    for coordinate, value in (cells or {}).items():
        sheet[coordinate] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_corner_xlsx(rows: Iterable[Iterable[object]]) -> bytes:
    """The file of issue 10.3: real rows, and one cell in the sheet's last corner, so that the
    sheet declares the dimension A1:XFD1048576 (17 billion cells) in under 5 KB."""
    content = xlsx_of(rows, cells={CORNER: "x"})
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:XFD1048576"' in sheet
    return content


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    """The zip with one more member (compressed)."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def replaced_member(content: bytes, name: str, data: bytes) -> bytes:
    """The zip with member `name` holding `data` instead."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, data if info.filename == name else source.read(info.filename))
    return buffer.getvalue()


def understated(content: bytes, name: str, size: int) -> bytes:
    """The zip with the central directory claiming that member `name` unpacks to `size` bytes."""
    data = bytearray(content)
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_length].decode() == name:
            struct.pack_into("<I", data, offset + 24, size)
            return bytes(data)
        offset = data.find(b"PK\x01\x02", offset + 46 + name_length + extra_length + comment_length)
    raise AssertionError(f"no member {name}")


_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
import django
django.setup()
from importlib import import_module
from common.sheet_reader import SheetRefused
module, name = sys.argv[1].split(":")
read = getattr(import_module(module), name)
if isinstance(read, type):  # an import-export format: what the admin calls on an upload
    read = read().create_dataset
content = open(sys.argv[2], "rb").read()
start = time.perf_counter()
try:
    result = read(content)
    outcome = {{"rows": len(result)}}
except SheetRefused as refused:
    outcome = {{"refused": str(refused)}}
except MemoryError:
    outcome = {{"memory_error": True}}
outcome["seconds"] = time.perf_counter() - start
print(json.dumps(outcome))
"""


def read_with_little_memory(reader: str, content: bytes, tmp_path: Path, *, timeout: int = 120) -> dict:
    """Call `reader` ("module:function", or "module:FormatClass" for its create_dataset) on
    `content` in a Python process limited to 1 GB of address space. What came of it:
    {"rows": n}, {"refused": message} or {"memory_error": True}, with "seconds"."""
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "akm_plan.settings", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(limit=MEMORY_LIMIT), reader, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])

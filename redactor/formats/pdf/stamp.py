"""Small writer helpers shared by the clean rebuild and the raster fallback.

Release statements ("CONFIDENTIAL") are drawn as real, extractable text in
a standard Helvetica font added to the page, so a recipient's tools see
them as well as a reader's eyes.
"""
from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

STATEMENT_FONT = "/RedactorHelv"
STATEMENT_SIZE = 9


def add_stream(writer: PdfWriter, data: bytes, entries: dict[str, Any]) -> Any:
    """Add a Flate-compressed stream with `entries` to the writer; return its reference."""
    stream = DecodedStreamObject()
    for key, value in entries.items():
        stream[NameObject(key)] = value
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())


def statement_content(page: Any, resources: DictionaryObject, statements: list[str]) -> bytes:
    """Statements as Helvetica text in the top margin, upright whatever the page rotation."""
    resources["/Font"][NameObject(STATEMENT_FONT)] = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    box = page.cropbox
    x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    lines = []
    for i, line in enumerate(statements):
        down = 18 + 12 * i
        matrix = {0: (1, 0, 0, 1, x0 + 36, y1 - down), 90: (0, 1, -1, 0, x0 + down, y0 + 36),
                  180: (-1, 0, 0, -1, x1 - 36, y0 + down), 270: (0, -1, 1, 0, x1 - down, y1 - 36)}[rotate]
        raw = line.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        tm = " ".join(f"{v:.3f}" for v in matrix).encode()
        lines.append(b"BT " + STATEMENT_FONT.encode() + b" %d Tf " % STATEMENT_SIZE + tm + b" Tm (" + raw
                     + b") Tj ET")
    return b"q 0 g\n" + b"\n".join(lines) + b"\nQ\n"

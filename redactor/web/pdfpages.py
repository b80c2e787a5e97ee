"""PDF pages as PNG images, so a reviewer sees exactly what the recipient will.

The page images are rendered by pypdfium2 from the job's stored redacted
output (the very file approval releases), and encoded as PNG here with zlib
and numpy, so no imaging library (Pillow) is needed.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

#: Render at 1.5 x 72 dpi (108 dpi): readable on screen, small to send.
SCALE = 1.5
MAX_PAGES = 200


def page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return min(len(pdf), MAX_PAGES)
    finally:
        pdf.close()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB image (height x width x 3) as PNG bytes."""
    height, width, channels = rgb.shape
    if channels != 3:
        raise ValueError("encode_png needs an RGB image")
    rows = np.zeros((height, 1 + width * 3), dtype=np.uint8)   # each row: filter type 0, then its pixels
    rows[:, 1:] = np.ascontiguousarray(rgb, dtype=np.uint8).reshape(height, width * 3)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + _chunk(b"IEND", b""))


def render_png(path: Path, index: int, scale: float = SCALE) -> bytes:
    """Page `index` (from 0) of the PDF at `path`, as PNG."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 0 <= index < min(len(pdf), MAX_PAGES):
            raise IndexError(f"no page {index + 1}")
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=True)
            array = bitmap.to_numpy()
        finally:
            page.close()
    finally:
        pdf.close()
    return encode_png(array[:, :, :3])

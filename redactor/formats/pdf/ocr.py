"""OCR of image-only pages (scans) with tesseract, where it is installed.

The page is rendered with PDFium (no annotations, no form fields) at
`DPI`, written as a greyscale PGM to a private temporary directory and
read by ``tesseract <pgm> - tsv`` (a local subprocess with a timeout; it
never touches the network). Each word it reports becomes text anchored to
an `OcrRef`, which carries the word's box as fractions of the rendered page,
so the raster writer can burn a box over it at any resolution. Words
become lines in tesseract's line order, and lines the same `TextLine`s the
text layer makes, so pages of a scan join into one text like any others.

There are no glyphs to take out of a scan, so such a page is only ever
released as a picture of itself (the raster route), and only when every
word was read with confidence at least `MIN_CONFIDENCE`: a word tesseract
was unsure of may be a name detection cannot recognise.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from .textmodel import Block, TextLine

DPI = 300
#: Renders are capped at this many pixels along either side (a poster-sized page is scaled down).
MAX_SIDE_PX = 10000
TIMEOUT = 120
#: A word read with less confidence than this (tesseract's 0-100) holds the page.
MIN_CONFIDENCE = 60.0


class OcrError(Exception):
    """Tesseract could not read the page (it failed, timed out, or wrote something unexpected)."""


@dataclass(frozen=True)
class OcrRef:
    """One OCR word on a page: its index and box (left, top, right, bottom) as fractions of the page render."""

    page: int
    word: int
    box: tuple[float, float, float, float]


@dataclass
class OcrWord:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    line: tuple[int, int, int]  # block, paragraph, line


def available() -> bool:
    return shutil.which("tesseract") is not None


def render_gray(path: Path, number: int, dpi: float = DPI) -> np.ndarray:
    """Page `number` (1-based) of the PDF at `path` as an 8-bit greyscale array (rows, columns)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise OcrError(f"PDFium cannot render the page ({error})") from None
    try:
        page = document[number - 1]
        width, height = page.get_size()
        scale = min(dpi / 72, MAX_SIDE_PX / max(width, height, 1.0))
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False, draw_annots=False)
        pixels = np.array(bitmap.to_numpy(), dtype=np.uint8)
    except pdfium.PdfiumError as error:
        raise OcrError(f"PDFium cannot render the page ({error})") from None
    finally:
        document.close()
    return pixels.reshape(pixels.shape[0], pixels.shape[1], -1)[:, :, 0]


def tesseract_words(pixels: np.ndarray) -> list[OcrWord]:
    """The words tesseract reads in a greyscale image; raises OcrError if it cannot run."""
    height, width = pixels.shape
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="redactor-ocr-") as tmp:
        image = Path(tmp) / "page.pgm"
        image.write_bytes(b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(pixels).tobytes())
        try:
            result = subprocess.run(["tesseract", str(image), "-", "-l", "eng", "tsv"], capture_output=True,
                                    timeout=TIMEOUT, check=False, env=env, cwd=tmp, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as error:
            raise OcrError(f"tesseract did not run ({error})") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed ({message[-1] if message else result.returncode})")
    return parse_tsv(result.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Word rows (level 5) of tesseract's TSV output, in its reading order, blank words left out."""
    rows = tsv.splitlines()
    if not rows or not rows[0].startswith("level\t"):
        raise OcrError("tesseract wrote no TSV header")
    header = rows[0].split("\t")
    words = []
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) < len(header):
            continue
        field = dict(zip(header, cells))
        try:
            if int(field["level"]) != 5 or not field["text"].strip():
                continue
            left, top = int(field["left"]), int(field["top"])
            box = (left, top, left + int(field["width"]), top + int(field["height"]))
            words.append(OcrWord(" ".join(field["text"].split()), float(field["conf"]), box,
                                 (int(field["block_num"]), int(field["par_num"]), int(field["line_num"]))))
        except (KeyError, ValueError) as error:
            raise OcrError(f"tesseract wrote an unexpected row ({error})") from None
    return words


def read_page(path: Path, number: int) -> tuple[list[OcrWord], tuple[int, int]]:
    """The OCR words of page `number` and the (width, height) in pixels of the render they were read on."""
    pixels = render_gray(path, number)
    return tesseract_words(pixels), (pixels.shape[1], pixels.shape[0])


def page_block(number: int, page: Any, words: list[OcrWord], size: tuple[int, int]) -> Block:
    """The words as one upright visible block of lines in default user space, anchored to OcrRefs."""
    box = page.cropbox
    x0, y1 = float(box.left), float(box.top)
    width_px, height_px = size
    scale_x, scale_y = abs(float(box.width)) / width_px, abs(float(box.height)) / height_px
    if int(page.get("/Rotate", 0) or 0) % 180:
        scale_x, scale_y = abs(float(box.height)) / width_px, abs(float(box.width)) / height_px
    groups: dict[tuple[int, int, int], list[tuple[int, OcrWord]]] = {}
    for index, word in enumerate(words):
        groups.setdefault(word.line, []).append((index, word))
    lines = []
    for members in groups.values():
        text: list[str] = []
        anchors: list[Any] = []
        for index, word in members:
            if text:
                text.append(" ")
                anchors.append(None)
            left, top, right, bottom = word.box
            ref = OcrRef(number, index, (left / width_px, top / height_px, right / width_px, bottom / height_px))
            text.extend(word.text)
            anchors.extend([ref] * len(word.text))
        boxes = [word.box for _, word in members]
        top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
        gaps = sorted(b[0] - a[2] for a, b in zip(boxes, boxes[1:]) if b[0] > a[2])
        size_pt = max((bottom - top) * scale_y, 1.0)
        lines.append(TextLine(
            "".join(text), anchors, baseline=y1 - bottom * scale_y, size=size_pt,
            start=x0 + boxes[0][0] * scale_x, end=x0 + max(b[2] for b in boxes) * scale_x,
            first_word=(boxes[0][2] - boxes[0][0]) * scale_x,
            space=gaps[len(gaps) // 2] * scale_x if gaps else 0.25 * size_pt))
    return Block(True, 0, lines)

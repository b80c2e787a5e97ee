"""Read a PDF into a Document, holding any page whose text cannot be trusted.

A page is unsafe when some of its text cannot be decoded, when it has no
text layer but draws images or many paths (a scan, or text as outlines), or
when a large image may show text detection never sees. Unsafe pages are
held (DocumentHeld) or, if the user asked, marked for the raster fallback.

An image-only page (a scan) is read by OCR where tesseract is installed
(`ocr`): its words become the page's text, so detection runs over them, but
the page is still held unless the user asked for the raster fallback, and
held even then when OCR was unsure of any word or could not run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ...errors import DocumentHeld, InputFileError
from ...model import Document
from . import ocr
from .interpreter import LARGE_IMAGE_SHARE, OUTLINE_PATH_LIMIT, PageScan, scan_page
from .layout import PageLayout, assemble, page_layout
from .textmodel import page_blocks

MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
SCAN = "no text layer, only images (a scan?)"


@dataclass
class PdfSource:
    """What the writer needs: the file, its parse, each page's scan, and the pages to rasterise."""

    path: Path
    reader: PdfReader
    scans: list[PageScan]
    rasterise: dict[int, str] = field(default_factory=dict)


def _page_area(page: Any) -> float:
    box = page.cropbox
    return abs(float(box.width) * float(box.height)) or 1.0


def unsafe_reason(scan: PageScan, page: Any) -> str | None:
    """Why this page's text cannot be trusted, or None when it can."""
    if scan.problems:
        return scan.problems[0]
    undecodable = sum(1 for g in scan.glyphs if g.text is None)
    if undecodable:
        return f"{undecodable} glyph(s) cannot be decoded to text"
    has_text = any(g.text and not g.text.isspace() for g in scan.glyphs)
    if not has_text and scan.image_area > 0:
        return SCAN
    if not has_text and scan.path_ops > OUTLINE_PATH_LIMIT:
        return "no text layer but many drawn shapes (text drawn as outlines?)"
    if scan.image_area >= LARGE_IMAGE_SHARE * _page_area(page):
        return "a large image may show text that cannot be read"
    return None


def _open(path: Path) -> PdfReader:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputFileError(f"{path.name}: {size} bytes is more than a report can be ({MAX_BYTES})")
    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise InputFileError(f"{path.name}: not a PDF file")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise InputFileError(f"{path.name}: the PDF is encrypted")
        count = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputFileError(f"{path.name}: corrupt PDF ({exc})") from exc
    if count > MAX_PAGES:
        raise InputFileError(f"{path.name}: {count} pages is more than a report can be ({MAX_PAGES})")
    if count == 0:
        raise InputFileError(f"{path.name}: the PDF has no pages")
    return reader


def _ocr_block(path: Path, number: int, page: Any, mode: str) -> Any:
    """The page's text read by OCR as a block, or None when OCR finds no words; raises when held."""
    try:
        words, size = ocr.read_page(path, number)
    except ocr.OcrError as error:
        raise DocumentHeld(f"{path.name}: page {number} is a scan and OCR could not read it: {error}") from None
    if not words:
        return None
    unsure = [word for word in words if word.confidence < ocr.MIN_CONFIDENCE]
    if unsure:
        lowest = min(word.confidence for word in unsure)
        raise DocumentHeld(f"{path.name}: page {number} is a scan and OCR was unsure of {len(unsure)} word(s) on it "
                           f"(confidence down to {lowest:.0f}, under {ocr.MIN_CONFIDENCE:.0f}); it needs a person")
    if mode != "rasterise":
        raise DocumentHeld(f"{path.name}: page {number} is a scan: its text was read by OCR; "
                           "release with --unsafe-pages rasterise")
    return ocr.page_block(number, page, words, size)


def read_pdf(path: Path, options: dict[str, Any]) -> Document:
    """The text of every page, anchored to glyphs; raises for unsafe pages unless rasterising."""
    reader = _open(path)
    mode = options.get("unsafe_pages", "hold") or "hold"
    source = PdfSource(path, reader, [])
    layouts: list[PageLayout] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            scan = scan_page(reader, page, number)
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
                IndexError, RecursionError) as exc:
            raise InputFileError(f"{path.name}: page {number}: corrupt content ({exc})") from exc
        reason = unsafe_reason(scan, page)
        blocks = page_blocks(scan.glyphs)
        if reason == SCAN and ocr.available():
            block = _ocr_block(path, number, page, mode)
            if block is not None:
                reason, blocks = "a scan: its text was read by OCR", [block]
        if reason and mode != "rasterise":
            raise DocumentHeld(f"{path.name}: page {number}: {reason}")
        if reason:
            source.rasterise[number] = reason
        source.scans.append(scan)
        layouts.append(page_layout(number, page, blocks))
    text, anchors, segments = assemble(layouts)
    notes = [f"page {n} will be rasterised: {why}" for n, why in source.rasterise.items()]
    return Document(source=path, format="pdf", text=text, anchors=anchors, segments=segments,
                    native=source, notes=notes)

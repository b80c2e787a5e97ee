"""PDF reports: find every glyph, remove the redacted ones, rebuild the file clean.

Drawing a box over text that is still there is the classic redaction
failure; this plugin never makes it. The reader interprets content streams
itself to anchor every character of the page text to a glyph; the writer
takes those glyphs out of the content streams, boxes where they were and
copies only the pages into a fresh file; the verifier re-reads the output
with poppler and qpdf. Pages whose text cannot be read are held, or
rasterised when the user asks (``unsafe_pages="rasterise"``); a scanned
page's text is read by OCR where tesseract is installed, and such a page
can only be released rasterised, with boxes burnt over the OCR words.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import hookimpl
from ...model import Document, Replacement
from .interpreter import GlyphRef
from .ocr import OcrRef
from .readback import verify_pdf
from .rebuild import write_pdf
from .reader import read_pdf


@hookimpl
def redactor_read_document(path: Path, options: dict[str, Any]) -> Document | None:
    if path.suffix.lower() != ".pdf":
        return None
    return read_pdf(path, options)


@hookimpl
def redactor_write_document(document: Document, replacements: list[Replacement], statements: list[str],
                            out_path: Path, options: dict[str, Any]) -> list[str] | None:
    if document.format != "pdf":
        return None
    removed: set[GlyphRef | OcrRef] = {document.anchors[i] for rep in replacements for i in range(rep.start, rep.end)
                              if document.anchors[i] is not None}
    return write_pdf(document.native, removed, statements, out_path)


@hookimpl
def redactor_verify_output(path: Path, document_format: str, forbidden: list[str]) -> list[str] | None:
    if document_format != "pdf":
        return None
    return verify_pdf(path, forbidden)

"""Word documents (.docx): read every place text lives, redact in place, scrub the rest.

The reader (`textmodel`) gives each character an anchor to the text element
it came from; the writer re-parses the untouched input, applies replacements
through those anchors (`rewrite`), strips what a reader does not see
(`scrub`) and saves a new file. `readback` checks the output independently.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import hookimpl
from ...model import Document, Replacement
from . import readback
from .package import EditablePackage, open_package
from .rewrite import add_statements, apply_replacements
from .scrub import scrub
from .textmodel import read_text

FORMAT = "docx"
#: Read, so that a macro-enabled file is refused with a reason instead of "unsupported".
SUFFIXES = (".docx", ".docm", ".dotm")


@hookimpl
def redactor_read_document(path: Path, options: dict[str, Any]) -> Document | None:
    if path.suffix.lower() not in SUFFIXES:
        return None
    package = open_package(path)
    text, anchors, segments = read_text(package)
    return Document(source=path, format=FORMAT, text=text, anchors=anchors, segments=segments, native=package)


@hookimpl
def redactor_write_document(document: Document, replacements: list[Replacement], statements: list[str],
                            out_path: Path, options: dict[str, Any]) -> list[str] | None:
    if document.format != FORMAT:
        return None
    pkg = EditablePackage(document.native)
    apply_replacements(pkg, document, replacements)  # first: anchors index the untouched parts
    notes = scrub(pkg, [document.text[r.start:r.end] for r in replacements])
    add_statements(pkg, statements)
    pkg.save(out_path)
    return notes


@hookimpl
def redactor_verify_output(path: Path, document_format: str, forbidden: list[str]) -> list[str] | None:
    if document_format != FORMAT:
        return None
    return readback.verify(path, forbidden)

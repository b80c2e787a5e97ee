"""Plain-text reports (.txt): the simplest format, one anchor per character.

An anchor is the character's offset in the decoded file, so the writer can
rebuild the file from the original string with replacements applied.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import hookimpl
from ..errors import InputFileError
from ..model import Document, Replacement, Segment
from ..verify import surviving

SUFFIXES = (".txt", ".text", ".md")
MAX_BYTES = 20 * 1024 * 1024


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data:
        raise InputFileError(f"{path.name}: not a text file (it holds binary data)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{path.name}: cannot decode the text as UTF-8 or Windows-1252")


@hookimpl
def redactor_read_document(path: Path, options: dict[str, Any]) -> Document | None:
    if path.suffix.lower() not in SUFFIXES:
        return None
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputFileError(f"{path.name}: {len(data)} bytes is more than a report can be ({MAX_BYTES})")
    text = _decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    return Document(source=path, format="txt", text=text, anchors=range(len(text)),
                    segments=[Segment("body", 0, len(text))], native=text)


def apply_replacements(text: str, replacements: list[Replacement]) -> str:
    """`text` with each replacement applied; replacements must not overlap."""
    out, cursor = [], 0
    for rep in sorted(replacements, key=lambda r: r.start):
        out.append(text[cursor:rep.start])
        out.append(rep.label)
        cursor = rep.end
    out.append(text[cursor:])
    return "".join(out)


@hookimpl
def redactor_write_document(document: Document, replacements: list[Replacement], statements: list[str],
                            out_path: Path, options: dict[str, Any]) -> list[str] | None:
    if document.format != "txt":
        return None
    body = apply_replacements(document.native, replacements)
    header = "".join(f"{line}\n" for line in statements)
    out_path.write_text(header + ("\n" if header else "") + body, encoding="utf-8")
    return []


@hookimpl
def redactor_verify_output(path: Path, document_format: str, forbidden: list[str]) -> list[str] | None:
    if document_format != "txt":
        return None
    return surviving(path.read_bytes().decode("utf-8", "replace"), forbidden)

"""Verify a written PDF by routes that share no code with the reader or writer.

PDFium's own text extraction (pypdfium2, always installed), poppler's
pdftotext (reading order and raw order), pdfinfo's metadata, and every
literal and hex string in the file as qpdf decompresses it. The poppler and
qpdf routes are skipped where those tools are not installed; PDFium is
never skipped, so a release is never verified by nothing. What they find is
matched against the removed strings by `redactor.verify.surviving`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import DocumentHeld
from ...verify import surviving

TIMEOUT = 300
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)
_HEX = re.compile(rb"(?<!<)<([0-9A-Fa-f\s]+)>(?!>)")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _run(args: list[str]) -> str:
    if shutil.which(args[0]) is None:
        return ""
    try:
        return subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False).stdout.decode("utf-8",
                                                                                                     "replace")
    except (OSError, subprocess.SubprocessError):
        return ""


def _unescape(body: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        token = match.group(1)
        if token[:1] in b"01234567":  # an octal escape; "\\8" and "\\9" stand for themselves
            return bytes([int(token, 8) & 0xFF])
        return _ESCAPES.get(token, token if token != b"\n" else b"")
    return re.sub(rb"\\([0-7]{1,3}|.)", one, body, flags=re.S)


def _as_text(raw: bytes) -> str:
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16", "replace")
    return raw.decode("latin-1")


def file_strings(path: Path) -> str:
    """Every literal and hex string of the decompressed file, decoded as text."""
    if shutil.which("qpdf") is None:
        return ""
    with tempfile.TemporaryDirectory() as tmp:
        flat = Path(tmp) / "flat.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(flat)],
                       capture_output=True, timeout=TIMEOUT, check=False)
        if not flat.exists():
            return ""
        data = flat.read_bytes()
    found = [_as_text(_unescape(m.group(0)[1:-1])) for m in _LITERAL.finditer(data)]
    for match in _HEX.finditer(data):
        digits = re.sub(rb"\s", b"", match.group(1))
        found.append(_as_text(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())))
    return "\n".join(found)


def pdfium_text(path: Path) -> str:
    """Every page's text as PDFium extracts it; raises DocumentHeld if PDFium cannot read the file."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        raise DocumentHeld(f"{path.name}: the written PDF cannot be re-read for verification ({error})") from None
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def verify_pdf(path: Path, forbidden: list[str]) -> list[str]:
    """The strings of `forbidden` that any independent route still finds in the file."""
    texts = [pdfium_text(path),
             _run(["pdftotext", "-enc", "UTF-8", str(path), "-"]),
             _run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"]),
             _run(["pdfinfo", "-meta", str(path)]),
             file_strings(path)]
    return surviving("\n".join(texts), forbidden)

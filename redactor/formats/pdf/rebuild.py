"""Write the redacted PDF from scratch: pages only, with an allow-list of keys.

Nothing is written incrementally and nothing is copied wholesale, so the
document-level places text hides (Info, XMP, outlines, attachments,
JavaScript, open actions, forms, page labels, the structure tree) and the
page-level ones (annotations, thumbnails, piece info) are absent by
construction. Metadata, piece info, marked-content properties and optional
content references are dropped from every resource copied across.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject, NumberObject

from .interpreter import GlyphRef, PageScan
from .ocr import OcrRef
from .raster import raster_page
from .reader import PdfSource
from .rewrite import Op, box_quads, boxes_content, rewrite_ops
from .stamp import add_stream, statement_content

PAGE_BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
#: Keys never copied from any resource, at any depth.
DROPPED_KEYS = ["/Metadata", "/PieceInfo", "/Properties", "/OC", "/StructParent", "/StructParents"]


def _serialise(ops: list[Op]) -> bytes:
    stream = ContentStream(None, None)
    stream.operations = ops
    return stream.get_data()


def _own_resources(resources: DictionaryObject | None, writer: PdfWriter) -> DictionaryObject:
    """A private copy of a resource dictionary, with its own /Font and /XObject maps to add to."""
    cloned = resources.clone(writer, ignore_fields=DROPPED_KEYS) if resources is not None else DictionaryObject()
    own = DictionaryObject({NameObject(k): v for k, v in cloned.get_object().items()})
    for key in ("/Font", "/XObject"):
        inner = own.get(key)
        own[NameObject(key)] = DictionaryObject(inner.get_object().items()) if inner is not None \
            else DictionaryObject()
    return own


def _prune_xobjects(resources: DictionaryObject, ops: list[Op]) -> None:
    """Forget XObjects a rewritten stream no longer draws, so a replaced original is not written."""
    drawn = {str(operands[0]) for operands, op in ops if op == b"Do"}
    names = resources["/XObject"]
    for name in [n for n in names if n not in drawn]:
        del names[name]


def _fresh_name(names: DictionaryObject, stem: str) -> str:
    number = len(names)
    while f"/{stem}{number}" in names:
        number += 1
    return f"/{stem}{number}"


class _PageWriter:
    """Rewrites one page's streams into the writer, copying each changed form per use."""

    def __init__(self, writer: PdfWriter, scan: PageScan, removed: set[GlyphRef]) -> None:
        self.writer = writer
        self.scan = scan
        self.removed = removed
        self.resources = {(): _own_resources(scan.resources[()], writer)} if () in scan.resources \
            else {(): DictionaryObject({NameObject("/Font"): DictionaryObject(),
                                        NameObject("/XObject"): DictionaryObject()})}

    def place_form(self, uses: tuple[int, ...], ops: list[Op]) -> str:
        """Add a rewritten copy of the form drawn at `uses`; return the name its parent draws."""
        form = self.scan.forms[uses]
        own = self.resources[uses] = _own_resources(form.get("/Resources"), self.writer)
        entries = {k: v.clone(self.writer, ignore_fields=DROPPED_KEYS) for k, v in form.items()
                   if k not in ("/Length", "/Filter", "/DecodeParms", "/Resources", *DROPPED_KEYS)}
        entries["/Resources"] = own
        _prune_xobjects(own, ops)
        ref = add_stream(self.writer, _serialise(ops), entries)
        parent = self.resources[uses[:-1]]["/XObject"]
        name = _fresh_name(parent, "RedactorForm")
        parent[NameObject(name)] = ref
        return name

    def content(self) -> bytes:
        ops, _ = rewrite_ops(self.scan, (), self.removed, self.place_form) if () in self.scan.streams \
            else ([], False)
        _prune_xobjects(self.resources[()], ops)
        return b"q\n" + _serialise(ops) + b"\nQ\n" + boxes_content(box_quads(self.scan, self.removed))


def _new_page(writer: PdfWriter, page: Any) -> Any:
    """A blank page in the writer carrying only the allow-listed geometry keys of `page`."""
    media = page.mediabox
    out = writer.add_blank_page(float(media.width), float(media.height))
    for key in PAGE_BOXES:
        if key in page:
            out[NameObject(key)] = ArrayObject(FloatObject(float(v)) for v in page[key])
    if page.get("/Rotate"):
        out[NameObject("/Rotate")] = NumberObject(int(page["/Rotate"]) % 360)
    return out


def write_pdf(source: PdfSource, removed: set[GlyphRef | OcrRef], statements: list[str], out_path: Path) -> list[str]:
    """Write the redacted copy of `source` to `out_path`; return notes for the report."""
    writer = PdfWriter()
    notes: list[str] = []
    glyphs = {ref for ref in removed if isinstance(ref, GlyphRef)}
    for index, page in enumerate(source.reader.pages):
        scan = source.scans[index]
        first = index == 0
        if scan.number in source.rasterise:
            raster_page(writer, source, scan, removed, statements if first else [])
            notes.append(f"page {scan.number} rasterised ({source.rasterise[scan.number]})")
            continue
        out = _new_page(writer, page)
        builder = _PageWriter(writer, scan, glyphs)
        data = builder.content()
        resources = builder.resources[()]
        if first and statements:
            data += statement_content(out, resources, statements)
        out[NameObject("/Resources")] = resources
        out[NameObject("/Contents")] = add_stream(writer, data, {})
    if glyphs:
        notes.append(f"{len(glyphs)} glyph(s) removed from the PDF text")
    words = len(removed) - len(glyphs)
    if words:
        notes.append(f"{words} OCR word(s) boxed out of scanned pages")
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with out_path.open("wb") as handle:
        writer.write(handle)
    return notes

"""The raster fallback: a page whose text cannot be trusted becomes a picture of itself.

The page is rendered without annotations or form fields, black boxes are
burnt into the pixels over every removed glyph and over every glyph that
could not be decoded (what detection could not read cannot be released),
and the output page holds that image and nothing else: no text layer, no
fonts, so nothing under the boxes survives. On a scan read by OCR the boxes
go over the whole of every OCR word any removed character is in, grown by
`OCR_PAD` of the word's height.
"""
from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject

from .interpreter import GlyphRef, PageScan
from .ocr import OcrRef
from .reader import PdfSource
from .stamp import add_stream, statement_content

DPI = 150
MARGIN_PX = 2
#: OCR word boxes hug the ink; each is grown by this share of its height on every side.
OCR_PAD = 0.15


def _to_pixels(box: tuple[float, float, float, float], rotate: int, scale: float):
    """Map default user space to pixel space of pdfium's rendering of the crop box."""
    x0, y0, x1, y1 = box

    def convert(x: float, y: float) -> tuple[float, float]:
        if rotate == 90:
            return (y - y0) * scale, (x - x0) * scale
        if rotate == 180:
            return (x1 - x) * scale, (y - y0) * scale
        if rotate == 270:
            return (y1 - y) * scale, (x1 - x) * scale
        return (x - x0) * scale, (y1 - y) * scale
    return convert


def _fill_quad(pixels: np.ndarray, quad: list[tuple[float, float]]) -> None:
    """Paint a convex quadrilateral (pixel coordinates) black, grown by a small margin."""
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    left, right = max(int(min(xs)) - MARGIN_PX, 0), min(int(max(xs)) + MARGIN_PX + 1, pixels.shape[1])
    top, bottom = max(int(min(ys)) - MARGIN_PX, 0), min(int(max(ys)) + MARGIN_PX + 1, pixels.shape[0])
    if left >= right or top >= bottom:
        return
    gy, gx = np.mgrid[top:bottom, left:right].astype(float) + 0.5
    cx, cy = sum(xs) / 4, sum(ys) / 4
    inside = np.ones(gx.shape, dtype=bool)
    for (ax, ay), (bx, by) in zip(quad, quad[1:] + quad[:1]):
        length = float(np.hypot(bx - ax, by - ay)) or 1.0
        side = lambda px, py: ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / length  # noqa: E731
        sign = 1.0 if side(cx, cy) >= 0 else -1.0
        inside &= sign * side(gx, gy) >= -MARGIN_PX
    pixels[top:bottom, left:right][inside] = 0


def raster_page(writer: PdfWriter, source: PdfSource, scan: PageScan, removed: set[GlyphRef | OcrRef],
                statements: list[str]) -> None:
    """Add to `writer` an image-only copy of page `scan.number` with the redactions burnt in."""
    document = pdfium.PdfDocument(str(source.path))
    try:
        page = document[scan.number - 1]
        scale = DPI / 72
        bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False, rev_byteorder=True)
        pixels = np.array(bitmap.to_numpy()[:, :, :3], dtype=np.uint8)
        crop = page.get_cropbox()
        convert = _to_pixels(crop, page.get_rotation() % 360, scale)
    finally:
        document.close()
    for glyph in scan.glyphs:
        if glyph.ref in removed or glyph.text is None:
            _fill_quad(pixels, [convert(*point) for point in glyph.quad])
    height, width = pixels.shape[:2]
    for ref in removed:
        if isinstance(ref, OcrRef) and ref.page == scan.number:
            left, top, right, bottom = ref.box
            pad = OCR_PAD * (bottom - top)
            left, right = (left - pad * height / width) * width, (right + pad * height / width) * width
            top, bottom = (top - pad) * height, (bottom + pad) * height
            _fill_quad(pixels, [(left, bottom), (right, bottom), (right, top), (left, top)])
    image = add_stream(writer, pixels.tobytes(), {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"), "/Width": NumberObject(width),
        "/Height": NumberObject(height), "/ColorSpace": NameObject("/DeviceRGB"),
        "/BitsPerComponent": NumberObject(8)})
    w_pt, h_pt = width / scale, height / scale
    out = writer.add_blank_page(w_pt, h_pt)
    resources = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject("/RedactorPage"): image}),
        NameObject("/Font"): DictionaryObject()})
    data = f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /RedactorPage Do Q\n".encode()
    if statements:
        data += statement_content(out, resources, statements)
    out[NameObject("/Resources")] = resources
    out[NameObject("/Contents")] = add_stream(writer, data, {})

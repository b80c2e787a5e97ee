"""Hand-built PDFs for the PDF format tests: every place a PDF hides a name.

Content streams are written out by hand and wrapped with pypdf, so the tests
need no PDF-making library and no corpus files. Fonts are the standard
Helvetica pair (no embedded program needed) plus one font whose ToUnicode
map gives codes 1 and 2 their own meaning, as subset fonts do.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.annotations import Text
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, TextStringObject)
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

NAME = "Margaret Ellison"
A4 = (595.0, 842.0)


def helvetica_width(text: str, size: float) -> float:
    widths = CORE_FONT_METRICS["Helvetica"].character_widths
    return sum(widths.get(ch, widths["default"]) for ch in text) * size / 1000


def _stream(writer: PdfWriter, data: bytes, entries: dict | None = None):
    stream = DecodedStreamObject()
    for key, value in (entries or {}).items():
        stream[NameObject(key)] = value
    stream.set_data(data)
    return writer._add_object(stream)


def _font(base: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject(base),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})


def _mapped_font(writer: PdfWriter) -> DictionaryObject:
    """Helvetica with codes 1 and 2 remapped by ToUnicode to 'á' and a curly apostrophe."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"2 beginbfchar <01> <00E1> <02> <2019> endbfchar\n"
            b"1 beginbfrange <20> <7E> <0020> endbfrange\nendcmap end end\n")
    widths = CORE_FONT_METRICS["Helvetica"].character_widths
    row = [FloatObject(widths.get(chr(c), widths["default"])) for c in range(128)]
    row[1], row[2] = FloatObject(widths["a"]), FloatObject(222.0)
    font = _font("/Helvetica")
    font.update({NameObject("/FirstChar"): NumberObject(0), NameObject("/LastChar"): NumberObject(127),
                 NameObject("/Widths"): ArrayObject(row), NameObject("/ToUnicode"): _stream(writer, cmap)})
    return font


def make_pdf(path: Path, pages: list[bytes], *, form: bytes | None = None, image_page: int | None = None,
             extra_fonts: dict[str, DictionaryObject] | None = None, junk: bool = False,
             encrypt: str | None = None) -> Path:
    """Write a PDF whose pages draw `pages` (content streams) with fonts /F1 /F2 /F3 and form /Fm1."""
    writer = PdfWriter()
    fonts = DictionaryObject({NameObject("/F1"): _font("/Helvetica"), NameObject("/F2"): _font("/Helvetica-Bold"),
                              NameObject("/F3"): _mapped_font(writer)})
    for name, font in (extra_fonts or {}).items():
        fonts[NameObject(name)] = font
    font_ref = writer._add_object(fonts)
    xobjects = DictionaryObject()
    if form is not None:
        xobjects[NameObject("/Fm1")] = _stream(writer, form, {
            "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
            "/BBox": ArrayObject([FloatObject(0), FloatObject(0), FloatObject(A4[0]), FloatObject(A4[1])]),
            "/Resources": DictionaryObject({NameObject("/Font"): font_ref}),
            "/Metadata": _stream(writer, b"<x:xmpmeta>Margaret Ellison</x:xmpmeta>")})
    for index, content in enumerate(pages):
        page = writer.add_blank_page(*A4)
        resources = DictionaryObject({NameObject("/Font"): font_ref, NameObject("/XObject"): xobjects})
        if image_page == index:
            gray = bytes([200]) * (40 * 40)
            resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im1"): _stream(writer, gray, {
                "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"), "/Width": NumberObject(40),
                "/Height": NumberObject(40), "/ColorSpace": NameObject("/DeviceGray"),
                "/BitsPerComponent": NumberObject(8)})})
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = _stream(writer, content)
        if junk:
            page[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/App"): DictionaryObject(
                {NameObject("/Private"): TextStringObject(NAME)})})
    if junk:
        writer.add_metadata({"/Title": f"Report on {NAME}", "/Subject": "14 Rowan Close"})
        writer._root_object[NameObject("/Metadata")] = _stream(writer, f"<x:xmpmeta>{NAME}</x:xmpmeta>".encode(),
                                                              {"/Type": NameObject("/Metadata")})
        writer.add_outline_item(title=f"Statement of {NAME}", page_number=0)
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(f"app.alert('{NAME}');")})
        writer.add_attachment("ellison.txt", f"Statement of {NAME}, 14 Rowan Close".encode())
        writer.add_annotation(0, Text(rect=(400, 700, 420, 720), text=f"Check {NAME} is HIV positive"))
    if encrypt:
        writer.encrypt(encrypt)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _per_glyph(text: str, x: float, y: float, size: float = 11) -> bytes:
    """One BT block per glyph, each placed with its own Tm, as some generators do."""
    out = []
    for ch in text:
        out.append(b"BT /F1 %g Tf 1 0 0 1 %.3f %g Tm (%s) Tj ET" % (size, x, y, ch.encode("cp1252")))
        x += helvetica_width(ch, size)
    return b"\n".join(out)


def hidden_places_pdf(path: Path, junk: bool = True, actual_text: bool = True) -> Path:
    """Two pages hiding NAME in every way a content stream can, plus document-level junk.

    Without `actual_text` the tagged line is drawn untagged, so text extractors report
    what is drawn there (they otherwise report the tag's replacement text).
    """
    tag, end_tag = (b"/Span <</ActualText (Margaret Ellison)>> BDC ", b" EMC") if actual_text else (b"", b"")
    hex_text = b"Hex: Margaret Ellison trailing".hex().encode()
    page1 = b"\n".join([
        b"BT /F1 11 Tf 72 800 Td (Plain: the neighbour Margaret Ellison lives at 14 Rowan Close.) Tj ET",
        b"BT /F1 11 Tf 72 780 Td (Switch: Margaret ) Tj /F2 11 Tf (Ellison) Tj /F1 11 Tf ( this stays.) Tj ET",
        _per_glyph("Per glyph: Margaret Ellison was seen.", 72, 760),
        b"BT /F1 11 Tf 72 740 Td [(Kerning: Mar) 20 (garet El) -15 (lison) -250 (said this stays.)] TJ ET",
        b"BT /F1 11 Tf 14 TL 72 720 Td (Quotes first line) Tj (Witness Margaret Ellison, line two stays) ' "
        b"3 0.4 (Doublequote: Margaret Ellison then tail) \" ET",
        b"BT /F1 11 Tf 0.6 Tc 4 Tw 85 Tz 72 660 Td (Spacing: Margaret Ellison and trailing words) Tj ET",
        b"BT /F1 11 Tf 72 640 Td <" + hex_text + b"> Tj ET",
        b"q BT 3 Tr /F1 11 Tf 72 620 Td (Invisible: Margaret Ellison is HIV positive) Tj ET Q",
        tag + b"BT /F1 11 Tf 72 600 Td (ActualText: M.E.) Tj ET" + end_tag,
        b"q 0.9397 0.342 -0.342 0.9397 300 520 cm BT /F1 11 Tf 0 0 Td (Rotated: Margaret Ellison tail) Tj ET Q",
        b"q 1 0 0 1 72 480 cm /Fm1 Do Q",
        b"q 1 0 0 1 72 460 cm /Fm1 Do Q",
        b"BT /F1 11 Tf 72 440 Td (Broken: the witness Margaret) Tj 0 -13 Td (Ellison confirmed. Stays.) Tj ET",
    ])
    page2 = b"BT /F3 12 Tf 72 800 Td (Mapped: Siobh\\001n O\\002Neill of 14 Rowan Close, BS5 7QT.) Tj ET"
    form = b"BT /F1 10 Tf 0 0 Td (Form: Margaret Ellison inside form) Tj ET"
    return make_pdf(path, [page1, page2], form=form, junk=junk)


def wrap(text: str, width: float, size: float = 11) -> list[str]:
    """Greedy word wrap in Helvetica, as a word processor does; a hyphenated word may break after its hyphen."""
    tokens: list[tuple[str, str]] = []  # (joiner before, token)
    for word in text.split():
        parts = word.split("-")
        for i, part in enumerate(parts):
            tokens.append((" " if i == 0 else "", part + ("-" if i < len(parts) - 1 else "")))
    lines: list[str] = []
    for joiner, token in tokens:
        if lines and helvetica_width(lines[-1] + joiner + token, size) <= width:
            lines[-1] += joiner + token
        else:
            lines.append(token)
    return lines


def text_lines(lines: list[str], x: float, y: float, size: float = 11, leading: float = 14) -> bytes:
    """One BT block drawing `lines` downwards from baseline y."""
    out = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, leading, x, y)]
    for i, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
        out.append((b"(%s) Tj" if i == 0 else b"(%s) '") % escaped)
    out.append(b"ET")
    return b" ".join(out)


RUNNING_HEADER = f"Safe Haven | Statement of {NAME} | DOB 01/02/1960"
HYPHEN_PARAGRAPH = ("Margaret Ellison told me that she has been sleeping badly since the move last spring, and that "
                    "in the autumn her doctor diagnosed her with post-traumatic stress disorder after the fire at "
                    "her old flat.")
SPACE_PARAGRAPH = ("She asked me to say that she does not want anyone from the council to contact her at home, and "
                   "that her sister Joan should not be told where she is living now.")


def running_furniture_pdf(path: Path, width: float = 370) -> Path:
    """Three pages with a running header and a numbered footer; two sentences run across page breaks.

    Page 1 ends inside HYPHEN_PARAGRAPH on a word broken at its hyphen ("post-|traumatic"); page 2
    ends inside SPACE_PARAGRAPH between two words; every page has the header at the top and
    "Page N of 3" at the bottom, far from the body.
    """
    first = wrap(HYPHEN_PARAGRAPH, width)
    cut = next(i for i, line in enumerate(first) if line.endswith("post-")) + 1
    second = wrap(SPACE_PARAGRAPH, width)
    furniture = [text_lines([RUNNING_HEADER], 72, 800) + b"\n" + text_lines([f"Page {n} of 3"], 72, 40)
                 for n in (1, 2, 3)]
    page1 = text_lines(["Safe Haven, 3 Mill Lane, Bristol BS1 4AA."], 72, 740) + b"\n" + \
        text_lines(first[:cut], 72, 100 + 14 * (cut - 1))
    page2 = text_lines(first[cut:], 72, 740) + b"\n" + text_lines(second[:2], 72, 114)
    page3 = text_lines(second[2:], 72, 740) + b"\n" + text_lines(["Yours sincerely,"], 72, 700)
    return make_pdf(path, [f + b"\n" + p for f, p in zip(furniture, [page1, page2, page3])])


#: A scanned letter: the name in a sentence among words that must survive.
SCAN_LINES = [b"Support plan review", b"We met Margaret Ellison at the day centre on Tuesday.",
              b"The housing officer will visit the family next month."]


def scanned_pdf(path: Path, lines: list[bytes] = SCAN_LINES, dpi: int = 200) -> Path:
    """An image-only page showing `lines`: a text page rendered to pixels, wrapped as a DeviceGray image."""
    import pypdfium2
    import zlib

    content = b"\n".join(b"BT /F1 14 Tf 72 %d Td (%s) Tj ET" % (760 - 28 * i, line) for i, line in enumerate(lines))
    text_pdf = make_pdf(path.with_suffix(".text.pdf"), [content])
    document = pypdfium2.PdfDocument(str(text_pdf))
    try:
        bitmap = document[0].render(scale=dpi / 72, grayscale=True)
        pixels = bitmap.to_numpy()
        pixels = pixels.reshape(pixels.shape[0], pixels.shape[1], -1)[:, :, 0].copy()
    finally:
        document.close()
    text_pdf.unlink()
    height, width = pixels.shape
    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    image = DecodedStreamObject()
    image._data = zlib.compress(pixels.tobytes())
    for key, value in {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"),
                       "/Width": NumberObject(width), "/Height": NumberObject(height),
                       "/ColorSpace": NameObject("/DeviceGray"), "/BitsPerComponent": NumberObject(8),
                       "/Filter": NameObject("/FlateDecode")}.items():
        image[NameObject(key)] = value
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject("/Scan"): writer._add_object(image)})})
    page[NameObject("/Contents")] = _stream(writer, b"q %g 0 0 %g 0 0 cm /Scan Do Q" % A4)
    with path.open("wb") as handle:
        writer.write(handle)
    return path

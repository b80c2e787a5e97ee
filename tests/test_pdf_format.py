"""The PDF format plugin: names found wherever a PDF hides them, removed, nothing else moved."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import DictionaryObject, NameObject

from redactor.errors import DocumentHeld, InputFileError
from redactor.formats import pdf as plugin
from redactor.model import Document, Replacement
from redactor.verify import surviving

from pdf_fixtures import (HYPHEN_PARAGRAPH, NAME, RUNNING_HEADER, SPACE_PARAGRAPH, helvetica_width, hidden_places_pdf,
                          make_pdf, running_furniture_pdf, scanned_pdf, text_lines, wrap)

TARGETS = [NAME, "14 Rowan Close", "BS5 7QT", "HIV positive", "Siobhán O’Neill"]
CONTROLS = ["this stays", "trailing words", "then tail", "confirmed. Stays.", "inside form", "Mapped:"]


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")


def _find(text: str, target: str) -> list[tuple[int, int]]:
    pattern = r"\s+".join(re.escape(word) for word in target.replace("’", "'").split())
    folded = text.replace("’", "'")
    return [m.span() for m in re.finditer(pattern, folded, re.IGNORECASE)]


def _redact(document: Document, targets: list[str], out: Path, statements: list[str] | None = None,
            only_first: bool = False) -> list[str]:
    spans = sorted({span for target in targets for span in _find(document.text, target)})
    if only_first:
        spans = spans[:1]
    replacements = [Replacement(start, end, "[Redacted]") for start, end in spans]
    return plugin.redactor_write_document(document, replacements, statements or [], out, {})


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True).stdout


@pytest.fixture()
def hidden(tmp_path: Path) -> Path:
    return hidden_places_pdf(tmp_path / "in.pdf")


def test_answers_only_for_pdf(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("hello")
    assert plugin.redactor_read_document(text, {}) is None
    document = Document(source=text, format="txt", text="x", anchors=[0])
    assert plugin.redactor_write_document(document, [], [], tmp_path / "o.txt", {}) is None
    assert plugin.redactor_verify_output(text, "txt", ["x"]) is None


def test_reads_every_hidden_place_as_text(hidden: Path) -> None:
    document = plugin.redactor_read_document(hidden, {})
    assert [s.name for s in document.segments] == ["body", "page 1 rotated text", "page 1 invisible text"]
    # plain, font switch, per glyph, kerning, ', ", Tc/Tw/Tz, hex, invisible, rotated, form x2, broken line
    assert len(_find(document.text, NAME)) == 13
    assert _find(document.text, "Siobhán O’Neill") and _find(document.text, "BS5 7QT")
    for start, end in _find(document.text, NAME):
        assert any(a is None for a in document.anchors[start:end]) or document.text[start:end] == NAME
    assert "ActualText: M.E." in document.text  # what is drawn, not what the tag claims


def test_redaction_removes_text_everywhere_and_keeps_the_rest(hidden: Path, tmp_path: Path) -> None:
    _needs("pdftotext")
    out = tmp_path / "out.pdf"
    notes = _redact(plugin.redactor_read_document(hidden, {}), TARGETS, out, ["CONFIDENTIAL"])
    assert any("removed" in note for note in notes)
    assert plugin.redactor_verify_output(out, "pdf", TARGETS) == []
    reader = pypdf.PdfReader(str(out))
    extracted = " ".join(page.extract_text() for page in reader.pages)
    assert surviving(extracted, TARGETS) == []
    plain = _pdftotext(out)
    for control in CONTROLS:
        assert control in plain
    assert plain.lstrip().startswith("CONFIDENTIAL")


def test_document_level_hiding_places_are_gone(hidden: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    _redact(plugin.redactor_read_document(hidden, {}), TARGETS, out)
    reader = pypdf.PdfReader(str(out))
    root = reader.trailer["/Root"]
    for key in ("/Metadata", "/Outlines", "/Names", "/OpenAction", "/AcroForm", "/StructTreeRoot", "/PageLabels"):
        assert key not in root
    for page in reader.pages:
        assert set(page.keys()) <= {"/Type", "/Parent", "/Contents", "/Resources", "/MediaBox", "/CropBox",
                                    "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"}
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            assert "/Metadata" not in xobject.get_object()
    assert NAME.encode() not in out.read_bytes()
    assert surviving(str(reader.metadata or ""), TARGETS) == []


def _char_boxes(path: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every character pdfium finds, with its box: a reader that shares nothing with ours."""
    import pypdfium2 as pdfium
    out = []
    document = pdfium.PdfDocument(str(path))
    for page in document:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char.strip():
                out.append((char, textpage.get_charbox(i)))
    return out


def test_surviving_glyphs_do_not_move(tmp_path: Path) -> None:
    hidden = hidden_places_pdf(tmp_path / "in.pdf", actual_text=False)
    out = tmp_path / "out.pdf"
    _redact(plugin.redactor_read_document(hidden, {}), TARGETS, out)
    before = _char_boxes(hidden)
    after = _char_boxes(out)
    assert 0 < len(after) < len(before)
    for char, box in after:
        assert any(char == other and all(abs(a - b) <= 0.5 for a, b in zip(box, place))
                   for other, place in before), (char, box)


def test_form_drawn_twice_is_redacted_per_use(hidden: Path, tmp_path: Path) -> None:
    _needs("pdftotext")
    document = plugin.redactor_read_document(hidden, {})
    spans = [s for s in _find(document.text, NAME) if "inside form" in document.text[s[1]:s[1] + 14]]
    assert len(spans) == 2
    out = tmp_path / "out.pdf"
    start, end = spans[0]
    plugin.redactor_write_document(document, [Replacement(start, end, "[X]")], [], out, {})
    assert _pdftotext(out).count(f"{NAME} inside form") == 1


def test_boxes_cover_the_removed_glyphs(hidden: Path, tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    document = plugin.redactor_read_document(hidden, {})
    out = tmp_path / "out.pdf"
    _redact(document, ["Plain: the neighbour Margaret Ellison"], out)
    glyph = next(g for g in document.native.scans[0].glyphs if g.text == "M")
    (x0, y0), _, (x1, y1), _ = glyph.quad
    page = pdfium.PdfDocument(str(out))[0]
    pixels = page.render(scale=1).to_numpy()
    height = pixels.shape[0]
    centre = pixels[int(height - (y0 + y1) / 2), int((x0 + x1) / 2)]
    assert int(centre[:3].max()) < 60


def test_image_only_page_is_held(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [b"BT /F1 11 Tf 72 800 Td (Cover page) Tj ET",
                                            b"q 595 0 0 842 0 0 cm /Im1 Do Q"], image_page=1)
    with pytest.raises(DocumentHeld, match="page 2"):
        plugin.redactor_read_document(path, {})
    with pytest.raises(DocumentHeld):
        plugin.redactor_read_document(path, {"unsafe_pages": "hold"})


def test_undecodable_and_vertical_fonts_are_held(tmp_path: Path) -> None:
    symbolic = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject(
        "/TrueType"), NameObject("/BaseFont"): NameObject("/ABCDEF+Secret"), NameObject("/FirstChar"): pypdf.generic
        .NumberObject(0), NameObject("/Widths"): pypdf.generic.ArrayObject([pypdf.generic.NumberObject(500)] * 256),
        NameObject("/FontDescriptor"): DictionaryObject({NameObject("/Flags"): pypdf.generic.NumberObject(4)})})
    vertical = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject(
        "/Type0"), NameObject("/BaseFont"): NameObject("/V"), NameObject("/Encoding"): NameObject("/Identity-V"),
        NameObject("/DescendantFonts"): pypdf.generic.ArrayObject([DictionaryObject()])})
    for name, font in (("/S1", symbolic), ("/V1", vertical)):
        path = make_pdf(tmp_path / "f.pdf", [f"BT {name} 11 Tf 72 800 Td <0102> Tj ET".encode()],
                        extra_fonts={name: font})
        with pytest.raises(DocumentHeld, match="page 1"):
            plugin.redactor_read_document(path, {})


def test_rasterise_makes_an_image_only_page(tmp_path: Path) -> None:
    _needs("pdftotext")
    path = make_pdf(tmp_path / "scan.pdf", [b"BT /F1 11 Tf 72 800 Td (Cover for Margaret Ellison) Tj ET",
                                            b"q 595 0 0 842 0 0 cm /Im1 Do Q "
                                            b"BT 3 Tr /F1 11 Tf 72 700 Td (OCR: Margaret Ellison) Tj ET"],
                    image_page=1)
    document = plugin.redactor_read_document(path, {"unsafe_pages": "rasterise"})
    out = tmp_path / "out.pdf"
    notes = _redact(document, [NAME], out)
    assert any("page 2 rasterised" in note for note in notes)
    page = pypdf.PdfReader(str(out)).pages[1]
    assert "/Font" not in page["/Resources"] or not page["/Resources"]["/Font"]
    assert [x.get_object()["/Subtype"] for x in page["/Resources"]["/XObject"].values()] == ["/Image"]
    assert _pdftotext(out, "-f", "2", "-l", "2").strip() == ""
    assert plugin.redactor_verify_output(out, "pdf", [NAME]) == []


def test_encrypted_and_corrupt_inputs_are_refused(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", [b"BT /F1 11 Tf 72 800 Td (x) Tj ET"], encrypt="secret")
    with pytest.raises(InputFileError, match="encrypted"):
        plugin.redactor_read_document(locked, {})
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(InputFileError):
        plugin.redactor_read_document(broken, {})
    not_pdf = tmp_path / "note.pdf"
    not_pdf.write_text("just text")
    with pytest.raises(InputFileError):
        plugin.redactor_read_document(not_pdf, {})


def test_verifier_finds_text_left_in_the_file(hidden: Path) -> None:
    _needs("pdftotext")
    assert NAME in plugin.redactor_verify_output(hidden, "pdf", [NAME, "nowhere to be found"])


def _segments(document: Document) -> list[tuple[str, str]]:
    return [(s.name, document.text[s.start:s.end]) for s in document.segments]


def test_running_header_and_footer_are_set_apart_after_the_body(tmp_path: Path) -> None:
    document = plugin.redactor_read_document(running_furniture_pdf(tmp_path / "in.pdf"), {})
    segments = _segments(document)
    assert [name for name, _ in segments] == ["body"] + ["header", "footer"] * 3
    body = segments[0][1]
    assert body.startswith("Safe Haven, 3 Mill Lane") and body.endswith("Yours sincerely,")
    assert "DOB" not in body and "Page" not in body
    assert [text for name, text in segments if name == "header"] == [RUNNING_HEADER] * 3
    assert [text for name, text in segments if name == "footer"] == [f"Page {n} of 3" for n in (1, 2, 3)]
    # every copy is anchored to its own page's glyphs, so every copy is redacted
    for page, segment in enumerate(s for s in document.segments if s.name == "header"):
        refs = document.anchors[segment.start:segment.end]
        assert all(ref is not None and ref.page == page + 1 or ch == " "
                   for ch, ref in zip(document.text[segment.start:segment.end], refs))


def test_sentences_run_on_across_page_breaks(tmp_path: Path) -> None:
    document = plugin.redactor_read_document(running_furniture_pdf(tmp_path / "in.pdf"), {})
    body = _segments(document)[0][1]
    assert body.split("\n\n") == ["Safe Haven, 3 Mill Lane, Bristol BS1 4AA.", HYPHEN_PARAGRAPH, SPACE_PARAGRAPH,
                                    "Yours sincerely,"]
    hyphen = document.text.index("post-traumatic")
    assert None not in document.anchors[hyphen:hyphen + len("post-traumatic")]  # the hyphen is the page's own
    page_two_end = wrap(SPACE_PARAGRAPH, 370)[1]
    space = document.text.index(page_two_end) + len(page_two_end)
    assert document.text[space] == " "
    assert document.anchors[space] is None  # synthesised: nothing to remove in the file


def test_every_copy_of_the_running_header_is_redacted(tmp_path: Path) -> None:
    _needs("pdftotext")
    document = plugin.redactor_read_document(running_furniture_pdf(tmp_path / "in.pdf"), {})
    assert len(_find(document.text, NAME)) == 4
    out = tmp_path / "out.pdf"
    _redact(document, [NAME], out)
    plain = _pdftotext(out)
    assert NAME not in plain and plain.count("Safe Haven | Statement of") == 3
    assert plugin.redactor_verify_output(out, "pdf", [NAME]) == []


def test_a_page_ending_a_sentence_or_a_heading_does_not_run_on(tmp_path: Path) -> None:
    lines = wrap(SPACE_PARAGRAPH, 370)
    path = make_pdf(tmp_path / "in.pdf", [
        text_lines(lines, 72, 740) + b" " + text_lines(["Next steps"], 72, 100),
        text_lines(["we will call her next week."], 72, 740) + b" " + text_lines(["Closing"], 72, 700),
        text_lines(["Reason for closing"], 72, 740)])
    document = plugin.redactor_read_document(path, {})
    assert document.text.split("\n\n") == [SPACE_PARAGRAPH, "Next steps", "we will call her next week.",
                                           "Closing", "Reason for closing"]
    assert [s.name for s in document.segments] == ["body"]  # "Closing" is at the same place on two pages...
    # ...but not in a header band; nothing repeats in the bands, so nothing is furniture


def test_lines_ended_on_purpose_keep_their_line_breaks(tmp_path: Path) -> None:
    full = "Re: Margaret Ellison, born 1 February 1960, of 14 Rowan Close, Easton, Bristol BS5 7QT."
    width = helvetica_width(full, 11) + 5  # "Date:" would not fit after it: only its label says it is a new line
    path = make_pdf(tmp_path / "in.pdf", [text_lines(
        ["Safe Haven", "3 Mill Lane, Bristol BS1 4AA. Telephone 0117 496 0000.", full, "Date: 3 March 2026",
         "Author: Joan Smith (Advocate)"], 72, 740) + b" " + text_lines(wrap(HYPHEN_PARAGRAPH, width), 72, 640)])
    document = plugin.redactor_read_document(path, {})
    assert document.text.split("\n\n") == [
        f"Safe Haven\n3 Mill Lane, Bristol BS1 4AA. Telephone 0117 496 0000.\n{full}\nDate: 3 March 2026\n"
        "Author: Joan Smith (Advocate)", HYPHEN_PARAGRAPH]


def test_one_page_furniture_needs_a_narrow_band_and_a_wide_gap(tmp_path: Path) -> None:
    body = text_lines(wrap(HYPHEN_PARAGRAPH, 370), 72, 740)
    apart = make_pdf(tmp_path / "apart.pdf", [text_lines(["CONFIDENTIAL: Safe Haven"], 72, 812) + b" " + body
                                              + b" " + text_lines(["Printed 3 March 2026"], 72, 30)])
    assert _segments(plugin.redactor_read_document(apart, {})) == [
        ("body", HYPHEN_PARAGRAPH), ("header", "CONFIDENTIAL: Safe Haven"), ("footer", "Printed 3 March 2026")]
    letterhead = make_pdf(tmp_path / "letterhead.pdf", [text_lines(["Safe Haven, 3 Mill Lane"], 72, 770) + b" "
                                                        + body])
    assert _segments(plugin.redactor_read_document(letterhead, {})) == [
        ("body", "Safe Haven, 3 Mill Lane\n\n" + HYPHEN_PARAGRAPH)]


def test_removing_a_glyph_on_one_page_leaves_the_same_place_on_another_alone(tmp_path: Path) -> None:
    _needs("pdftotext")
    path = make_pdf(tmp_path / "in.pdf", [b"BT /F1 11 Tf 72 740 Td (Kept: 14 Mill Lane.) Tj ET",
                                          b"BT /F1 11 Tf 72 740 Td (Gone: 14 Rowan Close.) Tj ET"])
    document = plugin.redactor_read_document(path, {})
    out = tmp_path / "out.pdf"
    _redact(document, ["Gone: 14 Rowan Close."], out)  # the same operator and glyphs as page 1's line
    plain = _pdftotext(out)
    assert "Kept: 14 Mill Lane." in plain and "Rowan" not in plain


def test_verification_never_rests_on_nothing_when_poppler_and_qpdf_are_missing(tmp_path, monkeypatch):
    from redactor.formats.pdf import readback

    path = make_pdf(tmp_path / "plain.pdf", [b"BT /F1 12 Tf 72 700 Td (Margaret Ellison was here) Tj ET"])
    monkeypatch.setattr(readback.shutil, "which", lambda name: None)
    assert readback.verify_pdf(path, ["Margaret Ellison", "nowhere"]) == ["Margaret Ellison"]


def test_a_written_pdf_pdfium_cannot_open_is_held(tmp_path):
    from redactor.formats.pdf import readback

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    with pytest.raises(DocumentHeld):
        readback.verify_pdf(broken, ["anything"])


def _ocr_text(path: Path, number: int = 1) -> str:
    from redactor.formats.pdf import ocr
    words, _ = ocr.read_page(path, number)
    return " ".join(word.text for word in words)


def test_ocr_reads_a_scanned_page_and_rasterise_burns_the_name_out(tmp_path: Path) -> None:
    _needs("tesseract")
    path = scanned_pdf(tmp_path / "scan.pdf")
    assert pypdf.PdfReader(str(path)).pages[0].extract_text().strip() == ""  # pixels only
    document = plugin.redactor_read_document(path, {"unsafe_pages": "rasterise"})
    assert NAME in document.text
    assert "housing officer will visit" in document.text
    assert any("read by OCR" in note for note in document.notes)
    out = tmp_path / "out.pdf"
    notes = _redact(document, [NAME], out)
    assert any("page 1 rasterised" in note for note in notes)
    assert any("OCR word(s) boxed" in note for note in notes)
    page = pypdf.PdfReader(str(out)).pages[0]
    assert "/Font" not in page["/Resources"] or not page["/Resources"]["/Font"]
    assert [x.get_object()["/Subtype"] for x in page["/Resources"]["/XObject"].values()] == ["/Image"]
    assert plugin.redactor_verify_output(out, "pdf", [NAME]) == []
    seen = _ocr_text(out)
    for word in NAME.split():
        assert word not in seen
    kept = "Support plan review We met at the day centre on Tuesday. The housing officer will visit the family".split()
    assert sum(word in seen.split() for word in kept) >= 0.8 * len(kept), seen


def test_a_scan_read_by_ocr_is_still_held_unless_rasterising(tmp_path: Path) -> None:
    _needs("tesseract")
    path = scanned_pdf(tmp_path / "scan.pdf")
    for options in ({}, {"unsafe_pages": "hold"}):
        with pytest.raises(DocumentHeld, match="page 1 is a scan: its text was read by OCR; release with "
                                               "--unsafe-pages rasterise"):
            plugin.redactor_read_document(path, options)


def test_a_scan_ocr_is_unsure_of_is_held_even_when_rasterising(tmp_path: Path, monkeypatch) -> None:
    _needs("tesseract")
    from redactor.formats.pdf import ocr
    path = scanned_pdf(tmp_path / "scan.pdf")
    monkeypatch.setattr(ocr, "MIN_CONFIDENCE", 99.5)
    with pytest.raises(DocumentHeld, match="page 1 is a scan and OCR was unsure"):
        plugin.redactor_read_document(path, {"unsafe_pages": "rasterise"})


def test_a_scan_ocr_cannot_read_is_held_even_when_rasterising(tmp_path: Path, monkeypatch) -> None:
    from redactor.formats.pdf import ocr
    path = scanned_pdf(tmp_path / "scan.pdf")
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract at all: the run fails
    with pytest.raises(DocumentHeld, match="page 1 is a scan and OCR could not read it"):
        plugin.redactor_read_document(path, {"unsafe_pages": "rasterise"})


def test_tesseract_tsv_words_keep_their_order_boxes_and_confidence() -> None:
    from redactor.formats.pdf import ocr
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t100\t40\t96.5\tMargaret\n"
           "5\t1\t1\t1\t1\t2\t120\t20\t90\t40\t41\tEllison\n"
           "5\t1\t1\t1\t1\t3\t220\t20\t5\t40\t95\t \n")
    words = ocr.parse_tsv(tsv)
    assert [(w.text, w.confidence, w.box) for w in words] == [("Margaret", 96.5, (10, 20, 110, 60)),
                                                              ("Ellison", 41.0, (120, 20, 210, 60))]
    with pytest.raises(ocr.OcrError):
        ocr.parse_tsv("Error opening data file")

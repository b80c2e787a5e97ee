"""The Word format plugin: reading every place text lives, redacting in place, scrubbing the rest."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from docx_fixtures import (CONTROL, NAME, Docx, para, plant_alt_chunk, plant_bookmark, plant_comment,
                           plant_content_control, plant_custom_xml, plant_embedded_package, plant_endnote,
                           plant_fields, plant_footer, plant_glossary, plant_header, plant_hidden_by_style,
                           plant_hidden_direct, plant_hyperlink, plant_image_alt_text, plant_math, plant_nested_table,
                           plant_note, plant_ole_object, plant_properties, plant_settings, plant_smart_tag,
                           plant_text_box, plant_thumbnail, plant_tracked_deletion, plant_tracked_insertion,
                           raw_contains)

from redactor.errors import InputFileError
from redactor.formats import docx as plugin
from redactor.formats.docx import package as package_module
from redactor.formats.docx.wordml import text_elements
from redactor.model import Replacement

INTRO = f"The witness {NAME} spoke to us."


def read(path: Path):
    return plugin.redactor_read_document(path, {})


def redact(src: Path, out: Path, needles=(NAME,), statements=("CONFIDENTIAL",)) -> list[str]:
    """Read, replace every occurrence of each needle in the text model, write; return the notes."""
    document = read(src)
    reps = [Replacement(m.start(), m.end(), "[Witness]")
            for needle in needles for m in re.finditer(re.escape(needle), document.text, re.IGNORECASE)]
    return plugin.redactor_write_document(document, reps, list(statements), out, {})


def build(tmp_path: Path, *plants, name="in.docx") -> Path:
    d = Docx.new(INTRO, f"The hearing is at {CONTROL}.")
    for plant in plants:
        plant(d)
    return d.save(tmp_path / name)


# --- reading -------------------------------------------------------------------------------

def test_body_text_is_the_paragraphs_joined_by_blank_lines(tmp_path):
    paragraphs = ["First paragraph.", "Second, with more words.", "Third."]
    src = Docx.new(*paragraphs).save(tmp_path / "in.docx")
    document = read(src)
    assert document.format == "docx"
    assert document.text == "\n\n".join(paragraphs)
    assert [s.name for s in document.segments] == ["body"]


def test_breaks_and_tabs_inside_a_paragraph(tmp_path):
    d = Docx.new()
    d.add_body('<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>')
    assert read(d.save(tmp_path / "in.docx")).text == "a\tb\nc"


def test_every_anchor_points_at_its_character(tmp_path):
    src = build(tmp_path, plant_header, plant_footer, plant_note, plant_text_box, plant_fields,
                plant_content_control, plant_tracked_insertion, plant_nested_table, plant_math)
    document = read(src)
    elements = {}
    for offset, anchor in enumerate(document.anchors):
        if anchor is None:
            assert document.text[offset].isspace()
            continue
        ref, index = anchor
        if ref.part not in elements:
            elements[ref.part] = text_elements(document.native.xml(ref.part))
        assert elements[ref.part][ref.index].text[index] == document.text[offset]


def test_segments_cover_each_story_part(tmp_path):
    src = build(tmp_path, plant_header, plant_footer, plant_note, plant_endnote)
    document = read(src)
    names = [s.name for s in document.segments]
    assert names[0] == "body" and len(names) == 5
    for seg in document.segments[1:]:
        assert NAME in document.text[seg.start:seg.end]
        assert document.segment_at(seg.start) == seg.name


def test_text_hidden_from_the_reader_is_not_in_the_text_model(tmp_path):
    src = build(tmp_path, plant_hidden_direct, plant_hidden_by_style, plant_tracked_deletion, plant_comment)
    assert NAME not in read(src).text.replace(INTRO, "")


def test_places_python_docx_misses_are_read(tmp_path):
    src = build(tmp_path, plant_text_box, plant_fields, plant_content_control, plant_tracked_insertion)
    text = read(src).text
    for expected in (f"Box: {NAME}", f"file on {NAME}", f" by {NAME}", "Daniel Okafor", f"Inserted: {NAME}"):
        assert expected in text
    assert "HYPERLINK" not in text  # field instructions are not text


def test_deleted_paragraph_mark_joins_paragraphs(tmp_path):
    d = Docx.new()
    d.add_body('<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A"/></w:rPr></w:pPr><w:r><w:t>Marg</w:t></w:r></w:p>'
               '<w:p><w:r><w:t>aret Ellison lives here.</w:t></w:r></w:p>')
    src = d.save(tmp_path / "in.docx")
    assert NAME in read(src).text
    out = tmp_path / "out.docx"
    redact(src, out, statements=())
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert paragraphs == ["[Witness] lives here."]


# --- refusing unsafe input ---------------------------------------------------------------------

def test_other_formats_are_left_to_other_plugins(tmp_path):
    (tmp_path / "a.txt").write_text("hello")
    assert read(tmp_path / "a.txt") is None
    assert plugin.redactor_verify_output(tmp_path / "a.txt", "txt", [NAME]) is None


def test_macro_enabled_suffix_is_refused(tmp_path):
    src = Docx.new("x").save(tmp_path / "in.docm")
    with pytest.raises(InputFileError, match="in.docm: macro"):
        read(src)


def test_vba_project_inside_a_docx_is_refused(tmp_path):
    d = Docx.new("x")
    d.put("word/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(InputFileError, match="macros"):
        read(d.save(tmp_path / "in.docx"))


def test_macro_content_type_is_refused(tmp_path):
    d = Docx.new("x")
    for override in d.xml("[Content_Types].xml"):
        if override.get("PartName") == "/word/document.xml":
            override.set("ContentType", "application/vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(InputFileError, match="macro"):
        read(d.save(tmp_path / "in.docx"))


def test_encrypted_file_is_refused(tmp_path):
    src = tmp_path / "in.docx"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(InputFileError, match="in.docx: encrypted"):
        read(src)


def test_corrupt_zip_is_refused(tmp_path):
    data = Docx.new("x").save(tmp_path / "ok.docx").read_bytes()
    src = tmp_path / "in.docx"
    src.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="in.docx: not a readable Word file"):
        read(src)


def test_zip_without_word_parts_is_refused(tmp_path):
    src = tmp_path / "in.docx"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputFileError, match="not a Word file"):
        read(src)


def test_highly_compressed_part_is_refused_as_a_zip_bomb(tmp_path):
    d = Docx.new("x")
    d.put("word/media/padding.bin", b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(InputFileError, match="zip bomb"):
        read(d.save(tmp_path / "in.docx"))


def test_too_large_when_unpacked_is_refused(tmp_path, monkeypatch):
    src = Docx.new("x").save(tmp_path / "in.docx")
    total = sum(i.file_size for i in zipfile.ZipFile(src).infolist())
    monkeypatch.setattr(package_module, "MAX_TOTAL_BYTES", total - 1)
    with pytest.raises(InputFileError, match="zip bomb"):
        read(src)


def test_dtd_entities_are_refused(tmp_path):
    d = Docx.new("x")
    d.put("word/footnotes.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>')
    with pytest.raises(InputFileError, match="DTD"):
        read(d.save(tmp_path / "in.docx"))


def test_strict_open_xml_is_refused(tmp_path):
    d = Docx.new("x")
    strict = d.members["word/document.xml"].replace(
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    d.put("word/document.xml", strict)
    with pytest.raises(InputFileError, match="Strict"):
        read(d.save(tmp_path / "in.docx"))


# --- redacting in place ------------------------------------------------------------------------

def _run_props(run) -> tuple:
    return (run.bold, run.italic, run.underline, run.font.size)


def test_formatting_survives_around_a_redacted_name_split_over_runs(tmp_path):
    document = docx.Document()
    p = document.add_paragraph()
    pieces = [("Report by ", {"size": 10}), ("Bristol", {"bold": True, "size": 11}), (" on ", {}),
              ("Marg", {"italic": True, "size": 12}), ("aret Ell", {"bold": True, "size": 14}),
              ("ison", {"underline": True}), (" said ", {"size": 9}), ("nothing", {"bold": True})]
    for text, fmt in pieces:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = fmt.get("bold"), fmt.get("italic"), fmt.get("underline")
        if "size" in fmt:
            run.font.size = docx.shared.Pt(fmt["size"])
    src, out = tmp_path / "in.docx", tmp_path / "out.docx"
    document.save(src)
    redact(src, out, statements=())
    before = docx.Document(str(src)).paragraphs[0].runs
    after = docx.Document(str(out)).paragraphs[0].runs
    assert [_run_props(r) for r in after] == [_run_props(r) for r in before]
    name_runs = [i for i, (text, _) in enumerate(pieces) if text in ("Marg", "aret Ell", "ison")]
    assert after[name_runs[0]].text == "[Witness]"
    assert all(after[i].text == "" for i in name_runs[1:])
    for i, (text, _) in enumerate(pieces):
        if i not in name_runs:
            assert after[i].text == text
    assert docx.Document(str(out)).paragraphs[0].text == "Report by Bristol on [Witness] said nothing"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.sets(st.integers(1, len(f"Seen by {NAME} today.") - 1), max_size=6),
       styles=st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(8, 20)), min_size=7, max_size=7))
def test_any_split_of_a_name_over_runs_loses_exactly_its_characters(tmp_path, cuts, styles):
    sentence = f"Seen by {NAME} today."
    bounds = [0, *sorted(cuts), len(sentence)]
    document = docx.Document()
    p = document.add_paragraph()
    for (start, end), (bold, italic, size) in zip(zip(bounds, bounds[1:]), styles):
        run = p.add_run(sentence[start:end])
        run.bold, run.italic, run.font.size = bold, italic, docx.shared.Pt(size)
    src, out = tmp_path / "split.docx", tmp_path / "split-out.docx"
    document.save(src)
    redact(src, out, statements=())
    before = docx.Document(str(src)).paragraphs[0].runs
    after = docx.Document(str(out)).paragraphs[0].runs
    assert docx.Document(str(out)).paragraphs[0].text == sentence.replace(NAME, "[Witness]")
    assert [_run_props(r) for r in after] == [_run_props(r) for r in before]
    name_start, name_end = sentence.index(NAME), sentence.index(NAME) + len(NAME)
    for (start, end), run in zip(zip(bounds, bounds[1:]), after):
        expected = "".join(("[Witness]" if i == name_start else "") + ("" if name_start <= i < name_end else ch)
                           for i, ch in enumerate(sentence[start:end], start))
        assert run.text == expected


def test_label_run_keeps_white_space(tmp_path):
    src, out = build(tmp_path), tmp_path / "out.docx"
    redact(src, out)
    texts = [t for t in zipfile.ZipFile(out).read("word/document.xml").decode().split("<w:t") if "[Witness]" in t]
    assert texts and all('xml:space="preserve"' in t for t in texts)


def test_statements_are_the_first_body_paragraphs(tmp_path):
    src, out = build(tmp_path), tmp_path / "out.docx"
    redact(src, out, statements=("CONFIDENTIAL", "Prepared for the court"))
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[:2] == ["CONFIDENTIAL", "Prepared for the court"]
    assert paragraphs[2] == INTRO.replace(NAME, "[Witness]")


def test_input_file_is_never_altered(tmp_path):
    src = build(tmp_path, plant_comment, plant_properties, plant_tracked_deletion)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    redact(src, tmp_path / "out.docx")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest


def test_document_can_be_written_twice_from_one_read(tmp_path):
    src = build(tmp_path, plant_text_box)
    document = read(src)
    reps = [Replacement(m.start(), m.end(), "[X]") for m in re.finditer(NAME, document.text)]
    for out in (tmp_path / "a.docx", tmp_path / "b.docx"):
        plugin.redactor_write_document(document, reps, [], out, {})
    assert zipfile.ZipFile(tmp_path / "a.docx").read("word/document.xml") == \
        zipfile.ZipFile(tmp_path / "b.docx").read("word/document.xml")


# --- every hidden place, planted and shown gone --------------------------------------------------

PLACES = [
    plant_header, lambda d: plant_header(d, "first"), lambda d: plant_header(d, "even"),
    lambda d: plant_header(d, "default", referenced=False), plant_footer, plant_note, plant_endnote,
    plant_comment, plant_tracked_deletion, plant_tracked_insertion, plant_hidden_direct, plant_hidden_by_style,
    plant_text_box, plant_hyperlink, plant_fields, plant_content_control, plant_image_alt_text, plant_properties,
    plant_settings, plant_custom_xml, plant_glossary, plant_thumbnail, plant_bookmark, plant_nested_table,
    plant_ole_object, plant_embedded_package, plant_alt_chunk, plant_smart_tag, plant_math,
]
PLACE_IDS = [
    "header-default", "header-first", "header-even", "header-unreferenced", "footer", "footnote", "endnote",
    "comment", "tracked-deletion", "tracked-insertion", "hidden-direct", "hidden-by-style", "text-box",
    "hyperlink", "fields", "content-control", "image-alt-text", "properties", "settings", "custom-xml",
    "glossary", "thumbnail", "bookmark", "nested-table", "ole-object", "embedded-package", "alt-chunk", "smart-tag", "math",
]


@pytest.mark.parametrize("plant", PLACES, ids=PLACE_IDS)
def test_name_planted_in_a_hidden_place_is_gone(tmp_path, plant):
    d = Docx.new(f"The hearing is at {CONTROL}.")
    plant(d)
    d.add_body(para(INTRO))  # the report names them visibly too, as a real one would
    src, out = d.save(tmp_path / "in.docx"), tmp_path / "out.docx"
    assert raw_contains(src, NAME)
    redact(src, out)
    assert plugin.redactor_verify_output(out, "docx", [NAME]) == []
    assert not raw_contains(out, NAME)
    assert raw_contains(out, CONTROL)
    docx.Document(str(out))  # still a Word document python-docx can open


def test_everything_at_once_opens_and_keeps_the_control_phrase(tmp_path):
    d = Docx.new(INTRO, f"The hearing is at {CONTROL}.")
    for plant in PLACES:
        plant(d)
    src, out = d.save(tmp_path / "in.docx"), tmp_path / "out.docx"
    notes = redact(src, out)
    assert plugin.redactor_verify_output(out, "docx", [NAME]) == []
    assert not raw_contains(out, NAME)
    assert CONTROL in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert any("image" in n for n in notes) and any("embedded object" in n for n in notes)
    assert any("comment" in n for n in notes) and any("tracked change" in n for n in notes)


def test_package_stays_consistent_after_parts_are_dropped(tmp_path):
    d = Docx.new(INTRO)
    for plant in (plant_comment, plant_image_alt_text, plant_ole_object, plant_glossary, plant_custom_xml,
                  plant_thumbnail, plant_properties, plant_embedded_package):
        plant(d)
    src, out = d.save(tmp_path / "in.docx"), tmp_path / "out.docx"
    redact(src, out)
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        types = zf.read("[Content_Types].xml").decode()
        for override in re.findall(r'PartName="/([^"]+)"', types):
            assert override in names
        for rels in (n for n in names if n.endswith(".rels")):
            for target, mode in re.findall(r'Target="([^"]+)"(?: TargetMode="(\w+)")?', zf.read(rels).decode()):
                if mode != "External":
                    base = rels.replace("_rels/", "").rsplit("/", 1)[0] if "/" in rels.replace("_rels/", "") else ""
                    resolved = re.sub(r"[^/]+/\.\./", "", f"{base}/{target}".lstrip("/"))
                    assert resolved.lstrip("/") in names, (rels, target)
        document = zf.read("word/document.xml").decode()
        ids = set(re.findall(r'Id="(\w+)"', zf.read("word/_rels/document.xml.rels").decode()))
        for rid in re.findall(r'r:(?:id|embed|link)="(\w+)"', document):
            assert rid in ids


def test_dropped_content_is_reported_in_the_notes(tmp_path):
    src = build(tmp_path, plant_image_alt_text, plant_ole_object)
    notes = redact(src, tmp_path / "out.docx")
    assert "removed 1 image that may contain text" in notes
    assert "removed 1 embedded object" in notes


def test_page_number_fields_stay_live(tmp_path):
    d = Docx.new(INTRO)
    d.add_body('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
               '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
               '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    out = tmp_path / "out.docx"
    redact(d.save(tmp_path / "in.docx"), out)
    assert "PAGE" in zipfile.ZipFile(out).read("word/document.xml").decode()


def test_tracked_changes_are_accepted_not_just_hidden(tmp_path):
    src, out = build(tmp_path, plant_tracked_deletion, plant_tracked_insertion), tmp_path / "out.docx"
    redact(src, out)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    for mark in ("<w:ins", "<w:del", "<w:moveFrom", "rPrChange"):
        assert mark not in xml
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Tracked:  end. bold." in text and "Inserted: [Witness]" in text


def test_style_and_font_names_that_spell_removed_words_are_renamed(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Footer notes from ", style="Footer")
    p.add_run("Latha").font.name = "Latha"
    src, out = tmp_path / "in.docx", tmp_path / "out.docx"
    document.save(src)
    assert raw_contains(src, "Latha")  # the theme lists Latha as a script font
    redact(src, out, needles=("Footer", "Latha"), statements=())
    assert plugin.redactor_verify_output(out, "docx", ["Footer", "Latha"]) == []
    result = docx.Document(str(out))
    before = docx.Document(str(src)).styles["Footer"]
    style = result.paragraphs[0].style
    assert style.style_id != "Footer" and style.base_style.name == before.base_style.name
    assert style.paragraph_format.tab_stops[0].position == before.paragraph_format.tab_stops[0].position


# --- the independent verifier -------------------------------------------------------------------

def test_verifier_reports_what_survives_and_only_that(tmp_path):
    src = build(tmp_path)
    assert plugin.redactor_verify_output(src, "docx", [NAME, "Nobody Here"]) == [NAME]


@pytest.mark.parametrize("member,data", [
    ("word/embeddings/blob.bin", ("blob " + NAME).encode("utf-16-le")),
    ("word/note.xml", f"<x a='{NAME}'/>".encode()),
    ("word/cdata.xml", f"<x><![CDATA[{NAME}]]></x>".encode()),
    ("word/split.xml", b"<w:p><w:r><w:t>Marg</w:t></w:r><w:r><w:t>aret Ellison</w:t></w:r></w:p>"),
])
def test_verifier_finds_text_wherever_it_hides(tmp_path, member, data):
    d = Docx.new("clean")
    d.put(member, data)
    assert plugin.redactor_verify_output(d.save(tmp_path / "in.docx"), "docx", [NAME]) == [NAME]


def test_verifier_opens_nested_packages(tmp_path):
    d = Docx.new("clean")
    plant_embedded_package(d)
    assert plugin.redactor_verify_output(d.save(tmp_path / "in.docx"), "docx", [NAME]) == [NAME]


# --- the output opens elsewhere -----------------------------------------------------------------

def test_output_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = Docx.new(INTRO, f"The hearing is at {CONTROL}.")
    for plant in PLACES:
        plant(d)
    out = tmp_path / "out.docx"
    redact(d.save(tmp_path / "in.docx"), out)
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / "out.pdf").stat().st_size > 0


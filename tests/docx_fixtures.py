"""Building .docx test files: python-docx for a real base, lxml edits for the rest.

`Docx` edits a saved package in memory (add parts, relationships, body XML),
and the `plant_*` functions each hide a name in one place Word can hold text.
`raw_contains` is the tests' own scan of a package, independent of the plugin.
"""
from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from lxml import etree

NAME = "Margaret Ellison"
CONTROL = "Bristol Magistrates Court"

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def w(tag: str) -> str:
    return f"{{{NS['w']}}}{tag}"


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here so no binary fixture is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + \
        chunk(b"IEND", b"")


def fragment(xml: str) -> list[etree._Element]:
    """Elements parsed from `xml` with the usual prefixes declared."""
    return list(etree.fromstring(f"<root {DECLS}>{xml}</root>"))


class Docx:
    """A .docx held as zip members, edited with lxml and saved again."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.members = {n: zf.read(n) for n in zf.namelist()}
        self.trees: dict[str, etree._Element] = {}

    @classmethod
    def new(cls, *paragraphs: str) -> "Docx":
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        buf = io.BytesIO()
        document.save(buf)
        return cls(buf.getvalue())

    def xml(self, part: str) -> etree._Element:
        if part not in self.trees:
            self.trees[part] = etree.fromstring(self.members[part])
        return self.trees[part]

    def put(self, part: str, data: bytes | str, content_type: str | None = None) -> None:
        self.trees.pop(part, None)
        self.members[part] = data.encode() if isinstance(data, str) else data
        if content_type:
            etree.SubElement(self.xml("[Content_Types].xml"), f"{{{CT}}}Override",
                             PartName=f"/{part}", ContentType=content_type)

    def relate(self, source: str, kind: str, target: str, external: bool = False) -> str:
        """Add a relationship from `source` ("" for the package); return its id."""
        folder, base = source.rsplit("/", 1) if "/" in source else ("", source)
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels not in self.members:
            self.put(rels, f'<Relationships xmlns="{PKG_REL}"/>')
        root = self.xml(rels)
        rid = f"rIdT{len(root) + 100}"
        rel = etree.SubElement(root, f"{{{PKG_REL}}}Relationship", Id=rid,
                               Type=kind if kind.startswith("http") else REL + kind, Target=target)
        if external:
            rel.set("TargetMode", "External")
        return rid

    @property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml").find(w("body"))

    def add_body(self, xml: str) -> None:
        """Insert block-level XML at the end of the body, before its section properties."""
        sect = self.body.find(w("sectPr"))
        for el in fragment(xml):
            sect.addprevious(el)

    def save(self, path: Path) -> Path:
        for part, root in self.trees.items():
            self.members[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for part, data in self.members.items():
                zf.writestr(part, data)
        return path


def para(text: str, rpr: str = "") -> str:
    return f'<w:p><w:r>{rpr and f"<w:rPr>{rpr}</w:rPr>"}<w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p>'


def story(root_tag: str, text: str) -> str:
    return f'<w:{root_tag} {DECLS}>{para(text)}</w:{root_tag}>'


# --- one function per place a name can hide ------------------------------------------------

def plant_header(d: Docx, kind: str = "default", referenced: bool = True) -> None:
    part = f"word/header_{kind}.xml"
    d.put(part, story("hdr", f"{kind} header about {NAME}"), WML + "header+xml")
    rid = d.relate("word/document.xml", "header", part.split("/")[1])
    if referenced:
        d.body.find(w("sectPr")).insert(0, fragment(f'<w:headerReference w:type="{kind}" r:id="{rid}"/>')[0])


def plant_footer(d: Docx) -> None:
    d.put("word/footer1.xml", story("ftr", f"Footer: {NAME}"), WML + "footer+xml")
    rid = d.relate("word/document.xml", "footer", "footer1.xml")
    d.body.find(w("sectPr")).insert(0, fragment(f'<w:footerReference w:type="default" r:id="{rid}"/>')[0])


def plant_note(d: Docx, kind: str = "footnote") -> None:
    part = f"word/{kind}s.xml"
    notes = (f'<w:{kind}s {DECLS}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             f'</w:{kind}><w:{kind} w:id="1">{para(f"Note: {NAME} said so.")}</w:{kind}></w:{kind}s>')
    d.put(part, notes, WML + f"{kind}s+xml")
    d.relate("word/document.xml", f"{kind}s", f"{kind}s.xml")
    d.add_body(f'<w:p><w:r><w:t>See note</w:t></w:r><w:r><w:{kind}Reference w:id="1"/></w:r></w:p>')


def plant_endnote(d: Docx) -> None:
    plant_note(d, "endnote")


def plant_comment(d: Docx) -> None:
    d.put("word/comments.xml", f'<w:comments {DECLS}><w:comment w:id="0" w:author="{NAME}" w:initials="ME">'
          f'{para(f"Check with {NAME}")}</w:comment></w:comments>', WML + "comments+xml")
    d.relate("word/document.xml", "comments", "comments.xml")
    d.put("word/people.xml", f'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
          f'<w15:person w15:author="{NAME}"/></w15:people>', WML + "people+xml")
    d.relate("word/document.xml", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml")
    d.add_body('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented text.</w:t></w:r>'
               '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>')


def plant_tracked_deletion(d: Docx) -> None:
    d.add_body(f'<w:p><w:r><w:t xml:space="preserve">Tracked: </w:t></w:r><w:del w:id="1" w:author="{NAME}">'
               f'<w:r><w:delText>{NAME}</w:delText></w:r></w:del><w:moveFrom w:id="2" w:author="A">'
               f'<w:r><w:t>{NAME} moved</w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve"> end.</w:t></w:r>'
               f'<w:r><w:rPr><w:b/><w:rPrChange w:id="3" w:author="{NAME}"><w:rPr/></w:rPrChange></w:rPr>'
               f'<w:t xml:space="preserve"> bold.</w:t></w:r></w:p>')


def plant_tracked_insertion(d: Docx) -> None:
    d.add_body(f'<w:p><w:r><w:t xml:space="preserve">Inserted: </w:t></w:r><w:ins w:id="4" w:author="Ann">'
               f'<w:r><w:t>{NAME}</w:t></w:r></w:ins></w:p>')


def plant_hidden_direct(d: Docx) -> None:
    d.add_body(f'<w:p><w:r><w:t xml:space="preserve">Visible. </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr>'
               f'<w:t>Hidden note on {NAME}</w:t></w:r></w:p>')


def plant_hidden_by_style(d: Docx) -> None:
    styles = d.xml("word/styles.xml")
    styles.extend(fragment('<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
                           '<w:rPr><w:vanish/></w:rPr></w:style>'
                           '<w:style w:type="character" w:styleId="MoreSecret"><w:name w:val="MoreSecret"/>'
                           '<w:basedOn w:val="Secret"/></w:style>'))
    d.add_body(f'<w:p><w:r><w:t xml:space="preserve">Visible. </w:t></w:r><w:r><w:rPr><w:rStyle w:val="MoreSecret"/>'
               f'</w:rPr><w:t>{NAME} by style</w:t></w:r></w:p>')


def plant_text_box(d: Docx) -> None:
    box = f'<w:txbxContent>{para(f"Box: {NAME}")}</w:txbxContent>'
    d.add_body(
        '<w:p><w:r><w:t xml:space="preserve">Box follows: </w:t></w:r><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="2000000" cy="400000"/><wp:wrapNone/><wp:docPr id="50" name="Box {NAME}" descr="{NAME}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="400000"/></a:xfrm><a:prstGeom prst="rect">'
        f'<a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{box}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>'
        '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:150pt;height:30pt" '
        f'alt="{NAME}" title="{NAME}"><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r></w:p>')


def plant_hyperlink(d: Docx) -> None:
    rid = d.relate("word/document.xml", "hyperlink", "mailto:margaret.ellison@example.org", external=True)
    d.add_body(f'<w:p><w:hyperlink r:id="{rid}" w:tooltip="Write to {NAME}"><w:r><w:t>email the witness</w:t>'
               f'</w:r></w:hyperlink><w:hyperlink w:anchor="About_{NAME.replace(" ", "_")}"><w:r><w:t> see above</w:t>'
               '</w:r></w:hyperlink></w:p>')


def plant_fields(d: Docx) -> None:
    d.add_body(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/margaret-ellison" </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>file on {NAME}</w:t></w:r>'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr=" AUTHOR {NAME} ">'
        f'<w:r><w:t xml:space="preserve"> by {NAME}</w:t></w:r></w:fldSimple></w:p>')


def plant_content_control(d: Docx) -> None:
    d.add_body(f'<w:sdt><w:sdtPr><w:alias w:val="Witness {NAME}"/><w:tag w:val="{NAME}"/>'
               '<w:dataBinding w:xpath="/root/witness" w:storeItemID="{11111111-2222-3333-4444-555555555555}"/>'
               f'<w:dropDownList><w:listItem w:displayText="{NAME}" w:value="2"/></w:dropDownList></w:sdtPr>'
               '<w:sdtContent><w:p><w:r><w:t>Daniel Okafor</w:t></w:r></w:p></w:sdtContent></w:sdt>')


def plant_image_alt_text(d: Docx) -> None:
    d.put("word/media/image1.png", tiny_png())
    rid = d.relate("word/document.xml", "image", "media/image1.png")
    d.add_body(
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="274320" cy="274320"/>'
        f'<wp:docPr id="51" name="{NAME}.png" descr="Photo of {NAME}" title="{NAME}"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="0" name="{NAME}.png" descr="{NAME}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="274320" cy="274320"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
        '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def plant_properties(d: Docx) -> None:
    core = d.xml("docProps/core.xml")
    for tag in ("{http://purl.org/dc/elements/1.1/}creator", "{http://purl.org/dc/elements/1.1/}title",
                "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy"):
        el = core.find(tag)
        if el is None:
            el = etree.SubElement(core, tag)
        el.text = NAME
    app = d.xml("docProps/app.xml")
    ns = etree.QName(app).namespace
    for tag in ("Company", "Manager"):
        etree.SubElement(app, f"{{{ns}}}{tag}").text = NAME
    d.put("docProps/custom.xml",
          '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
          'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
          f'fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Client"><vt:lpwstr>{NAME}</vt:lpwstr>'
          '</property></Properties>', "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    d.relate("", "custom-properties", "docProps/custom.xml")


def plant_settings(d: Docx) -> None:
    settings = d.xml("word/settings.xml")
    settings.extend(fragment(f'<w:docVars><w:docVar w:name="client" w:val="{NAME}"/></w:docVars>'
                             '<w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                             f'<w:query w:val="SELECT * FROM clients WHERE name = \'{NAME}\'"/></w:mailMerge>'))
    rid = d.relate("word/settings.xml", "attachedTemplate", f"file:///C:/Users/{NAME}/report.dotx", external=True)
    settings.insert(0, fragment(f'<w:attachedTemplate r:id="{rid}"/>')[0])


def plant_custom_xml(d: Docx) -> None:
    d.put("customXml/item9.xml", f"<root><witness>{NAME}</witness></root>")
    d.relate("word/document.xml", "customXml", "../customXml/item9.xml")
    d.add_body(f'<w:customXml w:element="witness"><w:customXmlPr><w:attr w:name="n" w:val="{NAME}"/>'
               '</w:customXmlPr><w:p><w:r><w:t>wrapped</w:t></w:r></w:p></w:customXml>')


def plant_glossary(d: Docx) -> None:
    d.put("word/glossary/document.xml", f'<w:glossaryDocument {DECLS}><w:docParts><w:docPart><w:docPartPr>'
          f'<w:name w:val="Witness"/></w:docPartPr><w:docPartBody>{para(NAME)}</w:docPartBody></w:docPart>'
          '</w:docParts></w:glossaryDocument>', WML + "document.glossary+xml")
    d.relate("word/document.xml", "glossaryDocument", "glossary/document.xml")


def plant_thumbnail(d: Docx) -> None:
    d.put("docProps/thumbnail.jpeg", b"\xff\xd8\xff\xe0 JFIF comment " + NAME.encode() + b"\xff\xd9")
    d.relate("", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
             "docProps/thumbnail.jpeg")


def plant_bookmark(d: Docx) -> None:
    d.add_body(f'<w:p><w:bookmarkStart w:id="7" w:name="{NAME.replace(" ", "_")}"/><w:r><w:t>Marked.</w:t></w:r>'
               '<w:bookmarkEnd w:id="7"/></w:p>')


def plant_nested_table(d: Docx) -> None:
    inner = f'<w:tbl><w:tblPr><w:tblCaption w:val="{NAME}"/><w:tblDescription w:val="About {NAME}"/></w:tblPr>' \
            f'<w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc>{para(f"Nested: {NAME}")}</w:tc></w:tr></w:tbl>'
    d.add_body(f'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc>{inner}<w:p/></w:tc>'
               '</w:tr></w:tbl>')


def plant_ole_object(d: Docx) -> None:
    d.put("word/embeddings/oleObject1.bin", ("OLE blob about " + NAME).encode("utf-16-le"),
          "application/vnd.openxmlformats-officedocument.oleObject")
    rid = d.relate("word/document.xml", "oleObject", "embeddings/oleObject1.bin")
    d.add_body(f'<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" '
               f'DrawAspect="Icon" ObjectID="_1" r:id="{rid}"/></w:object></w:r></w:p>')


def plant_embedded_package(d: Docx) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("word/document.xml", f"<doc>{NAME}</doc>")
    d.put("word/embeddings/Document1.docx", inner.getvalue(),
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d.relate("word/document.xml", "package", "embeddings/Document1.docx")


def plant_alt_chunk(d: Docx) -> None:
    d.put("word/chunk.html", f"<html><body><p>Imported note on {NAME}</p></body></html>")
    etree.SubElement(d.xml("[Content_Types].xml"), f"{{{CT}}}Default", Extension="html", ContentType="text/html")
    rid = d.relate("word/document.xml", "aFChunk", "chunk.html")
    d.add_body(f'<w:altChunk r:id="{rid}"/>')


def plant_smart_tag(d: Docx) -> None:
    d.add_body(f'<w:p><w:smartTag w:uri="urn:x" w:element="PersonName"><w:smartTagPr><w:attr w:name="full" '
               f'w:val="{NAME}"/></w:smartTagPr><w:r><w:t>the witness</w:t></w:r></w:smartTag></w:p>')


def plant_math(d: Docx) -> None:
    d.add_body(f'<w:p><m:oMath><m:r><m:t>{NAME}</m:t></m:r></m:oMath></w:p>')


# --- the tests' own scan, sharing nothing with the plugin --------------------------------------

def _squeeze(text: str) -> str:
    """Letters and digits only: "margaret.ellison" and "Margaret  Ellison" both match."""
    return re.sub(r"[\W_]+", "", text).lower()


def raw_contains(path: Path, needle: str) -> bool:
    """Whether `needle` appears anywhere in the package: text, attributes, binary, nested zips."""
    def scan(data: bytes) -> bool:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                member = zf.read(name)
                if member.startswith(b"PK\x03\x04") and scan(member):
                    return True
                for text in (member.decode("utf-8", "ignore"), member.decode("utf-16-le", "ignore")):
                    text = html.unescape(text)
                    if _squeeze(needle) in _squeeze(text) or _squeeze(needle) in _squeeze(re.sub(r"<[^>]*>", "", text)):
                        return True
        return False
    return scan(path.read_bytes())

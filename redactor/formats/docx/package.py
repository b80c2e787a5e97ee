"""Opening a .docx safely, and the package (zip of parts) as reader and writer see it.

A .docx is an untrusted zip of XML parts. Everything that could hurt us is
refused before a part is parsed: encrypted or legacy files, corrupt zips,
zip bombs, macros, DTDs (entity expansion) and Strict Open XML, whose
namespaces this reader would silently not see.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote

from lxml import etree

from ...errors import InputFileError
from .wordml import W

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts compress wildly without being bombs
MAX_MEMBERS = 5000
CONTENT_TYPES = "[Content_Types].xml"
PKG_RELS = "_rels/.rels"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse one part without entities, DTDs or network access."""
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as e:
        raise InputFileError(f"{where} is not well-formed XML ({e.msg})") from None
    if tree.docinfo.doctype:
        raise InputFileError(f"{where} declares a DTD, which a Word file never does")
    return tree.getroot()


def rels_name(part: str) -> str:
    """The relationships part of `part` ("" is the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a member name, relative to its source part."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


@dataclass(frozen=True)
class Relationship:
    """One relationship from a part, with its target resolved to a member name."""

    id: str
    type: str
    target: str
    external: bool
    element: etree._Element

    @property
    def kind(self) -> str:
        """The last segment of the type URI ("header", "image", "hyperlink"...)."""
        return self.type.rsplit("/", 1)[-1]


@dataclass
class Package:
    """The members of a .docx in zip order, and the part Word opens first."""

    name: str
    members: dict[str, bytes]
    main: str

    def xml(self, part: str) -> etree._Element:
        return parse_xml(self.members[part], f"{self.name}: {part}")

    def relationships(self, part: str, root: etree._Element | None = None) -> list[Relationship]:
        """The relationships of `part`, parsed from `root` if given (for a writer's live tree)."""
        rels = rels_name(part)
        if root is None:
            if rels not in self.members:
                return []
            root = self.xml(rels)
        out = []
        for el in root.iter(f"{{{REL_NS}}}Relationship"):
            external = el.get("TargetMode") == "External"
            target = el.get("Target", "")
            out.append(Relationship(el.get("Id", ""), el.get("Type", ""),
                                    target if external else resolve(part, target), external, el))
        return out

    def related(self, part: str, *kinds: str) -> list[str]:
        """Internal parts `part` points to with one of `kinds`, in relationship order."""
        return [r.target for r in self.relationships(part)
                if r.kind in kinds and not r.external and r.target in self.members]


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(f"{name}: {len(infos)} parts is more than a report has; refusing it as unsafe")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise InputFileError(f"{name}: the zip holds two parts with the same name; refusing it as tampered")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputFileError(f"{name}: unpacks to {total // 2**20} MB, more than {MAX_TOTAL_BYTES // 2**20} MB;"
                             " refusing it as a possible zip bomb")
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputFileError(f"{name}: the zip is password-protected")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise InputFileError(f"{name}: part {info.filename} expands {ratio:.0f} times;"
                                 " refusing it as a possible zip bomb")
        if posixpath.basename(info.filename).lower() == "vbaproject.bin":
            raise InputFileError(f"{name}: holds macros (vbaProject.bin); save it as a plain .docx without macros")


def _read_members(zf: zipfile.ZipFile, name: str) -> dict[str, bytes]:
    members = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)  # the header may lie about the size
        if len(data) > info.file_size:
            raise InputFileError(f"{name}: part {info.filename} is larger than the zip declares")
        members[info.filename] = data
    return members


def open_package(path: Path) -> Package:
    """Open and check a .docx, or raise `InputFileError` saying why it is refused."""
    name = path.name
    if path.suffix.lower() in (".docm", ".dotm"):
        raise InputFileError(f"{name}: macro-enabled Word files are refused; save it as a plain .docx")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_SIGNATURE):
        raise InputFileError(f"{name}: encrypted or old-format (.doc) Word file; remove the password"
                             " and save it as .docx")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_zip(zf, name)
            members = _read_members(zf, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as e:
        raise InputFileError(f"{name}: not a readable Word file (corrupt zip: {e})") from None
    if CONTENT_TYPES not in members or PKG_RELS not in members:
        raise InputFileError(f"{name}: not a Word file (no [Content_Types].xml or package relationships)")
    for part, data in members.items():  # fail now, not half-way through writing
        if part.endswith((".xml", ".rels")):
            parse_xml(data, f"{name}: {part}")
    package = Package(name, members, "")
    mains = package.related("", "officeDocument")
    if not mains:
        raise InputFileError(f"{name}: not a Word file (no main document part)")
    package.main = mains[0]
    types = package.xml(CONTENT_TYPES)
    if any("macroEnabled" in t.get("ContentType", "") for t in types):
        raise InputFileError(f"{name}: macro-enabled Word file; save it as a plain .docx without macros")
    if package.xml(package.main).tag != f"{{{W}}}document":
        raise InputFileError(f"{name}: not a transitional Word document (Strict Open XML or another"
                             " kind of Office file); save it from Word as a .docx")
    return package


class EditablePackage:
    """A writer's working copy: parts parsed on demand, edited in place, saved once."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.members = dict(package.members)
        self.trees: dict[str, etree._Element] = {}

    def tree(self, part: str) -> etree._Element:
        if part not in self.trees:
            self.trees[part] = self.package.xml(part)
        return self.trees[part]

    def relationships(self, part: str) -> list[Relationship]:
        rels = rels_name(part)
        return self.package.relationships(part, self.tree(rels)) if rels in self.members else []

    def drop_relationship(self, rel: Relationship) -> None:
        rel.element.getparent().remove(rel.element)

    def walk(self) -> Iterator[Relationship]:
        """Every relationship of every part reachable from the package, each part once.

        A relationship the caller drops while it is yielded is not followed.
        """
        seen, todo = {""}, [""]
        while todo:
            part = todo.pop()
            for rel in self.relationships(part):
                yield rel
                followed = rel.element.getparent() is not None and not rel.external
                if followed and rel.target in self.members and rel.target not in seen:
                    seen.add(rel.target)
                    todo.append(rel.target)

    def collect_garbage(self) -> None:
        """Drop every part no relationship reaches any more, and its content type."""
        keep = {CONTENT_TYPES, PKG_RELS}
        for rel in self.walk():
            if not rel.external:
                keep.update((rel.target, rels_name(rel.target)))
        for part in [p for p in self.members if p not in keep]:
            del self.members[part]
            self.trees.pop(part, None)
        types = self.tree(CONTENT_TYPES)
        for override in list(types.iter(f"{{{CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") not in self.members:
                types.remove(override)

    def save(self, out_path: Path) -> None:
        for part, root in self.trees.items():
            if part in self.members:
                self.members[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        order = [CONTENT_TYPES] + [p for p in self.members if p != CONTENT_TYPES]
        with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in order:
                zf.writestr(part, self.members[part])

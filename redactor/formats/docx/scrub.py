"""Taking out of a .docx everything a reader of the page does not see.

Comments, tracked changes (accepted), hidden text, field codes, bookmarks,
content-control and custom-XML wrappers, alt text and shape names, document
properties, variables and mail merge settings go. Parts are kept only if
their relationship type is on a short list of those that hold nothing but
the visible report and its styling; anything else (images, charts, SmartArt,
embedded objects, custom XML, glossary, thumbnails...) is dropped, with a
note for what a reader would miss.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from urllib.parse import unquote

from lxml import etree

from .package import EditablePackage
from .textmodel import load_styles, story_parts
from .vocabulary import rename_colliding_names
from .wordml import MC, O, R, V, Styles, complex_fields, hidden_runs, is_live_instruction, remove, w

#: Relationship types a released document keeps; every other part is dropped.
KEPT_RELATIONSHIPS = frozenset({
    "officeDocument", "core-properties", "extended-properties", "styles", "stylesWithEffects",
    "settings", "webSettings", "fontTable", "font", "theme", "numbering", "footnotes", "endnotes",
    "header", "footer", "hyperlink",
})
#: Dropped parts a reader of the report would notice are missing, by note.
NOTED = {
    "image": "image", "hdphoto": "image", "chart": "chart", "diagramData": "smartart",
    "oleObject": "object", "package": "object", "control": "object", "aFChunk": "object",
    "subDocument": "object", "video": "media", "audio": "media", "media": "media",
}
#: How each count reads in the notes: singular, plural, sentence.
NOTE_FORMS = {
    "image": ("image", "images", "removed {n} {noun} that may contain text"),
    "chart": ("chart", "charts", "removed {n} {noun} and the data behind them"),
    "smartart": ("SmartArt diagram", "SmartArt diagrams", "removed {n} {noun}"),
    "object": ("embedded object", "embedded objects", "removed {n} {noun}"),
    "media": ("audio or video clip", "audio or video clips", "removed {n} {noun}"),
    "comments": ("comment", "comments", "removed {n} {noun}"),
    "changes": ("tracked change", "tracked changes", "accepted {n} {noun}"),
    "hidden": ("run of hidden text", "runs of hidden text", "removed {n} {noun}"),
}
CHANGE_MARKS = frozenset(w(t) for t in (
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblGridChange", "trPrChange", "tcPrChange",
    "tblPrExChange", "numberingChange", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
    "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
    "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "cellIns", "cellDel", "cellMerge",
))
ANNOTATIONS = frozenset(w(t) for t in (
    "commentRangeStart", "commentRangeEnd", "commentReference", "annotationRef", "bookmarkStart",
    "bookmarkEnd", "permStart", "permEnd", "fldData", "tblCaption", "tblDescription",
))
SETTINGS_DROPPED = frozenset(w(t) for t in (
    "docVars", "mailMerge", "attachedTemplate", "trackRevisions", "attachedSchema", "saveThroughXslt",
))
CORE_KEPT = frozenset({"{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"})
APP_KEPT = frozenset({"Application", "AppVersion", "DocSecurity"})
NAME_WORDS = 4  # removed strings this short are names or addresses, whose words identify
VISUALS = frozenset({w("drawing"), w("pict"), w("object")})
OLE_RELID = f"{{{O}}}relid"


def _unwrap(el: etree._Element, dropped: frozenset[str] = frozenset()) -> None:
    """Replace `el` by its children, less those tagged `dropped`."""
    parent = el.getparent()
    if parent is None:
        return
    position = parent.index(el)
    for child in reversed([c for c in el if c.tag not in dropped]):
        parent.insert(position, child)
    parent.remove(el)


def _remove_from_run(el: etree._Element) -> None:
    """Remove `el`, and its run too if nothing but formatting is left in it."""
    run = el.getparent()
    remove(el)
    if run is not None and run.tag == w("r") and all(c.tag == w("rPr") for c in run):
        remove(run)


def _accept_changes(root: etree._Element) -> int:
    """Accept every tracked change: keep insertions, drop deletions and old formatting."""
    count = 0
    for row_mark in list(root.iter(w("trPr"))):
        if row_mark.find(w("del")) is not None:
            remove(row_mark.getparent())
    for mark in list(root.iter(w("del"), w("moveFrom"))):
        count += 1
        holder = mark.getparent()
        props = holder.getparent() if holder is not None and holder.tag == w("rPr") else None
        if props is not None and props.tag == w("pPr"):
            _merge_deleted_paragraph_mark(props.getparent(), mark)
        else:
            remove(mark)
    for mark in list(root.iter(w("ins"), w("moveTo"))):
        count += 1
        holder = mark.getparent()
        if holder is not None and holder.tag in (w("rPr"), w("trPr")):
            remove(mark)
        else:
            _unwrap(mark)
    for mark in list(root.iter(*CHANGE_MARKS)):
        count += mark.tag.endswith("Change")
        remove(mark)
    return count


def _merge_deleted_paragraph_mark(para: etree._Element, mark: etree._Element) -> None:
    """A deleted paragraph mark joins the paragraph to the next one, which keeps its own mark."""
    remove(mark)
    following = para.getnext()
    if following is None or following.tag != w("p"):
        return
    ppr = following.find(w("pPr"))
    position = 0 if ppr is None else following.index(ppr) + 1
    for child in reversed([c for c in para if c.tag != w("pPr")]):
        following.insert(position, child)
    remove(para)


def _flatten_fields(root: etree._Element) -> None:
    """Turn every field but page numbers into its result text; instructions go."""
    live_code: set[etree._Element] = set()
    for field in complex_fields(root):
        if field.live:
            live_code.update(field.code_runs)
            continue
        for run in field.code_runs:
            remove(run)
        for run in [r for r in (field.begin, field.separate, field.end) if r is not None]:
            for char in list(run.iter(w("fldChar"))):
                _remove_from_run(char)
    for simple in list(root.iter(w("fldSimple"))):
        if not is_live_instruction(simple.get(w("instr"), "")):
            _unwrap(simple, frozenset({w("fldData")}))
    for stray in [i for i in root.iter(w("instrText")) if i.getparent() not in live_code]:
        _remove_from_run(stray)


def _unwrap_containers(root: etree._Element) -> None:
    """Content controls, custom XML and smart tags keep their content, lose their properties."""
    for sdt in list(root.iter(w("sdt"))):
        content = sdt.find(w("sdtContent"))
        _unwrap(sdt, frozenset({w("sdtPr"), w("sdtEndPr")}))
        if content is not None:
            _unwrap(content)
    for wrapper in list(root.iter(w("customXml"), w("smartTag"))):
        _unwrap(wrapper, frozenset({w("customXmlPr"), w("smartTagPr")}))


def _scrub_shapes(root: etree._Element) -> None:
    """Alt text, titles and names of pictures and shapes go; internal links lose their bookmark."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in ("docPr", "cNvPr"):
            for attr in ("descr", "title"):
                el.attrib.pop(attr, None)
            if "name" in el.attrib:
                el.set("name", f"Shape {el.get('id', '')}".strip())
        elif etree.QName(el).namespace == V:
            for attr in ("alt", "title", f"{{{O}}}title", "href"):
                el.attrib.pop(attr, None)
    for link in list(root.iter(w("hyperlink"))):
        for attr in ("tooltip", "docLocation", "anchor"):
            link.attrib.pop(w(attr), None)
        if link.get(f"{{{R}}}id") is None:
            _unwrap(link)


def _scrub_story(root: etree._Element, styles: Styles, counts: Counter) -> None:
    """Everything in one story part (body, header, notes) that the page does not show."""
    hidden = hidden_runs(root, styles)
    counts["hidden"] += sum(1 for r in hidden if next(r.iter(w("t")), None) is not None)
    _flatten_fields(root)  # while hidden runs are still there to mark where fields begin and end
    for run in hidden:
        remove(run)
    counts["comments"] += sum(1 for _ in root.iter(w("commentReference")))
    counts["changes"] += _accept_changes(root)
    for mark in list(root.iter(*ANNOTATIONS)):
        _remove_from_run(mark)
    _unwrap_containers(root)
    _scrub_shapes(root)


def _squash(text: str) -> str:
    folded = unicodedata.normalize("NFKD", unquote(text)).lower()
    return re.sub(r"[\W_]+", "", folded)


def mentions(url: str, removed: list[str]) -> bool:
    """Whether a link target spells out a removed string, or a longer word of a short one.

    Words count from names and addresses ("ellison" in a URL), not from
    removed sentences, whose single words identify no one.
    """
    target = _squash(url)
    needles = {_squash(s) for s in removed}
    needles |= {_squash(t) for s in removed if len(s.split()) <= NAME_WORDS for t in s.split()}
    return any(len(n) >= 4 and n in target for n in needles)


def _drop_relationships(pkg: EditablePackage, removed: list[str]) -> Counter:
    """Drop every relationship not on the kept list, and links that spell out removed text."""
    dropped: dict[str, set[str]] = {}
    for rel in pkg.walk():
        hidden_target = rel.kind == "hyperlink" and mentions(rel.target, removed)
        if rel.kind not in KEPT_RELATIONSHIPS or hidden_target:
            pkg.drop_relationship(rel)
            if rel.kind in NOTED:
                dropped.setdefault(NOTED[rel.kind], set()).add(rel.target)
    return Counter({kind: len(targets) for kind, targets in dropped.items()})


def _fix_dangling(el: etree._Element) -> None:
    """Whatever pointed at a dropped part goes: a whole picture or object, or just a link."""
    if el.tag == w("hyperlink"):
        _unwrap(el)
        return
    if etree.QName(el).localname.startswith("hlink"):
        remove(el)
        return
    visual = next((a for a in el.iterancestors() if a.tag in VISUALS), None)
    if visual is None:
        _remove_from_run(el)
        return
    choice = visual.getparent()
    if choice is not None and choice.tag in (f"{{{MC}}}Choice", f"{{{MC}}}Fallback"):
        remove(choice.getparent())
    else:
        _remove_from_run(visual)


def _relationship_refs(root: etree._Element) -> list[tuple[etree._Element, str]]:
    return [(el, value) for el in root.iter() for name, value in el.attrib.items()
            if name.startswith(f"{{{R}}}") or name == OLE_RELID]


def _prune_references(pkg: EditablePackage) -> None:
    """Make XML and relationships agree: no reference to a dropped part, no unused external link."""
    for part in [p for p in pkg.members if p.endswith(".xml")]:
        if not (f"{R}".encode() in pkg.members[part] or b"relid" in pkg.members[part] or part in pkg.trees):
            continue
        root = pkg.tree(part)
        rels = pkg.relationships(part)
        ids = {r.id for r in rels}
        for el, value in _relationship_refs(root):
            if value not in ids:
                _fix_dangling(el)
        used = {value for _, value in _relationship_refs(root)}
        for rel in rels:
            if rel.external and rel.id not in used:
                pkg.drop_relationship(rel)


def _scrub_settings_and_properties(pkg: EditablePackage) -> None:
    package = pkg.package
    for part in package.related(package.main, "settings"):
        for el in list(pkg.tree(part).iter(*SETTINGS_DROPPED)):
            remove(el)
    for part in package.related("", "core-properties"):
        for el in list(pkg.tree(part)):
            if el.tag not in CORE_KEPT:
                remove(el)
    for part in package.related("", "extended-properties"):
        for el in list(pkg.tree(part)):
            if not isinstance(el.tag, str) or etree.QName(el).localname not in APP_KEPT:
                remove(el)


def _notes(counts: Counter) -> list[str]:
    return [sentence.format(n=counts[key], noun=one if counts[key] == 1 else many)
            for key, (one, many, sentence) in NOTE_FORMS.items() if counts[key]]


def scrub(pkg: EditablePackage, removed: list[str]) -> list[str]:
    """Scrub the package in place; return notes on what a reader will find missing."""
    styles = load_styles(pkg.package)
    counts: Counter = Counter()
    for part in story_parts(pkg.package):
        _scrub_story(pkg.tree(part), styles, counts)
    _scrub_settings_and_properties(pkg)
    rename_colliding_names(pkg, removed)
    counts.update(_drop_relationships(pkg, removed))
    pkg.collect_garbage()
    _prune_references(pkg)
    return _notes(counts)

"""Style and font names that happen to spell a removed string.

The verifier reads every attribute value, so a style called "Footer" holds
a release whose detector removed the word "Footer", and a theme listing the
"Latha" or "Shruti" fonts holds every report about a client of that name.
Such names are vocabulary, not content, but they are in the file: rather than
teach the verifier to look away, the writer renames colliding styles
(references follow, so formatting is unchanged) and drops colliding optional
font entries (theme fallbacks per script, font table entries, latent styles).
"""
from __future__ import annotations

from ...verify import surviving
from .package import EditablePackage
from .textmodel import story_parts
from .wordml import remove, w

A_FONT = "{http://schemas.openxmlformats.org/drawingml/2006/main}font"
STYLE_REFERENCES = frozenset(w(t) for t in (
    "pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "numStyleLink", "styleLink",
))
FONT_ATTRIBUTES = tuple(w(a) for a in ("ascii", "hAnsi", "eastAsia", "cs"))


def _styled_parts(pkg: EditablePackage) -> tuple[list[str], list[str]]:
    """The style definition parts, and every part that refers to a style or font by name."""
    package = pkg.package
    styles = package.related(package.main, "styles", "stylesWithEffects")
    others = story_parts(package) + package.related(package.main, "numbering")
    return styles, styles + others


def rename_colliding_names(pkg: EditablePackage, removed: list[str]) -> None:
    """Rename styles and drop optional font entries whose names spell a removed string."""
    removed = [s for s in removed if s.strip()]
    if not removed:
        return

    def collides(value: str | None) -> bool:
        return bool(value) and bool(surviving(value, removed))

    definitions, referring = _styled_parts(pkg)
    renamed: dict[str, str] = {}
    for part in definitions:
        root = pkg.tree(part)
        for style in root.iter(w("style")):
            name = style.find(w("name"))
            sid = style.get(w("styleId"), "")
            if collides(sid) or (name is not None and collides(name.get(w("val")))):
                renamed.setdefault(sid, f"Style{len(renamed) + 1}")
                style.set(w("styleId"), renamed[sid])
                if name is not None:
                    name.set(w("val"), renamed[sid])
                for alias in style.findall(w("aliases")):
                    remove(alias)
        for entry in [e for e in root.iter(w("lsdException")) if collides(e.get(w("name")))]:
            remove(entry)
    for part in referring:
        for el in pkg.tree(part).iter():
            if el.tag in STYLE_REFERENCES and el.get(w("val")) in renamed:
                el.set(w("val"), renamed[el.get(w("val"))])
            elif el.tag == w("rFonts"):
                for attr in [a for a in FONT_ATTRIBUTES if collides(el.get(a))]:
                    del el.attrib[attr]
    package = pkg.package
    for part in package.related(package.main, "fontTable"):
        for font in [f for f in pkg.tree(part).iter(w("font")) if collides(f.get(w("name")))]:
            remove(font)
    for part in package.related(package.main, "theme"):
        for font in [f for f in pkg.tree(part).iter(A_FONT) if collides(f.get("typeface"))]:
            remove(font)

"""EPUB books (2 and 3): the chapters in spine order, one text unit each, through the HTML extractor.

An EPUB is a zip of XHTML files; the package document (found through ``META-INF/container.xml``)
lists them in reading order. Reading it with zipfile and lxml keeps the core install free of
copyleft EPUB libraries. A chapter's section is its title in the book's table of contents (EPUB 3
navigation document or EPUB 2 NCX), followed by the headings inside the chapter. Books whose
chapters are encrypted (DRM) are refused; obfuscated fonts are not text and do not matter.
"""
from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote

from ..types import NOWHERE, Locator
from .base import TextUnit
from .blocks import clean, to_unit
from .files import Unreadable
from .html import blocks_of, decode_html, parse
from .zipped import local, open_zip, parse_xml, read_part

KIND = "EPUB"
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
XHTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")


def _package_path(archive: zipfile.ZipFile) -> str:
    container = parse_xml(read_part(archive, "META-INF/container.xml", KIND), KIND)
    for el in container.iter():
        if local(el) == "rootfile" and el.get("full-path"):
            return el.get("full-path")
    raise Unreadable("corrupt EPUB (no package document in META-INF/container.xml)")


def _resolve(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href.split("#", 1)[0])))


def _manifest_and_spine(archive: zipfile.ZipFile, opf_path: str) -> tuple[dict[str, tuple[str, str, str]], list[str]]:
    """Manifest ``id -> (path, media type, properties)`` and the spine's ids in reading order."""
    opf = parse_xml(read_part(archive, opf_path, KIND), KIND)
    manifest = {}
    spine: list[str] = []
    for el in opf.iter():
        tag = local(el)
        if tag == "item" and el.get("id") and el.get("href"):
            manifest[el.get("id")] = (_resolve(opf_path, el.get("href")), el.get("media-type", ""), el.get("properties", ""))
        elif tag == "itemref" and el.get("idref"):
            spine.append(el.get("idref"))
        elif tag == "spine" and el.get("toc"):
            manifest.setdefault("__ncx__", (el.get("toc"), "", ""))
    return manifest, spine


def _encrypted(archive: zipfile.ZipFile) -> set[str]:
    """Paths encrypted with something other than font obfuscation."""
    if "META-INF/encryption.xml" not in archive.namelist():
        return set()
    root = parse_xml(read_part(archive, "META-INF/encryption.xml", KIND), KIND)
    out = set()
    for data in root.iter():
        if local(data) != "EncryptedData":
            continue
        method = next((e.get("Algorithm", "") for e in data.iter() if local(e) == "EncryptionMethod"), "")
        uri = next((e.get("URI", "") for e in data.iter() if local(e) == "CipherReference"), "")
        if uri and method not in FONT_OBFUSCATION:
            out.add(posixpath.normpath(unquote(uri)))
    return out


def _toc_titles(archive: zipfile.ZipFile, manifest: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Chapter file -> its first title in the table of contents (EPUB 3 nav, else EPUB 2 NCX)."""
    nav = next((path for path, _, props in manifest.values() if "nav" in props.split()), None)
    ncx = manifest.get(manifest.get("__ncx__", ("",))[0], (None,))[0]
    titles: dict[str, str] = {}
    try:
        if nav:
            root = parse(decode_html(read_part(archive, nav, KIND)))
            for a in root.iter("a"):
                titles.setdefault(_resolve(nav, a.get("href", "")), clean(a.text_content()))
        elif ncx:
            root = parse_xml(read_part(archive, ncx, KIND), KIND)
            for point in root.iter():
                if local(point) == "navPoint":
                    label = next((clean("".join(e.itertext())) for e in point.iter() if local(e) == "text"), "")
                    src = next((e.get("src", "") for e in point.iter() if local(e) == "content"), "")
                    titles.setdefault(_resolve(ncx, src), label)
    except Unreadable:
        return {}  # a broken table of contents costs the chapter titles, not the book
    return titles


def _xhtml(data: bytes):
    """A chapter as strict XHTML (self-closing tags read right), else through the lenient HTML parser."""
    try:
        return parse_xml(data, KIND)
    except Unreadable:  # undeclared entities (&nbsp;) or tag soup
        return parse(decode_html(data))


def _chapter(archive: zipfile.ZipFile, path: str, title: str | None) -> TextUnit:
    blocks = blocks_of(_xhtml(read_part(archive, path, KIND)), in_content=True)
    first = next((b.text for b in blocks if b.level is not None), None)
    prefix = (title,) if title and (first or "").casefold() != title.casefold() else ()
    return to_unit(blocks, Locator(section=title) if title else NOWHERE, prefix)


class Epub:
    """``.epub``: one unit per chapter in spine order; sections are the chapter title and its headings."""

    name = "epub"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        archive = open_zip(data, KIND)
        manifest, spine = _manifest_and_spine(archive, _package_path(archive))
        chapters = [manifest[i][0] for i in spine if i in manifest and manifest[i][1] in XHTML_TYPES and "nav" not in manifest[i][2].split()]
        if not chapters:
            raise Unreadable("EPUB has no chapters in its spine")
        if _encrypted(archive) & set(chapters):
            raise Unreadable("encrypted EPUB (DRM); only DRM-free books can be read")
        titles = _toc_titles(archive, manifest)
        units = [_chapter(archive, path, titles.get(path)) for path in chapters]
        return [u for u in units if u.text]

"""HTML pages (``.html``, ``.htm``, ``.xhtml``): the main text without navigation, footers and other
boilerplate, as blocks with heading paths. EPUB chapters go through the same extractor.

Boilerplate is recognised by structure, not by a model: the page's ``main`` (or its only ``article``)
is taken when there is one; inside it, navigation, headers and footers of the page, asides, forms,
scripts, hidden elements and anything whose ARIA role, class or id names page furniture (menu,
breadcrumb, cookie banner, share buttons, ...) is dropped, and so is a list or box that is mostly
links (a menu that carries no recognisable name).
"""
from __future__ import annotations

import codecs
import re

from .base import TextUnit
from .blocks import Block, clean, to_unit, with_terms
from .files import Unreadable, require
from .text import decode
from .zipped import local

DROP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
             "form", "button", "select", "input", "textarea", "nav", "aside", "footer", "dialog", "head", "menu"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
              "pre", "figure", "figcaption", "caption", "address", "hr", "body", "html", "details", "summary", "center"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog", "toolbar"}
# class or id words that name page furniture; matched against the words of a class/id ("site-footer" -> site, footer)
FURNITURE = re.compile(
    r"^(nav|navbar|navigation|menu|breadcrumbs?|footer|sidebar|cookies?|consent|gdpr|banner|masthead|advert\w*|ads?|"
    r"social|share|sharing|related|comments?|subscribe|newsletter|popup|modal|skip|toc|pagination|pager|byline-share|"
    r"headerlink|permalink)$"  # a heading's "¶" link (Sphinx, MkDocs)
)
_WORDS = re.compile(r"[\s_-]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ANY_SPACE = re.compile(r"\s")
PAGING_RELS = {"next", "prev", "previous", "up", "first", "last", "start", "contents", "index"}
# the label before a link to a neighbouring page, as texinfo writes it in its languages ("Next: <a>…</a>, Previous: …")
PAGING_LABEL = re.compile(
    r"\b(?:Next|Prev(?:ious)?|Up|Weiter|Zurück|Nach oben|Suivant|Précédent|Monter|Siguiente|Anterior|Subir|Successivo|Precedente|Su|"
    r"Следующий|Предыдущий|Вверх)\s*:\s*$"
)
DEFINED_TERMS = True  # a <dt> joined to its <dd>'s first paragraph (evals/RESULTS.md)
LINKY_TAGS = {"ul", "ol", "dl", "div", "section", "table", "p"}


def decode_html(data: bytes) -> str:
    """The page's text: a BOM wins, then a declared charset (meta or XML declaration), then UTF-8 or cp1252."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _CHARSET.search(data[:4096])
        if match:
            name = (match.group(1) or match.group(2)).decode("ascii").lower()
            try:
                if codecs.lookup(name).name not in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):  # a declared UTF-16 on ASCII bytes lies
                    return data.decode(name, errors="replace")
            except LookupError:
                pass
    return decode(data)


def parse(text: str):
    """An lxml element tree of a page or an XHTML document (lenient: any tag soup parses)."""
    html = require("lxml.html", "lxml")
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses a str that declares its own encoding
    if not text.strip():
        raise Unreadable("no text (empty page)")
    try:
        return html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError or XMLSyntaxError on documents it cannot build
        raise Unreadable(f"cannot parse HTML ({str(exc) or type(exc).__name__})") from None


def _words(value: str | None) -> list[str]:
    return [w for w in _WORDS.split((value or "").lower()) if w]


def is_furniture(el, in_content: bool) -> bool:
    """True for elements that are page furniture rather than the text of the page."""
    tag = local(el)
    if tag in DROP_TAGS or (tag == "header" and not in_content):
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true" or "display:none" in (el.get("style") or "").replace(" ", ""):
        return True
    if (el.get("role") or "").lower() in DROP_ROLES:
        return True
    return tag not in ("body", "html", "main", "article") and any(FURNITURE.match(w) for w in _words(el.get("class")) + _words(el.get("id")))


def link_heavy(root) -> set:
    """Menu-like elements (lists, boxes, paragraphs with 3+ links) whose words are mostly link text.

    Also a bar of 2+ links to the next, previous or parent page (``rel="next"``, "prev", "up", or a link right after
    "Next:", "Previous:", "Up:": texinfo's "Next: A, Previous: B, Up: C [Index]") with a third of its words linked. One pass from the leaves up (a pre-order list reversed
    puts every element after its descendants), so a large page costs linear time, not a walk of every subtree."""
    stats: dict = {}  # element -> (words, words inside links, links, links to a neighbouring page)
    heavy = set()
    for el in reversed(list(root.iter())):
        tag = local(el)
        words = len((el.text or "").split()) if tag else 0
        linked = links = paging = 0
        before = el.text
        for child in el:
            w, lw, n, p = stats.pop(child, (0, 0, 0, 0))
            p += local(child) == "a" and not p and bool(PAGING_LABEL.search(before or ""))  # "Next: <a>…</a>" without a rel
            words, linked, links, paging = words + w + len((child.tail or "").split()), linked + lw, links + n, paging + p
            before = child.tail
        if tag == "a":
            linked, links = words, links + 1
            paging += bool(PAGING_RELS & set((el.get("rel") or "").lower().split()))
        stats[el] = (words, linked, links, paging)
        if tag in LINKY_TAGS and words and (links >= 3 and linked / words > 0.6 or paging >= 2 and linked / words > 0.3):
            heavy.add(el)
    return heavy


def main_content(root):
    """The element holding the page's own text: ``main``, ``[role=main]``, the only ``article``, else ``body``."""
    for path in ("//main", "//*[@role='main']"):
        found = root.xpath(path)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.xpath("//body")
    return body[0] if body else root


class _Builder:
    """Collects inline text into the current paragraph and emits blocks."""

    def __init__(self, heavy: set) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.pre = 0
        self.heavy = heavy  # elements that are mostly links (see link_heavy)

    def add(self, text: str | None, line_break: bool = False) -> None:
        """Inline text; source newlines are spaces except inside ``pre`` (a ``br`` is a real one)."""
        if line_break:
            self.buffer.append("\n")
        elif text:
            self.buffer.append(text if self.pre else _ANY_SPACE.sub(" ", text))

    def flush(self) -> None:
        text = clean("".join(self.buffer), keep_lines=True)
        self.buffer = []
        if text:
            self.blocks.append(Block(text=text))


def _text_of(el, heavy: set, in_content: bool) -> str:
    """The visible text of an element as one line (headings, table cells)."""
    builder = _Builder(heavy)
    _walk_inside(el, builder, in_content)
    builder.flush()
    return clean(" ".join(b.text for b in builder.blocks))


def _table(el, builder: _Builder, in_content: bool) -> None:
    builder.flush()
    for tr in el.iter():
        if local(tr) != "tr":
            continue
        cells = [_text_of(td, builder.heavy, in_content) for td in tr if local(td) in ("td", "th")]
        row = " | ".join(c for c in cells if c)
        if row:
            builder.blocks.append(Block(text=row, row=True))


def _walk(el, builder: _Builder, in_content: bool) -> None:
    tag = local(el)
    if not tag or is_furniture(el, in_content):
        return
    in_content = in_content or tag in ("main", "article")
    if tag in HEADINGS:
        builder.flush()
        builder.blocks.append(Block(text=_text_of(el, builder.heavy, in_content), level=HEADINGS[tag]))
        return
    if el in builder.heavy:
        return
    if tag == "table":
        _table(el, builder, in_content)
        return
    if tag == "br":
        builder.add(None, line_break=True)
    if tag == "dt":
        builder.flush()
        start = len(builder.blocks)
        _walk_inside(el, builder, in_content)
        builder.flush()
        if len(builder.blocks) == start + 1:
            builder.blocks[start] = Block(text=builder.blocks[start].text, term=True)
        return
    block = tag in BLOCK_TAGS or tag in ("tr", "td", "th")
    if block:
        builder.flush()
    builder.pre += tag == "pre"
    _walk_inside(el, builder, in_content)
    builder.pre -= tag == "pre"
    if block:
        builder.flush()


def _walk_inside(el, builder: _Builder, in_content: bool) -> None:
    builder.add(el.text)
    for child in el:
        _walk(child, builder, in_content)
        builder.add(child.tail)


def blocks_of(root, in_content: bool = False) -> list[Block]:
    """The page's text as blocks (boilerplate dropped)."""
    builder = _Builder(link_heavy(root))
    try:
        _walk(root, builder, in_content)
    except RecursionError:
        raise Unreadable("HTML nested too deeply") from None
    builder.flush()
    return with_terms(builder.blocks) if DEFINED_TERMS else builder.blocks


class Html:
    """``.html``, ``.htm``, ``.xhtml``: one unit, the main text of the page, with heading paths."""

    name = "html"

    def load(self, data: bytes, source: str) -> list[TextUnit]:
        root = parse(decode_html(data))
        content = main_content(root)
        in_content = local(content) in ("main", "article") or content.get("role") == "main"
        return [to_unit(blocks_of(content, in_content))]

"""Document formats: PDF (pages), Word, OpenDocument, HTML and EPUB (section paths), on fixtures made by
pandoc, LibreOffice and groff (tests/fixtures/formats/build.py); page citations checked against
pdftotext's text of the page; unreadable files through the CLI; incremental indexing; the format eval."""
from __future__ import annotations

import gzip

import io
import json
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_bad_input import index_ok, snapshot, stderr_lines
from typer.testing import CliRunner

from rag import load
from rag.api import Pipeline
from rag.chunk import chunk_units
from rag.load.pdflayout import HYPHEN, Line, compounds, dehyphenate, drop_leader_lines, join_lines, place_outline, strip_furniture
from rag.types import Locator, Passage

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
FAST = {"embedder": "hash:64", "retrieval": "dense"}
DOCUMENTS = ("handbook.pdf", "ferry.pdf", "guide.docx", "guide.odt", "page.html", "book.epub")


def units_of(name: str, data: bytes | None = None) -> list[load.TextUnit]:
    return load.loader_for(name).load(FIXTURES.joinpath(name).read_bytes() if data is None else data, name)


def squash(text: str) -> str:
    """Letters and digits only, lower case: layout, hyphens and line breaks do not count."""
    return re.sub(r"[\W_]+", "", text.lower())


@pytest.fixture
def docs(tmp_path) -> Path:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name in DOCUMENTS:
        shutil.copy(FIXTURES / name, corpus / name)
    return corpus


# --- PDF -------------------------------------------------------------------------------------------
def test_a_pdfs_table_of_contents_and_index_lines_are_dropped():
    page = ("Contents\n\n1 Introduction . . . . . . . . . 1\n\nA.1 GNU Free Documentation License . . . . . . . . . . 24\n\nF\n"
            "FDL, GNU Free Documentation License . . . . . . . . 24 Future developments . . . . . . . . 4\n\nH\n"
            "Header file libtasn1.h. . . . . . . . . . . 4\n\nThe default weight is 50. Wait for it... 3 times.\nSee page 4 . . and so on.\n")
    # the entries go (split at their dots they were quoted: «FDL, GNU Free Documentation License .»); prose with dots stays
    assert drop_leader_lines(page) == "Contents\n\n\n\nF\n\nH\n\nThe default weight is 50. Wait for it... 3 times.\nSee page 4 . . and so on.\n"


def test_pdf_units_are_pages_without_running_headers_and_footers():
    units = units_of("handbook.pdf")
    assert [u.locator.page for u in units] == [1, 2, 3, 4]
    text = "\n".join(u.text for u in units)
    assert "Field Handbook" not in text  # the running header of every page
    assert not [line for line in text.splitlines() if re.fullmatch(r"\d{1,2}", line.strip())]  # the page-number footer
    assert "Pellham 1.42 m 1.38 m 4.91 m\nKestrel 1.10 m 1.05 m 4.12 m" in text  # table rows stay lines
    assert "Пустельгин мост, построен из местного известняка в 1847 году" in text
    ferry = "\n".join(u.text for u in units_of("ferry.pdf"))
    assert "Vell Ferry Notes" not in ferry and "Season 2024" not in ferry and "Page 2" not in ferry


def test_pdf_hyphenation_at_line_ends_is_repaired():
    text = "\n".join(u.text for u in units_of("ferry.pdf"))  # groff hyphenates justified lines
    for word in ("compensates", "manufacturer", "authorised", "inspection", "Contaminated", "busiest", "predecessor"):
        assert re.search(rf"\b{word}\b", text), word
    assert "first-aid" in text and "open-air" in text
    assert not re.search(r"\w-\s+\w", text)


def test_pdf_sections_come_from_the_bookmarks():
    chunks = chunk_units("handbook.pdf", units_of("handbook.pdf"), 160, 32)
    where = {(c.locator.page, c.locator.section) for c in chunks if "14 March 2023" in c.text}
    assert where == {(2, "Bridges › Inspection")}
    russian = next(c for c in chunks if "спасательный жилет" in c.text)
    assert (russian.locator.page, russian.locator.section) == (3, "Русский раздел › Безопасность")
    assert next(c for c in chunks if "automatic link fails" in c.text).locator.section == "Water levels"


@pytest.mark.parametrize("name", ["handbook.pdf", "ferry.pdf"])
def test_every_pdf_chunk_is_on_the_page_it_cites(name):
    pages = json.loads(FIXTURES.joinpath(name).with_suffix(".pages.json").read_text(encoding="utf-8"))
    chunks = chunk_units(name, units_of(name), 48, 8)
    assert len({c.locator.page for c in chunks}) == len(pages)
    for c in chunks:  # line by line: pdftotext lays a table out differently
        for line in c.text.splitlines():
            assert squash(line) in squash(pages[c.locator.page - 1]), (c.locator, line)


def test_passages_cite_the_pdf_page_through_the_pipeline(docs):
    pipe = Pipeline(corpus=docs, chunk_tokens=64, chunk_overlap=0, **FAST)
    pages = {n: json.loads(FIXTURES.joinpath(n).with_suffix(".pages.json").read_text(encoding="utf-8")) for n in ("handbook.pdf", "ferry.pdf")}
    passages = [p for p in pipe.retrieve("Kestrel Bridge inspection ferry cable", k=200) if p.source in pages]
    assert len(passages) > 10
    for p in passages:
        assert p.locator.page is not None
        assert all(squash(line) in squash(pages[p.source][p.locator.page - 1]) for line in p.text.splitlines()), (p.locator, p.text)
        assert p.to_dict()["page"] == p.locator.page


def test_pdf_page_rules():
    def page(*texts: str) -> list[Line]:
        return [Line(text=t) for t in texts]

    fruit = ("apples", "pears", "plums")
    pages = [page("Annual Report 2024", f"All about {f}.", f"- {n} -") for n, f in enumerate(fruit, 1)]
    assert [[ln.text for ln in lines] for lines in strip_furniture(pages)] == [[f"All about {f}."] for f in fruit]
    # a chapter's running head, on its own pages only (fewer than half), its page number rising with the page; a line that
    # repeats with a number that does not follow the pages is text
    words = ("alder", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hazel", "ivy")
    chapters = ("Introduction", "Function reference", "Copying")
    heads = [page(f"{chapters[(n - 1) // 3]} {n}", f"About {w}.", f"More on {w}.", "Table 7 continued" if n <= 3 else f"End of {w}") for n, w in enumerate(words, 1)]
    kept = strip_furniture(heads)
    assert [[ln.text for ln in lines][:2] for lines in kept] == [[f"About {w}.", f"More on {w}."] for w in words]
    assert [lines[-1].text for lines in kept][:3] == ["Table 7 continued"] * 3
    single = strip_furniture([page("Seite 7", "Nur eine Seite.", "7 / 12")])
    assert [ln.text for ln in single[0]] == ["Nur eine Seite."]
    known = compounds(["Нью-Йорк и well-known"])
    assert dehyphenate(f"инфор{HYPHEN}мация, Нью{HYPHEN}Йорк, well{HYPHEN}known, Nord{HYPHEN}Süd, Ende{HYPHEN}", known) == "информация, Нью-Йорк, well-known, Nord-Süd, Ende-"
    # lines: a wrapped line joins the next with a space, a CJK line with nothing, a table row stays a line
    body = [Line(text="The crew keeps a", x0=50, y0=700, x1=300, y1=700, height=10), Line(text="logbook.", x0=50, y0=688, x1=95, y1=688, height=10)]
    assert join_lines(body) == "The crew keeps a logbook."
    cjk = [Line(text="仓库每天早上", x0=50, y0=700, x1=300, y1=700, height=10), Line(text="六点半开门。", x0=50, y0=688, x1=120, y1=688, height=10)]
    assert join_lines(cjk) == "仓库每天早上六点半开门。"
    rows = [Line(text="Pellham 1.42 m", x0=50, y0=700, x1=300, y1=700, height=10, gap=40), Line(text="Kestrel 1.10 m", x0=50, y0=688, x1=300, y1=688, height=10, gap=40)]
    assert join_lines(rows) == "Pellham 1.42 m\nKestrel 1.10 m"
    gap = [*body, Line(text="Next paragraph.", x0=50, y0=660, x1=120, y1=660, height=10)]
    assert join_lines(gap) == "The crew keeps a logbook.\n\nNext paragraph."


def test_pdf_bookmarks_are_placed_where_their_titles_stand():
    texts = ["Intro text. Methods and more", "still methods", "Results here"]
    places = place_outline(texts, [(0, 0, "Intro"), (0, 0, "Methods"), (1, 0, "Missing title"), (0, 2, "Results")])
    assert places[0] == (None, [(0, "Intro"), (12, "Methods"), (12, "Methods › Missing title")])
    assert places[1] == ("Methods › Missing title", [])
    assert places[2] == ("Methods › Missing title", [(0, "Results")])


# --- Word, OpenDocument, HTML, EPUB ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["guide.docx", "guide.odt"])
def test_office_documents_have_heading_paths_and_table_rows(name):
    (unit,) = units_of(name)
    chunks = chunk_units(name, [unit], 160, 32)
    section = {c.locator.section for c in chunks if "VV 377" in c.text}
    assert section == {"The depot at Marrow Farm › Vehicles"}
    assert "Red van | VV 214 | June 2024\nWhite van | VV 377 | September 2024" in unit.text
    paths = [path for _, path in unit.headings]
    assert "Для сезонных работников › Зарплата" in paths and "给季节工的说明" in paths
    pay = next(c for c in chunks if "полуторном" in c.text)
    assert pay.locator.section == "Для сезонных работников › Зарплата"
    assert "在河边工作时必须穿救生衣" in unit.text


def test_word_and_opendocument_give_the_same_text():
    assert units_of("guide.docx")[0].text == units_of("guide.odt")[0].text


def test_html_keeps_the_article_and_drops_the_page_furniture():
    (unit,) = units_of("page.html")
    for furniture in ("cookies", "Ferry timetable", "Latest news", "All rights reserved", "Share on Mastodon", "Privacy", "Home"):
        assert furniture not in unit.text, furniture
    assert unit.text.startswith("Winter on the Vell\n\nIce on the river\n\nIn cold winters")
    chunks = chunk_units("page.html", [unit], 48, 0)
    assert next(c for c in chunks if "gritting lorries" in c.text).locator.section == "Winter on the Vell › Grit and salt"


HTML_CASES = {
    "windows-1251 declared": ('<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'.encode("cp1251"), "Привет, мир"),
    "no main: body minus menus": (b'<body><div id="menu"><a href="/">A</a> <a href="/b">B</a></div><p>Body <b>bold</b>text and<br>a new line</p>'
                                  b'<ul><li><a href="/1">one</a></li><li><a href="/2">two</a></li><li><a href="/3">three</a></li></ul></body>',
                                  "Body boldtext and\na new line"),
    "hidden, scripts and pre": (b'<body><main><p hidden>secret</p><script>var x = 1;</script><pre>line one\nline two</pre>'
                                b'<p style="display: none">gone</p><div aria-hidden="true">gone</div></main></body>', "line one\nline two"),
    "xhtml with declaration": (b'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Title</h1><p>Caf\xc3\xa9</p></body></html>', "Title\n\nCafé"),
    "texinfo's link bar between commas": (b'<body><div class="header"><p>Next: <a href="n.html" rel="next">Using it</a>, Previous: <a href="p.html" rel="prev">Intro</a>, '
                                           b'Up: <a href="i.html" rel="up">Top</a> &nbsp; [<a href="x.html" rel="index">Index</a>]</p></div><p>Real text.</p></body>', "Real text."),
    "texinfo's link bar at the foot, without rel": (b'<body><p>Real text.</p><div class="header"><p>Next: <a href="n.html">Closure Example</a>, Previous: '
                                                    b'<a href="p.html">Multiple ABIs</a>, Up: <a href="u.html">Using libffi</a> &nbsp; [<a href="x.html" rel="index">Index</a>]</p></div></body>',
                                                    "Real text."),
    "a link after a colon in prose stays": (b'<body><p>Up: <a href="a.html">the roof</a> and down: <a href="b.html">the cellar</a>, both in the plan.</p></body>',
                                            "Up: the roof and down: the cellar, both in the plan."),
    "a list of addresses and of linked types stays": (b'<body><p>error <a href="#r">&lt;RegExp&gt;</a> | <a href="#f">&lt;Function&gt;</a> | <a href="#e">&lt;Error&gt;</a></p></body>',
                                                      "error <RegExp> | <Function> | <Error>"),
    "a heading's permalink": (b'<body><h2>Install<a class="headerlink" href="#install" title="Permalink">\xc2\xb6</a></h2><p>Text.</p></body>', "Install\n\nText."),
    "headings in a table cell": (b"<body><table><tr><th>Name</th><th>Age</th></tr><tr><td><p>Ann</p></td><td>31</td></tr></table></body>", "Name | Age\nAnn | 31"),
    "a definition term before its description": (b'<body><dl><dt><span class="term">dialout</span></dt><dd><p>Full access to serial ports.</p><p>More.</p></dd>'
                                                 b'<dt>nobody</dt><dt>nogroup</dt><dd>Daemons.</dd></dl></body>', "dialout: Full access to serial ports.\n\nMore.\n\nnobody, nogroup: Daemons."),
    "a term's link mark, a signature and a question keep their lines": (
        '<body><dl><dt>ffi_type_sint16 <a class="copiable-link" href="#x">\u00b6</a></dt><dd>A signed type.</dd>'
        '<dt>Function: void ffi_call (ffi_cif *cif)</dt><dd>Calls it.</dd><dt>How do I start?</dt><dd>Run it.</dd><dt>lonely</dt></dl></body>'.encode(),
        "ffi_type_sint16: A signed type.\n\nFunction: void ffi_call (ffi_cif *cif)\n\nCalls it.\n\nHow do I start?\n\nRun it.\n\nlonely"),
}


@pytest.mark.parametrize("case", list(HTML_CASES))
def test_html_extraction(case):
    data, expected = HTML_CASES[case]
    (unit,) = load.loader_for("x.html").load(data, "x.html")
    assert unit.text == expected


def test_epub_chapters_in_spine_order_with_titles():
    units = units_of("book.epub")
    assert [u.locator.section for u in units] == ["Title Page", "The Ferryman’s Dog", "Зимняя переправа", "石桥的故事"]
    assert units[1].headings[-1] == (units[1].text.index("The Lost Child"), "The Ferryman’s Dog › The Lost Child")
    chunks = chunk_units("book.epub", units, 160, 32)
    ice = next(c for c in chunks if "В марте лёд тронулся" in c.text)
    assert ice.locator.section == "Зимняя переправа › Весенний ледоход"


def epub2(chapters: dict[str, str], encrypted: tuple[str, ...] = ()) -> bytes:
    """A minimal EPUB 2 (NCX table of contents), optionally with DRM-encrypted chapters."""
    items = "".join(f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(chapters))
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    points = "".join(f'<navPoint id="p{i}"><navLabel><text>Chapter {i + 1}</text></navLabel><content src="{n}"/></navPoint>' for i, n in enumerate(chapters))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/book.opf"/></rootfiles></container>')
        z.writestr("OEBPS/book.opf", f'<package xmlns="http://www.idpf.org/2007/opf"><manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{items}</manifest><spine toc="ncx">{refs}</spine></package>')
        z.writestr("OEBPS/toc.ncx", f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>{points}</navMap></ncx>')
        for name, body in chapters.items():
            z.writestr(f"OEBPS/{name}", f"<html><body>{body}</body></html>")
        if encrypted:
            refs = "".join(f'<EncryptedData><EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><CipherData><CipherReference URI="OEBPS/{n}"/></CipherData></EncryptedData>' for n in encrypted)
            z.writestr("META-INF/encryption.xml", f"<encryption>{refs}</encryption>")
    return buffer.getvalue()


def test_epub2_chapter_titles_come_from_the_ncx():
    units = load.loader_for("b.epub").load(epub2({"one.xhtml": "<p>First &amp; only.</p>", "two.xhtml": "<h2>Part</h2><p>Second.</p>"}), "b.epub")
    assert [(u.locator.section, u.text) for u in units] == [("Chapter 1", "First & only."), ("Chapter 2", "Part\n\nSecond.")]
    assert units[1].headings == [(0, "Chapter 2 › Part")]


# --- unreadable files, through the CLI ---------------------------------------------------------------
def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _zero_page_pdf() -> bytes:
    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)
    return buffer.getvalue()


def _fixture(name: str, cut: float = 1.0) -> bytes:
    data = FIXTURES.joinpath(name).read_bytes()
    return data[: int(len(data) * cut)]


BAD_FILES = {
    "scanned.pdf": (lambda: _fixture("scanned.pdf"), "no text layer; OCR is not enabled"),
    "encrypted.pdf": (lambda: _fixture("encrypted.pdf"), "encrypted PDF"),
    "corrupt.pdf": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 300 + b"\n%%EOF\n", "corrupt PDF"),
    "truncated.pdf": (lambda: _fixture("handbook.pdf", 0.5), "truncated PDF"),
    "zero-pages.pdf": (_zero_page_pdf, "PDF has no pages"),
    "renamed.pdf": (lambda: b"just some text, not a PDF at all\n", "not a PDF"),
    "truncated.docx": (lambda: _fixture("guide.docx", 0.6), "corrupt or truncated Word file"),
    "encrypted.docx": (lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, "encrypted (password-protected) or legacy binary file"),
    "not-word.docx": (lambda: _zip({"hello.txt": "hi"}), "corrupt Word file"),
    "truncated.odt": (lambda: _fixture("guide.odt", 0.5), "corrupt or truncated OpenDocument file"),
    "encrypted.odt": (lambda: _zip({"META-INF/manifest.xml": "<manifest:encryption-data/>", "content.xml": "x"}), "encrypted (password-protected) OpenDocument file"),
    "broken.odt": (lambda: _zip({"META-INF/manifest.xml": "<m/>", "content.xml": "<office:document-content"}), "corrupt OpenDocument file"),
    "no-spine.epub": (lambda: _zip({"META-INF/container.xml": '<container><rootfiles><rootfile full-path="a.opf"/></rootfiles></container>', "a.opf": "<package/>"}), "EPUB has no chapters"),
    "drm.epub": (lambda: epub2({"one.xhtml": "<p>locked</p>"}, encrypted=("one.xhtml",)), "encrypted EPUB (DRM)"),
    "empty.html": (lambda: b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no text"),
    "syslog.1": (lambda: b"Nov 23 17:00:01 host CRON[1]: session opened\n", "not a manual page"),
    "vi.1": (lambda: b".so man1/vim.1\n", "only a reference to another page (man1/vim.1)"),
    "truncated.1.gz": (lambda: gzip.compress(b".TH FROB 1\n.SH NAME\nfrob\n" * 50)[:40], "corrupt or truncated gzip file"),
    "bomb.1.gz": (lambda: gzip.compress(b"\n" * (65 * 2**20), 1), "unpacks to more than 64 MB"),
    "backup.tar.gz": (lambda: gzip.compress(b"x" * 100), "compressed tar is not a supported document"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_unreadable_document_is_skipped_with_one_warning(name, monkeypatch, small_corpus):
    make, reason = BAD_FILES[name]
    monkeypatch.setenv("RAG_EMBEDDER", "hash:64")
    monkeypatch.setenv("RAG_RETRIEVAL", "dense")
    monkeypatch.setenv("RAG_CORPUS", str(small_corpus))
    runner = CliRunner()
    index_ok(runner)
    before = snapshot(small_corpus)
    (small_corpus / name).write_bytes(make())
    (small_corpus / "more.txt").write_text("The ferry crosses the river in four minutes.\n", encoding="utf-8")
    result = index_ok(runner)
    lines = stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"warning: skipped {name}: ") and reason in lines[0], lines
    assert "1 added" in result.stdout  # the rest is indexed
    chunks, _ = snapshot(small_corpus)
    assert chunks == before[0] + 1


@pytest.mark.parametrize("name", DOCUMENTS)
def test_damaged_documents_load_or_are_unreadable(name):
    """Bytes overwritten, cut off or cut out: the loader returns units or raises Unreadable, nothing else."""
    data = FIXTURES.joinpath(name).read_bytes()
    rng = random.Random(name)
    for i in range(30):
        damaged = bytearray(data)
        at = rng.randrange(len(data))
        if i % 3 == 0:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(data))] = rng.randrange(256)
        elif i % 3 == 1:
            damaged = damaged[:at] + (b"%%EOF" if name.endswith(".pdf") else b"")
        else:
            del damaged[at : at + rng.randint(1, 500)]
        try:
            units_of(name, bytes(damaged))
        except load.Unreadable:
            pass


def test_a_missing_format_library_names_the_extra(monkeypatch, small_corpus):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # as if it were not installed
    monkeypatch.setenv("RAG_EMBEDDER", "hash:64")
    monkeypatch.setenv("RAG_CORPUS", str(small_corpus))
    shutil.copy(FIXTURES / "ferry.pdf", small_corpus / "ferry.pdf")
    result = index_ok(CliRunner())
    assert stderr_lines(result) == ["warning: skipped ferry.pdf: the optional package 'pypdfium2' is not installed (hint: pip install 'rag-ask[formats]')"]
    assert "3 added" in result.stdout


# --- indexing --------------------------------------------------------------------------------------
def test_every_format_indexes_incrementally(docs, monkeypatch):
    pipe = Pipeline(corpus=docs, **FAST)
    first = pipe.index()
    assert first.added == len(DOCUMENTS) and first.skipped == [] and first.chunks_total > 20

    def no_loading(*args, **kwargs):
        raise AssertionError("an unchanged file was read again")

    with monkeypatch.context() as patched:
        patched.setattr(load.LOADERS, "create", no_loading)
        again = Pipeline(corpus=docs, **FAST).index()
        assert (again.unchanged, again.added, again.changed, again.chunks_embedded) == (len(DOCUMENTS), 0, 0, 0)
        for name in DOCUMENTS:  # new mtimes, same bytes: hashed, not loaded
            path = docs / name
            path.write_bytes(path.read_bytes())
        touched = Pipeline(corpus=docs, **FAST).index()
        assert (touched.unchanged, touched.chunks_embedded) == (len(DOCUMENTS), 0)
    shutil.copy(FIXTURES / "guide.docx", docs / "guide.odt.docx")
    (docs / "page.html").write_text("<html><body><main><p>Replaced page about the ferry.</p></main></body></html>", encoding="utf-8")
    changed = Pipeline(corpus=docs, **FAST).index()
    assert (changed.added, changed.changed, changed.unchanged) == (1, 1, len(DOCUMENTS) - 1)


def test_passage_ids_are_stable_across_runs(docs, tmp_path):
    runs = []
    for n in range(2):
        pipe = Pipeline(corpus=docs, home=tmp_path / f"home{n}", **FAST)
        runs.append(sorted((p.passage_id, p.locator) for p in pipe.retrieve("bridge ferry depot", k=500)))
        pipe.close()
    assert runs[0] == runs[1] and len(runs[0]) > 20


def test_headings_start_chunks_and_reach_the_passage_dict():
    blocks_text = "Alpha\n\n" + "One sentence here. " * 30 + "\n\nBeta\n\nThe beta section text."
    unit = load.TextUnit(text=blocks_text, headings=[(0, "Alpha"), (blocks_text.index("Beta"), "Beta")])
    chunks = chunk_units("x.docx", [unit], 160, 32)
    assert chunks[-1].text.startswith("Beta") and chunks[-1].locator.section == "Beta"
    p = Passage(passage_id="a#0-1", source="a", score=1.0, text="x", language="en", locator=Locator(page=3, section="A › B"))
    assert p.to_dict() == {"passage_id": "a#0-1", "source": "a", "score": 1.0, "text": "x", "language": "en", "page": 3, "section": "A › B", "line": None}


def test_format_libraries_are_imported_only_when_a_document_is_loaded():
    code = "import rag.cli, rag.load, sys; print([m for m in ('lxml', 'pypdfium2', 'docx') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


# --- the format eval ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_format_eval(seeds_pipeline, tmp_path):
    """The seed articles as PDF, DOCX, ODT, HTML and EPUB retrieve within 0.05 of the plain text (real models)."""
    from bench.formats import CASES, retrieval_scores
    from rag.eval import load_cases

    cases = load_cases(CASES)
    plain = retrieval_scores(seeds_pipeline, cases)
    mixed_pipe = Pipeline(corpus=FIXTURES / "seeds", home=tmp_path / "home")
    report = mixed_pipe.index()
    assert report.added == 5 and report.skipped == []
    mixed = retrieval_scores(mixed_pipe, cases)
    mixed_pipe.close()
    print(f"format eval: plain {plain}, mixed {mixed}")
    out = Path(__file__).resolve().parent.parent / "evals" / "out"
    if out.is_dir():
        out.joinpath("formats.json").write_text(json.dumps({"plain": plain, "mixed": mixed}, indent=2) + "\n", encoding="utf-8")
    assert mixed["hit1"] >= plain["hit1"] - 0.05 and mixed["hit5"] >= plain["hit5"] - 0.05, (plain, mixed)


def test_a_heading_the_loader_found_is_never_quoted(tmp_path):
    """Numbered or question-shaped headings of HTML manuals ("2.4 Which file wins?") look like sentences; the passage's
    context (title › section path, as embedded) tells the answer stage they are headings."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "globs.html").write_text(
        "<html><body><main><h1>2 the glob files</h1><h2>2.4 Which file wins?</h2><p>The globs2 file wins over the old globs file, "
        "because it also lists the weight of each rule.</p><p>Rules are read in order of weight.</p></main></body></html>", encoding="utf-8")
    pipe = Pipeline(corpus=docs, home=tmp_path / "home", min_evidence=0.0, min_answerable=0.0, **FAST)  # hash vectors: weak evidence
    (top, *_) = pipe.retrieve("Which file wins?")
    assert top.context == "2 the glob files › 2.4 Which file wins?"
    answer = pipe.ask("Which file wins?")
    quotes = [c.quote for c in answer.citations]
    assert quotes and not any(q.strip() in ("2.4 Which file wins?", "2 the glob files") for q in quotes)
    assert "globs2 file wins" in quotes[0]

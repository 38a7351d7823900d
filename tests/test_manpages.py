"""Manual pages read from their roff source (no groff needed), plain or gzip-compressed."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from rag import chunk as chunking
from rag.api import Pipeline
from rag.load import loader_for
from rag.load.manpage import to_text

PAGE = Path(__file__).parent / "fixtures" / "manual" / "frob.1"


def test_a_manual_page_becomes_text_with_its_sections_as_headings():
    units = loader_for("frob.1").load(PAGE.read_bytes(), "frob.1")
    (unit,) = units
    paths = [path for _, path in unit.headings]
    assert paths == ["FROB(1)", "FROB(1) › NAME", "FROB(1) › SYNOPSIS", "FROB(1) › DESCRIPTION", "FROB(1) › ENVIRONMENT", "FROB(1) › AUTHOR"]
    assert "frob - rearrange the lines of text files" in unit.text and "\\f" not in unit.text and "\\-" not in unit.text
    sentences = [re.sub(r"\s+", " ", unit.text[s:e]) for s, e in chunking.sentences(unit.text)]
    assert "-a, --all include lines that start with a hash sign, which are skipped by default" in sentences  # tag and description: one unit
    assert "FROB_COLUMNS the width of the terminal, used when printing the summary" in sentences  # .TP then .B NAME


def test_roff_escapes_fonts_and_requests():
    source = (
        '.TH "X" "8" "2026"\n.SH "SEE ALSO"\n.\\" a comment\nA \\fBbold\\fR word \\(em and caf\\[u00E9] \\-\\-all \\e path.\n'
        ".BR ls (1),\n.IR cp (1)\n.IP \\(bu 2\nfirst point\n.RS\n.nf\nkeep  this\n  layout\n.fi\n.RE\n.if t .B typeset only\n.if n text for terminals\n"
        ".TS\nl l.\nkey\tvalue\n.TE\n"
    )
    text = to_text(source)
    assert text.startswith("# X(8)\n\n## SEE ALSO\n")
    assert "A bold word — and café --all \\ path. ls(1), cp(1)" in text
    assert "  •\n      first point" in text and "          keep  this\n            layout" in text
    assert "typeset only" not in text and "text for terminals" in text and "key | value" in text


def test_a_conditional_block_leaves_no_backslash():
    """docbook-made pages (chage, passwd) wrap indents in ".if n \\{\\" … ".\\}" blocks: the requests count, the braces do not."""
    source = ".TH CHAGE 1\n.SH OPTIONS\nFor example:\n.if n \\{\\\n.RS 4\n.\\}\n.nf\nchage \\-E 2026-12-31\n.fi\n.if n \\{\\\n.RE\n.\\}\nThen:\n"
    text = to_text(source)
    assert "\\" not in text and "chage -E 2026-12-31" in text and "Then:" in text


def test_po4a_translations_keep_their_option_tags():
    """Debian's translated pages (po4a) wrap every tag in a string comparison that holds: ".if !'po4a'hide' .BR \\-r …".
    Skipping it lost every option name of a translated page ("Interpreta cada nombre como una expresión regular." with no -r)."""
    source = (
        ".TH WHATIS 1\n.SH OPCIONES\n.TP\n.if  !'po4a'hide' .BR \\-r \", \" \\-\\-regex\nInterpreta cada nombre como una expresión regular.\n"
        ".TP\n.if 'po4a'hide' .B \\-x\nNunca.\n"
    )
    text = to_text(source)
    assert "-r, --regex\n      Interpreta cada nombre como una expresión regular." in text
    assert "-x" not in text  # a comparison that fails: its request is not run


def test_groff_accented_letters_are_spelled_out():
    """Pod::Man and many translators write umlauts and accents as groff glyph names (\\(:u, \\('e, \\(,c, \\(ss): dropping
    them turned dpkg-query's German "für menschliche Leser" into "fr menschliche Leser"."""
    source = ".TH DPKG-QUERY 1\n.SH BEFEHLE\nDie Ausgabe ist f\\(:ur menschliche Leser, gr\\(:o\\(sser als \\(Bqn\\(:otig\\(lq.\n"
    source += ".SH DESCRIPTION\nLe gar\\(,con a \\('et\\('e l\\(`a, \\(*a \\[:a] \\(~n.\n"
    text = to_text(source)
    assert "Die Ausgabe ist für menschliche Leser, größer als „nötig“." in text
    assert "Le garçon a été là, α ä ñ." in text


def test_preamble_strings_keep_apostrophes_and_quotes():
    """docbook and Pod::Man pages define \\*(Aq in a groff-only branch (".ie \\n(.g .ds Aq \\(aq" / ".el .ds Aq '"), which the
    reader does not run: without a value French read "loption" for "l'option"."""
    source = ".TH DPKG 1\n.ie \\n(.g .ds Aq \\(aq\n.el       .ds Aq '\n.SH DESCRIPTION\nVoir l\\*(Aqoption \\*(L\"--help\\*(R\" de \\*(C+.\n"
    assert "Voir l'option \"--help\" de C++." in to_text(source)


def test_an_escaped_space_does_not_split_a_request_argument():
    """".BI \\-M\\  percorso ,\\ \\-\\-manpath= percorso" (Italian apropos(1)) tags the item "-M percorso, --manpath=percorso",
    not "-M\\percorso"."""
    source = ".TH APROPOS 1\n.SH OPZIONI\n.TP\n.BI \\-M\\  percorso ,\\ \\-\\-manpath= percorso\nImposta il percorso.\n"
    assert "  -M percorso, --manpath=percorso\n      Imposta il percorso." in to_text(source)


def test_a_page_saved_twice_as_utf8_is_repaired():
    """Some translated pages ship mojibake (Debian's Spanish fakeroot(1): "el Ã¡rbol … la informaciÃ³n"): it is undone,
    while text that merely holds such letters stays as written."""
    source = '.TH FAKEROOT 1\n.SH DESCRIPCIÓN\nGuarda el Ã¡rbol de directorios con la informaciÃ³n de usuarios.\n'
    (unit,) = loader_for("fakeroot.1.gz").load(gzip.compress(source.encode("utf-8")), "fakeroot.1.gz")
    assert "Guarda el árbol de directorios con la información de usuarios." in unit.text and "Ã" not in unit.text
    (kept,) = loader_for("notes.txt").load("São Paulo: Ãgua, „Bromance“ — «ok»".encode("utf-8"), "notes.txt")
    assert kept.text == "São Paulo: Ãgua, „Bromance“ — «ok»"


def test_compressed_pages_are_indexed_and_cited_by_section(tmp_path):
    (tmp_path / "frob.1.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    pipe = Pipeline(corpus=tmp_path, home=tmp_path / "home")
    report = pipe.index()
    assert report.added == 1 and not report.skipped
    answer = pipe.ask("Which option keeps blank lines?")
    assert answer.lead == "-k, --keep-blank"
    first = answer.citations[0]
    assert first.source == "frob.1.gz" and first.quote.startswith("-k, --keep-blank\n") and "historical behaviour" in first.quote
    assert re.fullmatch(r"frob\.1\.gz:\d+ § FROB\(1\) › DESCRIPTION", first.location)  # the quote's own section, not the chunk's first
    assert (tmp_path / "frob.1.gz").exists() and first.locator.line == 1 + to_text(PAGE.read_text()).split("-k, --keep-blank")[0].count("\n")


def test_a_bsd_mdoc_page_reads_like_a_man_page():
    mdoc = Path(__file__).parent / "fixtures" / "manual" / "twirl.1"
    (unit,) = loader_for("twirl.1").load(mdoc.read_bytes(), "twirl.1")
    assert [path for _, path in unit.headings] == ["TWIRL(1)", "TWIRL(1) › NAME", "TWIRL(1) › SYNOPSIS", "TWIRL(1) › DESCRIPTION", "TWIRL(1) › SEE ALSO"]
    assert "twirl - rotate log files in place" in unit.text
    assert "twirl [-nv] [-k count] file ..." in unit.text
    assert "twirl rotates each file and signals the daemon named in twirl.conf(5)." in unit.text
    sentences = [re.sub(r"\s+", " ", unit.text[s:e]) for s, e in chunking.sentences(unit.text)]
    assert "-k count Keep count old copies; the default is “7”." in sentences  # the item's tag with its description
    assert "-n Show what would be done, and do nothing." in sentences and "logrotate(8)" in unit.text



def test_an_item_with_two_tags_as_pod2man_writes_them_is_one_option_line():
    from rag.answer import options
    from rag.load.manpage import Manpage

    source = (
        '.TH WGET 1\n.SH OPTIONS\n.IP "\\fB\\-N\\fR" 4\n.IX Item "-N"\n.PD 0\n.IP "\\fB\\-\\-timestamping\\fR" 4\n.IX Item "--timestamping"\n.PD\n'
        "Turn on time-stamping.\n.IP \"\\fB\\-q\\fR\" 4\nQuiet.\n.IP \"\\fB\\-\\-no\\-verbose\\fR\" 4\nTurn off verbose.\n"
    )
    text = "\n".join(u.text for u in Manpage().load(source.encode(), "wget.1"))
    assert "  -N, --timestamping\n      Turn on time-stamping." in text
    assert "  -q\n      Quiet." in text and "  --no-verbose\n      Turn off verbose." in text  # a tag with its own description stays alone
    assert options.item_flags("-N, --timestamping\n      Turn on time-stamping.") == {"-N", "--timestamping"}

"""Rebuild evals/techdocs/corpus/ from Debian's translated "Debian Reference" (GPL-2+, see README.md there).

    apt-get install debian-reference-de debian-reference-fr debian-reference-it debian-reference-es
    python evals/techdocs/make_corpus.py [--src /usr/share/debian-reference] [--out evals/techdocs/corpus]

Each chapter is read in one language only (so every answer exists once), converted from the
package's DocBook HTML to Markdown (headings stay headings, which the Markdown loader turns into
section paths; tables become pipe rows, screens fenced blocks, lists stay lists) and split into one
file per section ("3.2. Systemd-Init" becomes ``ch03-2.de.md`` with that heading as its title), so
a file hit means the right section, as in a folder of many short documents.
"""
from __future__ import annotations

import argparse
import html
import re
from html.parser import HTMLParser
from pathlib import Path

CHAPTERS = {"de": ["ch03", "ch08"], "fr": ["ch04"], "it": ["ch05", "ch07"], "es": ["ch06"]}
SKIP_CLASSES = {"navheader", "navfooter", "toc", "list-of-tables"}
SKIP_TAGS = {"head", "script", "style"}
BLOCKS = {"p", "li", "dt", "dd", "tr", "caption", "h1", "h2", "h3", "h4", "pre", "table", "div", "ul", "ol", "dl"}


class ToMarkdown(HTMLParser):
    """Just enough DocBook-HTML to Markdown for the Debian Reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.skip = 0  # depth inside a skipped element
        self.stack: list[tuple[str, bool]] = []
        self.pre = False
        self.cells: list[str] | None = None
        self.prefix = ""

    def flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        if self.pre:
            return
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            self.out.append(self.prefix + text)
            self.prefix = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skipping = self.skip > 0 or tag in SKIP_TAGS or bool(SKIP_CLASSES & set((a.get("class") or "").split())) or a.get("summary") == "Navigation header"
        self.stack.append((tag, skipping))
        if skipping:
            self.skip += 1
            return
        if tag in BLOCKS and not self.pre:
            self.flush()
        if tag in ("h1", "h2", "h3", "h4"):
            self.prefix = "#" * int(tag[1]) + " "
        elif tag == "li":
            self.prefix = "- "
        elif tag == "dt":
            self.prefix = "- "
        elif tag == "dd":
            self.prefix = "  "
        elif tag == "pre":
            self.out.append("```")
            self.pre = True
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.line = []
        elif tag == "br":
            self.line.append("\n" if self.pre else " ")

    def handle_endtag(self, tag):
        while self.stack:
            top, skipping = self.stack.pop()
            if skipping:
                self.skip -= 1
            if top == tag:
                break
        if skipping:
            return
        if tag == "pre":
            body = "".join(self.line).strip("\n")
            self.line = []
            self.out.append(body)
            self.out.append("```")
            self.pre = False
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(re.sub(r"\s+", " ", "".join(self.line)).strip())
            self.line = []
        elif tag == "tr" and self.cells is not None:
            cells = [c for c in self.cells if c] if not self.cells[0] else self.cells  # admonition: icon cell
            if len(cells) == 1:
                self.out.append(cells[0] + ":")
            elif cells:
                self.out.append("| " + " | ".join(cells) + " |")
            self.cells = None
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.skip == 0:
            self.line.append(data)


def convert(path: Path) -> str:
    parser = ToMarkdown()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.flush()
    blocks, in_pre = [], False
    for line in parser.out:
        if line == "```":
            in_pre = not in_pre
        blocks.append(html.unescape(line))
    text = "\n\n".join(blocks)
    text = re.sub(r"(\n\n\| [^\n]*)\n\n(?=\| )", r"\1\n", text)  # table rows of one table on consecutive lines
    while re.search(r"(\n\| [^\n]*)\n\n(?=\| )", text):
        text = re.sub(r"(\n\| [^\n]*)\n\n(?=\| )", r"\1\n", text)
    text = re.sub(r"```\n\n(.*?)\n\n```", lambda m: "```\n" + m.group(1) + "\n```", text, flags=re.S)
    return text.strip() + "\n"


def sections(text: str) -> list[str]:
    """Split a chapter at its second-level headings; each section's heading becomes its file's title."""
    parts = re.split(r"(?m)^(?=## )", text)
    out = [parts[0]]
    for part in parts[1:]:
        out.append(re.sub(r"(?m)^#(#+) ", r"\1 ", part))  # "## 3.2. X" -> "# 3.2. X", "### ..." -> "## ..."
    return [p.strip() + "\n" for p in out if p.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--src", type=Path, default=Path("/usr/share/debian-reference"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang, chapters in CHAPTERS.items():
        for ch in chapters:
            text = convert(args.src / f"{ch}.{lang}.html")
            for n, part in enumerate(sections(text)):
                (args.out / f"{ch}-{n}.{lang}.md").write_text(part, encoding="utf-8")
            print(f"{ch}.{lang}: {len(text)} characters")


if __name__ == "__main__":
    main()

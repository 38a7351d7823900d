"""Document formats: PDF extraction speed on a long PDF, and the format eval (the seed articles as PDF,
DOCX, ODT, HTML and EPUB against the plain-text seeds). Prints figures; asserts nothing (the eval's
gate is ``tests/test_formats.py::test_format_eval``).

    python -m bench.formats [--pages 500] [--eval] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
CASES = ROOT / "evals" / "cases.jsonl"


def long_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages, made by repeating the pages of the committed LibreOffice and groff PDFs."""
    import io

    import pypdfium2 as pdfium

    sources = [pdfium.PdfDocument(FIXTURES / name) for name in ("handbook.pdf", "ferry.pdf")]
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for src in sources:
            take = min(len(src), pages - len(out))
            if take:  # an empty list would import every page
                out.import_pages(src, list(range(take)))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def pdf_speed(pages: int) -> dict[str, Any]:
    """Pages per second of the PDF loader (and of loading plus chunking), and the peak memory it added."""
    from rag.chunk import chunk_units
    from rag.load.pdf import Pdf

    data = long_pdf(pages)
    Pdf().load(long_pdf(2), "warm.pdf")  # imports and PDFium's first-use setup stay out of the timing
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    units = Pdf().load(data, "long.pdf")
    extract = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    chunks = chunk_units("long.pdf", units, 160, 32)
    chunking = time.perf_counter() - started
    return {
        "pages": len(units), "mb": round(len(data) / 1e6, 2), "extract_s": round(extract, 2),
        "pages_per_s": round(len(units) / extract, 1), "chunks": len(chunks),
        "pages_per_s_with_chunking": round(len(units) / (extract + chunking), 1),
        "peak_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
    }


def retrieval_scores(pipe, cases, stem_of=lambda source: source.rsplit(".", 1)[0]) -> dict[str, float]:
    """File hit@1 and hit@5 over the answerable cases; files compared by stem (``a.txt`` is ``a.pdf``)."""
    from rag.eval import DEPTH, file_ranking

    hits1 = hits5 = n = 0
    for case in cases:
        if not case.answerable or not case.sources:
            continue
        gold = {stem_of(s) for s in case.sources}
        files = [stem_of(f) for f in file_ranking(pipe.retrieve(case.question, DEPTH))]
        n += 1
        hits1 += bool(files[:1]) and files[0] in gold
        hits5 += any(f in gold for f in files[:5])
    return {"cases": n, "hit1": round(hits1 / n, 4), "hit5": round(hits5 / n, 4)}


def format_eval(home: Path) -> dict[str, Any]:
    """The seed cases against the plain-text seeds and against the same articles in five formats."""
    from rag.api import Pipeline
    from rag.eval import load_cases

    cases = load_cases(CASES)
    out = {}
    for name, corpus in (("plain", ROOT / "seeds"), ("mixed", FIXTURES / "seeds")):
        pipe = Pipeline(corpus=corpus, home=home / name)
        started = time.perf_counter()
        pipe.index()
        out[name] = retrieval_scores(pipe, cases) | {"index_s": round(time.perf_counter() - started, 1)}
        pipe.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--eval", action="store_true", help="also run the format eval (real models, about a minute)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report: dict[str, Any] = {"pdf": pdf_speed(args.pages)}
    print("PDF:", " ".join(f"{k}={v}" for k, v in report["pdf"].items()))
    if args.eval:
        import tempfile

        with tempfile.TemporaryDirectory() as home:
            report["eval"] = format_eval(Path(home))
        for name, row in report["eval"].items():
            print(f"{name}:", " ".join(f"{k}={v}" for k, v in row.items()))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

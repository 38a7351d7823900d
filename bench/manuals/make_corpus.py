"""Copy the development set's manuals from this machine's Debian packages into corpus/ (see README.md).

    python bench/manuals/make_corpus.py     # needs libffi8 (its html/ pages), libtasn1-doc and shared-mime-info
"""
from __future__ import annotations

import shutil
from pathlib import Path

DOC = Path("/usr/share/doc")
# libffi's texinfo HTML pages that hold text (the three menu-only pages and the index are left out)
LIBFFI = (
    "index", "Introduction", "The-Basics", "Simple-Example", "Primitive-Types", "Structures", "Size-and-Alignment", "Arrays-Unions-Enums",
    "Type-Example", "Complex", "Complex-Type-Example", "Multiple-ABIs", "The-Closure-API", "Closure-Example", "Thread-Safety", "Memory-Usage",
    "Missing-Features",
)
FILES = {f"libffi8/html/{name}.html": f"{name}.html" for name in LIBFFI} | {
    "libtasn1-doc/libtasn1.pdf": "libtasn1.pdf",
    "shared-mime-info/shared-mime-info-spec.pdf": "shared-mime-info-spec.pdf",
}


def main() -> None:
    out = Path(__file__).resolve().parent / "corpus"
    out.mkdir(exist_ok=True)
    for source, name in FILES.items():
        shutil.copyfile(DOC / source, out / name)
    print(f"{len(FILES)} files in {out}")


if __name__ == "__main__":
    main()

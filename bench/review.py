"""How long `generate 核对` takes on a 40-page report, as a ratio to a floor (not a test).

    python bench/review.py              # the Sichuan 2024 sample report (about 40 pages as PDF), 5 rounds
    python bench/review.py report.docx --rounds 3

In one process and interleaved (both see the same machine load):

- floor (.docx): python-docx opens the file and reads the text of every paragraph and every table cell,
  the least any checker of the same file must do with the same library;
- ours (.docx): `read_report` + `review` (every check);
- and, where LibreOffice is installed, the same report as PDF: floor = pdfplumber's `extract_text` and
  `find_tables` on every page in this process; ours = `read_report` (in its bounded child process) + `review`.

Prints seconds per report for each and the ratio ours / floor.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from generator.report_text import read_report  # noqa: E402
from generator.review import review  # noqa: E402

SAMPLE = ROOT / "sample_inputs" / "四川-安居区社保局-2024年度单位决算.xlsx"


def floor_docx(path: Path) -> int:
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    n = sum(len(p.text) for p in doc.paragraphs)
    for t in doc.tables:
        for row in t.rows:
            n += sum(len(c.text) for c in row.cells)
    return n


def floor_pdf(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            n += len(page.find_tables())
            page.close()
    return n


def ours(path: Path) -> int:
    return len(review(read_report(path)).findings)


def timed(fn, path: Path) -> float:
    t = time.perf_counter()
    fn(path)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("report", nargs="?", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = args.report
        if report is None:
            from generator.pipeline import generate

            outcome = generate(SAMPLE, Path(tmp) / "out", selfeval=False)
            report = next(p for p in outcome.written.all() if p.suffix == ".docx")
        kinds = [("docx", report, floor_docx)]
        if report.suffix == ".docx":
            import review_fixtures

            copy = Path(tmp) / "report.docx"
            copy.write_bytes(report.read_bytes())
            pdf = review_fixtures.to_pdf(copy)
            if pdf is not None:
                import pdfplumber

                with pdfplumber.open(pdf) as doc:
                    print(f"PDF：{len(doc.pages)} 页")
                kinds.append(("pdf", pdf, floor_pdf))
        for kind, path, floor in kinds:
            ours(path), floor(path)  # warm: imports, caches
            f, o = [], []
            for _ in range(args.rounds):
                f.append(timed(floor, path))
                o.append(timed(ours, path))
            fm, om = statistics.median(f), statistics.median(o)
            print(f"{kind}: floor {fm:.3f} s, ours {om:.3f} s, ours/floor {om / fm:.2f}  ({args.rounds} rounds, medians)")


if __name__ == "__main__":
    main()

"""Render pages of a sample report to PNGs in docs/, for README and for reviewers.

Run: python tools/gallery.py [工作簿.xlsx]   (default: the 安居 sample)
Needs LibreOffice (soffice) and poppler (pdftoppm, pdftotext) on PATH; it is run by hand
when the layout changes, never by the tests or CI. Writes docs/report-page-1.png … -3.png
(the first pages), docs/report-attachment.png (the first 附件 page) and
docs/report-appendix-8.png (the page with 附表8).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import generate  # noqa: E402

DOCS = ROOT / "docs"
DEFAULT = ROOT / "sample_inputs" / "四川-安居区社保局-2024年度单位决算.xlsx"
DPI = 110


def to_pdf(docx: Path, work: Path) -> Path:
    profile = work / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(docx)], check=True, capture_output=True, timeout=300)
    return work / (docx.stem + ".pdf")


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")


def render_page(pdf: Path, page: int, target: Path, work: Path) -> None:
    stem = work / f"p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    shutil.move(str(stem) + ".png", target)


def first_page(texts: list[str], needle: str) -> int:
    """1-based number of the first page with a line holding `needle` (spaces ignored)."""
    for i, text in enumerate(texts, start=1):
        if any(needle in line.replace(" ", "").replace("\u3000", "") for line in text.splitlines()):
            return i
    raise SystemExit(f"no page with {needle!r}")


def main(workbook: Path) -> list[Path]:
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: install LibreOffice and poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docx = generate(workbook, work / "out").written.report
        pdf = to_pdf(docx, work)
        texts = page_texts(pdf)
        pages = {"report-page-1.png": 1, "report-page-2.png": 2, "report-page-3.png": 3,
                 "report-attachment.png": first_page(texts, "一级指标二级指标三级指标"),
                 "report-appendix-8.png": first_page(texts, "附表8一般公共预算")}
        DOCS.mkdir(exist_ok=True)
        written = []
        for name, page in pages.items():
            render_page(pdf, page, DOCS / name, work)
            written.append(DOCS / name)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT):
        print(path)

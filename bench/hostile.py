"""Benchmark of hostile and oversized workbooks (not a test): prints time and peak memory per case.

    python bench/hostile.py

Builds the small files that used to cost minutes and a gigabyte (millions of shared strings
in 0.5 MB; an extra sheet of a million rows, as a stray part and as a sheet of the workbook; a
dimension of A1:XFD5000; 264,000 filled-down formulas in a sheet the report reads, and the same
cells as plain values) next to a normal sample workbook, and runs `generate check --report` on
each as a real process, reporting wall time, user CPU time, exit status, peak RSS (from the
kernel's accounting of the finished child) and the first line on stderr (or the last on stdout).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.xlsxparts import column_letter  # noqa: E402
SAMPLE = ROOT / "sample_inputs" / "四川-安居区社保局-2024年度单位决算.xlsx"


def with_parts(extra: dict[str, bytes], target: Path) -> Path:
    with zipfile.ZipFile(SAMPLE) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    members.update(extra)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    target.write_bytes(buf.getvalue())
    return target


def big_sheet(rows: int) -> bytes:
    body = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, rows + 1))
    return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + body
            + b"</sheetData></worksheet>")


def add_sheet(title: str, xml: bytes, target: Path) -> Path:
    """The sample with one more sheet, listed in workbook.xml as Excel lists it."""
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(SAMPLE) as z:
        book, rels, types = (z.read(n).decode() for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                          "[Content_Types].xml"))
    book = book.replace("</sheets>", f'<sheet xmlns:r="{r}" name="{title}" sheetId="99" r:id="rId99"/></sheets>')
    rels = rels.replace("</Relationships>", f'<Relationship Id="rId99" Type="{r}/worksheet" Target="worksheets/extra.xml"/>'
                                            "</Relationships>")
    types = types.replace("</Types>", '<Override PartName="/xl/worksheets/extra.xml" ContentType='
                                      '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    return with_parts({"xl/workbook.xml": book.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                       "[Content_Types].xml": types.encode(), "xl/worksheets/extra.xml": xml}, target)


def grid(rows: int, cols: int, formulas: bool) -> bytes:
    """A sheet of rows × cols cells holding their row number: as values, or as one formula per
    column filled down (Excel's shared formulas: the text once, `si` in every other cell)."""
    out = [b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r in range(1, rows + 1):
        cells = []
        for c in range(1, cols + 1):
            ref = f"{column_letter(c)}{r}"
            if not formulas:
                cells.append(f'<c r="{ref}"><v>{r}</v></c>')
            elif r == 1:
                cells.append(f'<c r="{ref}"><f t="shared" ref="{column_letter(c)}1:{column_letter(c)}{rows}" si="{c - 1}">ROW()</f>'
                             f"<v>{r}</v></c>")
            else:
                cells.append(f'<c r="{ref}"><f t="shared" si="{c - 1}"/><v>{r}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>'.encode())
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


# a fresh parent per case, so that RUSAGE_CHILDREN is that one `generate` process alone
MEASURE = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "sys.stdout.write(p.stderr.strip().splitlines()[0] if p.stderr.strip() else p.stdout.strip().splitlines()[-1]); "
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); sys.stdout.write(f'\\t{p.returncode}\\t{u.ru_maxrss}\\t{u.ru_utime:.2f}')")


def run(path: Path, out: Path) -> None:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-c", "from generator.cli import main; main()",
                           "check", str(path), "--report", "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    said, code, peak, user = proc.stdout.rsplit("\t", 3)
    print(f"{path.name:28} {path.stat().st_size / 1024:7.0f} KB  {wall:6.2f} s  user {user} s  exit {code}  "
          f"peak RSS {int(peak) / 1024:5.0f} MB  {said[:100]}")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    cases = {
        "normal.xlsx": SAMPLE,
        "shared-strings-3M.xlsx": with_parts({"xl/sharedStrings.xml": b"<sst>" + b"<si><t>a</t></si>" * 3_000_000
                                              + b"</sst>"}, folder / "shared-strings-3M.xlsx"),
        "sheet-1M-rows.xlsx": with_parts({"xl/worksheets/sheet99.xml": big_sheet(1_000_000)}, folder / "sheet-1M-rows.xlsx"),
        "sheet-1M-rows-listed.xlsx": add_sheet("草稿", big_sheet(1_000_000), folder / "sheet-1M-rows-listed.xlsx"),
        "read-sheet-264k-values.xlsx": with_parts({"xl/worksheets/sheet5.xml": grid(4990, 53, formulas=False)},
                                                  folder / "read-sheet-264k-values.xlsx"),
        "read-sheet-264k-formulas.xlsx": with_parts({"xl/worksheets/sheet5.xml": grid(4990, 53, formulas=True)},
                                                    folder / "read-sheet-264k-formulas.xlsx"),
        "dimension-XFD.xlsx": with_parts({"xl/worksheets/sheet2.xml": zipfile.ZipFile(SAMPLE).read(
            "xl/worksheets/sheet2.xml").replace(b'<dimension ref="A1:C19"/>', b'<dimension ref="A1:XFD5000"/>')},
            folder / "dimension-XFD.xlsx"),
    }
    print(f"Python {sys.version.split()[0]}; `generate check --report` per file, one process each")
    for name, path in cases.items():
        run(path, folder / "out")


if __name__ == "__main__":
    main()

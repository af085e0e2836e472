"""Benchmark of refusing hostile workbooks (not a test): prints time and peak memory per case.

    python bench/hostile.py

Builds the small files that used to cost minutes and a gigabyte (millions of shared strings
in 0.5 MB; an extra sheet of a million rows; a dimension of A1:XFD1048576) next to a normal
sample workbook, and runs `generate check --report` on each as a real process, reporting wall
time, exit status, peak RSS (from the kernel's accounting of the finished child) and the
first line on stderr.
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


# a fresh parent per case, so that RUSAGE_CHILDREN is that one `generate` process alone
MEASURE = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "sys.stdout.write(p.stderr.strip().splitlines()[0] if p.stderr.strip() else p.stdout.strip().splitlines()[-1]); "
           "sys.stdout.write(f'\\t{p.returncode}\\t{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')")


def run(path: Path, out: Path) -> None:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-c", "from generator.cli import main; main()",
                           "check", str(path), "--report", "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    said, code, peak = proc.stdout.rsplit("\t", 2)
    print(f"{path.name:24} {path.stat().st_size / 1024:7.0f} KB  {wall:6.2f} s  exit {code}  "
          f"peak RSS {int(peak) / 1024:5.0f} MB  {said[:100]}")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    cases = {
        "normal.xlsx": SAMPLE,
        "shared-strings-3M.xlsx": with_parts({"xl/sharedStrings.xml": b"<sst>" + b"<si><t>a</t></si>" * 3_000_000
                                              + b"</sst>"}, folder / "shared-strings-3M.xlsx"),
        "sheet-1M-rows.xlsx": with_parts({"xl/worksheets/sheet99.xml": big_sheet(1_000_000)}, folder / "sheet-1M-rows.xlsx"),
        "dimension-XFD.xlsx": with_parts({"xl/worksheets/sheet2.xml": zipfile.ZipFile(SAMPLE).read(
            "xl/worksheets/sheet2.xml").replace(b'<dimension ref="A1:C19"/>', b'<dimension ref="A1:XFD5000"/>')},
            folder / "dimension-XFD.xlsx"),
    }
    print(f"Python {sys.version.split()[0]}; `generate check --report` per file, one process each")
    for name, path in cases.items():
        run(path, folder / "out")


if __name__ == "__main__":
    main()

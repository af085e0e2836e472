"""Look inside a workbook before parsing it: refuse what no real 决算 workbook looks like.

Why: the parsers (calamine, lxml, openpyxl) build everything they read in memory. A 0.5 MB file can hold millions of
shared strings, a 5 MB one a sheet of a million rows, and a "dimension" of A1:XFD1048576
makes even a short sheet expand to 16384 columns per row; each costs minutes and a gigabyte.
The zip directory and one streaming pass over the XML tell us all that in milliseconds, so a
hostile or broken file is refused with one Chinese sentence before any parsing starts.

The limits are far above the largest real workbook (the sample workbooks hold about 8,000
cells in 0.5 MB of XML); README states them. `read_checked` is the one way the program
takes in a workbook it was given: type by content (not by the file's extension), then
inspection. The reader parses its bytes (sheets.py); `open_workbook` gives them to openpyxl
(the check workbook, annotate.py), every failure on a damaged file becoming a `WorkbookError`.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path

from .errors import WorkbookError
from .sheets import column_number

MAX_FILE_BYTES = 20 * 1024 * 1024  # the workbook file itself
MAX_PART_BYTES = 16 * 1024 * 1024  # one XML part, unpacked
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts together, unpacked
MAX_PARTS = 2000
MAX_SHEETS = 100
MAX_SHEET_ROWS = 10_000  # any sheet; the sheets we read are limited further (sheets.MAX_ROWS)
MAX_COLUMNS = 256  # column IV
MAX_CELLS = 300_000  # all sheets together
MAX_SHARED_STRINGS = 100_000

CHUNK = 1 << 20
ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
SHARED = re.compile(rb"<(?:\w+:)?si[\s>/]")
CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Za-z]{2,})\d")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref=\"([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?\"")
OVERLAP = 64  # bytes carried between chunks so that a tag cut in two is still seen once

TOO_BIG = "；一份决算工作簿远小于此，请删除多余的工作表、行和列（或从空白工作簿重新复制数据）后重试"


def _column_number(letters: bytes) -> int:
    return column_number(letters.decode("ascii", "ignore"))


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, patterns: dict[str, re.Pattern],
          limits: dict[str, int] | None = None) -> dict:
    """Count the matches of each pattern in one part, streaming; also its widest cell column
    and its declared dimension (the first chunk holds it). Stops as soon as a count passes its
    limit: a hostile part is refused after reading only as much as the limit allows."""
    counts = dict.fromkeys(patterns, 0)
    widest, dimension = 0, None
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            cut = max(len(data) - OVERLAP, 0)
            # a match counts in the chunk where it starts before the carried-over tail
            for key, pattern in patterns.items():
                counts[key] += sum(1 for m in pattern.finditer(data) if m.start() < cut)
            for m in CELL_COLUMN.finditer(data):
                if m.start() < cut:
                    widest = max(widest, _column_number(m.group(1)))
            if dimension is None:
                dimension = DIMENSION.search(data) or False
            tail = data[cut:]
            if limits and any(counts[k] > n for k, n in limits.items()):
                break
    for key, pattern in patterns.items():  # what starts in the last tail
        counts[key] += sum(1 for _ in pattern.finditer(tail))
    for m in CELL_COLUMN.finditer(tail):
        widest = max(widest, _column_number(m.group(1)))
    counts["widest"] = widest
    counts["dimension"] = dimension or None
    return counts


def inspect(archive: zipfile.ZipFile, name: str) -> None:
    """Raise a WorkbookError when any part of the workbook exceeds the limits above."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookError(f"“{name}”包含 {len(infos)} 个部件，超过了 {MAX_PARTS} 个的上限" + TOO_BIG)
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError(f"“{name}”中的“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，"
                                f"超过了 {MAX_PART_BYTES // 1024 // 1024} MB 的上限" + TOO_BIG)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(f"“{name}”解压后共 {total // 1024 // 1024} MB，超过了 {MAX_TOTAL_BYTES // 1024 // 1024} MB 的上限"
                            + TOO_BIG)
    sheets = [i for i in infos if i.filename.lower().startswith("xl/worksheets/") and i.filename.lower().endswith(".xml")]
    if len(sheets) > MAX_SHEETS:
        raise WorkbookError(f"“{name}”有 {len(sheets)} 张工作表，超过了 {MAX_SHEETS} 张的上限" + TOO_BIG)
    cells = 0
    try:
        for info in sheets:
            found = _scan(archive, info, {"rows": ROW, "cells": CELL},
                          {"rows": MAX_SHEET_ROWS, "cells": MAX_CELLS - cells})
            where = f"“{name}”的工作表部件“{info.filename.rsplit('/', 1)[-1]}”"
            if found["rows"] > MAX_SHEET_ROWS:
                raise WorkbookError(f"{where}超过了 {MAX_SHEET_ROWS} 行的上限" + TOO_BIG)
            dim = found["dimension"]
            if dim is not None:
                last_col = _column_number(dim.group(3) or dim.group(1) or b"A")
                last_row = int(dim.group(4) or dim.group(2) or 1)
                if last_col > MAX_COLUMNS or last_row > MAX_SHEET_ROWS:
                    used = b"".join(g or b"" for g in dim.groups()[:2]) + (b":" + b"".join(g or b"" for g in dim.groups()[2:])
                                                                           if dim.group(3) or dim.group(4) else b"")
                    raise WorkbookError(f"{where}的使用范围为 {used.decode('ascii', 'replace')}，"
                                        f"超过了 {MAX_SHEET_ROWS} 行、{MAX_COLUMNS} 列的上限" + TOO_BIG)
            if found["widest"] > MAX_COLUMNS:
                raise WorkbookError(f"{where}的数据超过了 {MAX_COLUMNS} 列的上限" + TOO_BIG)
            cells += found["cells"]
            if cells > MAX_CELLS:
                raise WorkbookError(f"“{name}”的单元格超过了 {MAX_CELLS} 个的上限" + TOO_BIG)
        for info in infos:
            if info.filename.lower().endswith("sharedstrings.xml"):
                n = _scan(archive, info, {"strings": SHARED}, {"strings": MAX_SHARED_STRINGS})["strings"]
                if n > MAX_SHARED_STRINGS:
                    raise WorkbookError(f"“{name}”中不同的文字超过了 {MAX_SHARED_STRINGS} 个的上限" + TOO_BIG)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error) as exc:
        raise WorkbookError(f"“{name}”无法作为 Excel 工作簿打开（文件损坏或已加密）") from exc


def read_checked(path: Path) -> bytes:
    """The bytes of the workbook at `path`, after its type (by content) and its parts were checked."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"找不到文件“{path}”")
    if path.is_dir():
        raise WorkbookError(f"“{path}”是文件夹，不是工作簿")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(b"PK") and size <= MAX_FILE_BYTES:
                f.seek(0)
                data = f.read()
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(f"“{path.name}”是旧版 .xls 文件或加密的工作簿；请在 Excel/WPS 中取消密码并另存为 .xlsx 后重试")
    if not head.startswith(b"PK"):
        raise WorkbookError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件；请在 Excel/WPS 中另存为 .xlsx 后重试")
    if size > MAX_FILE_BYTES:
        raise WorkbookError(f"“{path.name}”有 {size // 1024 // 1024} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限"
                            + TOO_BIG)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）") from exc
    with archive:
        names = {n.lower() for n in archive.namelist()}
        if not any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):  # a .docx, a plain .zip
            raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）")
        inspect(archive, path.name)
    return data


def open_workbook(path: Path, **options):
    """openpyxl's workbook for `path` (options as for `load_workbook`), or a WorkbookError.

    The bytes are given to openpyxl as a file object, so the file's extension does not matter
    (a valid workbook named .xls, .csv or without extension is read; the content decides).
    """
    from openpyxl import load_workbook

    path = Path(path)
    data = read_checked(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), **options)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl on a damaged part: XML syntax, missing part, bad attribute …
        raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿打开：文件已损坏（{damaged_part(exc)}）；"
                            "请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc


def damaged_part(exc: BaseException) -> str:
    """A few words on what the parser (openpyxl, lxml, calamine) choked on, for the clerk (no English error text)."""
    kind = type(exc).__name__
    if isinstance(exc, SyntaxError) or kind == "XmlError":  # xml.etree/lxml syntax errors are SyntaxErrors
        return "内部 XML 格式错误"
    if isinstance(exc, KeyError) or kind == "ZipError":
        return "缺少必需的部件"
    return "内容不符合 Excel 格式"

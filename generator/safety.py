"""Look inside a workbook before parsing it: refuse what no real 决算 workbook looks like.

Why: the parsers (calamine, lxml, openpyxl) build everything they read in memory. A 0.5 MB file can hold millions of
shared strings, a 5 MB one a sheet of a million rows; each costs minutes and a gigabyte.
The zip directory and one streaming pass over the XML tell us all that in milliseconds, so a
hostile or broken file is refused with one Chinese sentence before any parsing starts.

What is counted is what the sheet holds (its rows, its cells and the columns they stand in), never
what a tag claims: Excel and WPS write a `<dimension>` of A1:XFD1048576 for ordinary sheets, and
neither calamine nor openpyxl sizes anything by it. A sheet the report does not read (a 草稿, a
pasted export) that is over a limit is not a reason to refuse the workbook: its part is replaced by
an empty sheet before any parser sees it, and the reader says so (a 提示 naming the sheet). The
file and its unpacked size stay bounded as a whole.

The limits are far above the largest real workbook (the sample workbooks hold about 8,000
cells in 0.5 MB of XML); README states them. `read_checked` is the one way the program
takes in a workbook it was given: a regular file (a FIFO or a device is never opened), type by
content (not by the file's extension), then inspection. The reader parses its bytes (sheets.py);
`open_workbook` gives them to openpyxl (the check workbook, annotate.py), every failure on a
damaged file becoming a `WorkbookError`.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WorkbookError
from .xlsxparts import MAIN, SheetPart, column_number, sheet_parts

MAX_FILE_BYTES = 20 * 1024 * 1024  # the workbook file itself
MAX_PART_BYTES = 16 * 1024 * 1024  # one XML part that is parsed, unpacked
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts together, unpacked
MAX_PARTS = 2000
MAX_SHEETS = 100
MAX_SHEET_ROWS = 10_000  # any sheet; the sheets we read are limited further (sheets.MAX_ROWS)
MAX_COLUMNS = 256  # column IV
MAX_CELLS = 300_000  # all sheets together
MAX_SHARED_STRINGS = 100_000

CHUNK = 1 << 20
ROW = re.compile(rb"<(?:\w+:)?row(?=[\s>/])")
CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])")
WIDE_CELL = re.compile(rb'<c r="([A-Za-z]{2,})')  # a cell in column AA or beyond, as Excel, WPS and openpyxl write it
TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s>/])([^>]*)>")  # a row or a cell, with its attributes
REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)""")  # the column letters of a cell's own reference
SHARED = re.compile(rb"<(?:\w+:)?si[\s>/]")
EMPTY_SHEET = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'.encode()

TOO_BIG = "；一份决算工作簿远小于此，请删除多余的工作表、行和列（或从空白工作簿重新复制数据）后重试"


@dataclass
class Counts:
    """What one sheet part holds, as far as it was read (the scan stops at the first limit passed)."""

    rows: int = 0
    cells: int = 0
    widest: int = 0  # the right-most column any cell stands in

    def over(self, cells_left: int) -> str | None:
        """Which limit these counts pass, as the clerk reads it (None: within every limit)."""
        if self.rows > MAX_SHEET_ROWS:
            return f"超过了 {MAX_SHEET_ROWS} 行的上限"
        if self.widest > MAX_COLUMNS:
            return f"有数据在第 {MAX_COLUMNS} 列（IV 列）之外，超过了 {MAX_COLUMNS} 列的上限"
        if self.cells > cells_left:
            return f"使全部工作表的单元格超过了 {MAX_CELLS} 个的上限"
        return None


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells_left: int) -> Counts:
    """Rows, cells and the widest column of one sheet part, streaming; stops as soon as a limit is
    passed, so a hostile part costs no more than the limit allows.

    Where every cell is written as Excel, WPS and openpyxl write it (`<c r="B7"`, no namespace
    prefix), plain byte counts say it all (a few milliseconds per workbook); any other part is
    counted cell by cell (`_count_placed`)."""
    counts, tail = Counts(), b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")  # tags before the last "<" are whole; the rest waits for the next chunk
            cut = cut if cut > 0 else len(data)
            whole, tail = data[:cut], data[cut:]
            cells = whole.count(b"<c ") + whole.count(b"<c>") + whole.count(b"<c/>")
            if whole.count(b'<c r="') != cells or b":c " in whole or b":c>" in whole or b":row" in whole:
                return _count_placed(archive, info, cells_left)
            counts.rows += whole.count(b"<row ") + whole.count(b"<row>") + whole.count(b"<row/>")
            counts.cells += cells
            wide = WIDE_CELL.findall(whole)
            if wide:  # the right-most: longest letters, then last in order
                counts.widest = max(counts.widest, column_number(max(wide, key=lambda w: (len(w), w.upper())).decode("ascii")))
            if counts.over(cells_left):
                return counts
    counts.rows += len(ROW.findall(tail))  # a document cut short: what is there still counts
    counts.cells += len(CELL.findall(tail))
    return counts


def _count_placed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells_left: int) -> Counts:
    """`_count`, tag by tag: a cell without its own reference stands right of the one before it
    (as Excel, calamine and openpyxl place it), so its column is counted from its row's start."""
    counts, column, tail = Counts(), 0, b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")
            cut = cut if cut > 0 else len(data)
            for m in TAG.finditer(data, 0, cut):
                if m.group(1) == b"row":
                    counts.rows += 1
                    column = 0
                    continue
                counts.cells += 1
                ref = REF.search(m.group(2))
                column = column_number(ref.group(1).decode("ascii")) if ref and ref.group(1) else column + 1
                counts.widest = max(counts.widest, column)
            tail = data[cut:]
            if counts.over(cells_left):
                return counts
    counts.rows += len(ROW.findall(tail))
    counts.cells += len(CELL.findall(tail))
    return counts


def _part_kind(filename: str) -> str:
    """A part as the clerk can picture it (its zip path means nothing to them)."""
    low = filename.lower()
    if "sharedstrings" in low:
        return "文字表"
    if low.startswith("xl/media/"):
        return "图片"
    if low.startswith("xl/embeddings/"):
        return "嵌入的对象"
    if "drawing" in low or "chart" in low:
        return "图形或图表"
    if "styles" in low:
        return "格式"
    return "内部数据"


@dataclass
class Package:
    """The bytes a parser may read, and the sheets left out of them (title, why) for the reader to report."""

    data: bytes
    skipped: list[tuple[str, str]] = field(default_factory=list)


def inspect(archive: zipfile.ZipFile, name: str, reads: frozenset[str] | None = None) -> list[tuple[SheetPart, str]]:
    """Raise a WorkbookError when the workbook is beyond the limits above; the sheets not in
    `reads` (the report's sheets; None: every sheet) that are beyond them are returned with the
    limit they pass, to be left out, not refused."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise WorkbookError(f"“{name}”包含 {len(infos)} 个部件，超过了 {MAX_PARTS} 个的上限" + TOO_BIG)
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(f"“{name}”解压后共 {total // 1024 // 1024} MB，超过了 {MAX_TOTAL_BYTES // 1024 // 1024} MB 的上限"
                            + TOO_BIG)
    try:
        return _inspect(archive, name, reads)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error) as exc:
        raise WorkbookError(f"“{name}”无法作为 Excel 工作簿打开（文件损坏或已加密）") from exc


def _inspect(archive: zipfile.ZipFile, name: str, reads: frozenset[str] | None) -> list[tuple[SheetPart, str]]:
    """`inspect` once the zip directory passed: the parts themselves."""
    infos = {i.filename: i for i in archive.infolist()}
    for info in infos.values():  # before workbook.xml is parsed: it too could be a bomb
        if info.file_size > MAX_PART_BYTES and not info.filename.lower().startswith("xl/worksheets/"):
            raise WorkbookError(f"“{name}”中的{_part_kind(info.filename)}部分解压后有 {info.file_size // 1024 // 1024} MB，"
                                f"超过了 {MAX_PART_BYTES // 1024 // 1024} MB 的上限" + TOO_BIG)
    try:
        sheets = [s for s in sheet_parts(archive) if s.path in infos]
    except (KeyError, SyntaxError) as exc:  # workbook.xml or its relationships damaged or missing
        raise WorkbookError(f"“{name}”无法作为 Excel 工作簿打开：文件已损坏（{damaged_part(exc)}）；"
                            "请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc
    if len(sheets) > MAX_SHEETS:
        raise WorkbookError(f"“{name}”有 {len(sheets)} 张工作表，超过了 {MAX_SHEETS} 张的上限" + TOO_BIG)
    skipped: list[tuple[SheetPart, str]] = []
    cells = 0
    # the report's sheets first: they must fit; the others then share what is left, or are left out
    for sheet in sorted(sheets, key=lambda s: reads is not None and s.title not in reads):
        info = infos[sheet.path]
        read = reads is None or sheet.title in reads
        if info.file_size > MAX_PART_BYTES:
            why = f"解压后有 {info.file_size // 1024 // 1024} MB，超过了 {MAX_PART_BYTES // 1024 // 1024} MB 的上限"
        else:
            found = _count(archive, info, MAX_CELLS - cells)
            why = found.over(MAX_CELLS - cells)
        if why is None:
            cells += found.cells
        elif read:
            raise WorkbookError(f"“{name}”的工作表“{sheet.title}”{why}" + TOO_BIG)
        else:
            skipped.append((sheet, why))
    for info in infos.values():
        if info.filename.lower().endswith("sharedstrings.xml"):
            n = _count_shared(archive, info)
            if n > MAX_SHARED_STRINGS:
                raise WorkbookError(f"“{name}”中不同的文字超过了 {MAX_SHARED_STRINGS} 个的上限" + TOO_BIG)
    return skipped


def _count_shared(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Shared strings in the part, streaming, up to just past the limit."""
    n, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            cut = max(len(data) - 8, 0)  # "<x:si " is never longer: a tag cut in two is counted once
            n += sum(1 for m in SHARED.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if n > MAX_SHARED_STRINGS:
                return n
    return n + sum(1 for _ in SHARED.finditer(tail))


def _without(archive: zipfile.ZipFile, skipped: list[tuple[SheetPart, str]]) -> bytes:
    """The package with each skipped sheet's part replaced by an empty sheet (stored, not
    compressed: it is only read from memory, once)."""
    empty = {s.path for s, _ in skipped}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            out.writestr(info.filename, EMPTY_SHEET if info.filename in empty else archive.read(info))
    return buf.getvalue()


def regular_file(path: Path) -> os.stat_result:
    """The file's status when it is a regular file (links followed); a WorkbookError otherwise.

    Checked before anything opens it: opening a FIFO waits for a writer for ever, and a device
    (/dev/zero, a disk) never ends."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise WorkbookError(f"“{path.name}”是一个链接，它指向的文件“{os.readlink(path)}”不存在") from None
        raise WorkbookError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise WorkbookError(f"“{path}”是文件夹，不是工作簿")
    if not stat.S_ISREG(st.st_mode):
        kind = "命名管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else (
            "设备文件" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "特殊文件")
        raise WorkbookError(f"“{path.name}”是{kind}，不是普通文件，不能作为工作簿读取")
    return st


def read_checked(path: Path) -> Package:
    """The workbook at `path` as parsers may read it, after its type (by content) and its parts
    were checked; sheets the report does not read that are beyond the limits are left out."""
    from .layout import sheet_titles

    path = Path(path)
    size = regular_file(path).st_size
    data = b""
    try:
        with open(path, "rb", opener=_no_wait) as f:
            head = f.read(8)
            if head.startswith(b"PK") and size <= MAX_FILE_BYTES:
                f.seek(0)
                data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(f"“{path.name}”是旧版 .xls 文件或加密的工作簿；请在 Excel/WPS 中取消密码并另存为 .xlsx 后重试")
    if not head.startswith(b"PK"):
        raise WorkbookError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件；请在 Excel/WPS 中另存为 .xlsx 后重试")
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise WorkbookError(f"“{path.name}”有 {max(size, len(data)) // 1024 // 1024} MB，超过了 "
                            f"{MAX_FILE_BYTES // 1024 // 1024} MB 的上限" + TOO_BIG)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）") from exc
    with archive:
        names = {n.lower() for n in archive.namelist()}
        if not any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):  # a .docx, a plain .zip
            raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx）")
        skipped = inspect(archive, path.name, sheet_titles())
        if skipped:
            data = _without(archive, skipped)
    return Package(data, [(s.title, why) for s, why in skipped])


def _no_wait(path, flags: int) -> int:
    """open() that never blocks: a FIFO put in place of the file after `regular_file` looked at it
    fails instead of waiting for a writer."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def open_workbook(path: Path, **options):
    """openpyxl's workbook for `path` (options as for `load_workbook`), or a WorkbookError.

    The bytes are given to openpyxl as a file object, so the file's extension does not matter
    (a valid workbook named .xls, .csv or without extension is read; the content decides).
    """
    from openpyxl import load_workbook

    path = Path(path)
    data = read_checked(path).data
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

"""The workbook file → plain grids of cell values, one `Sheet` per worksheet.

Why not openpyxl here: reading a filled workbook was a third of a report's time, nearly all of
it openpyxl building a Python object per cell. python-calamine (Rust) reads the same cached
values about fifteen times faster. What calamine does not give, the sheet's own XML does, read
with lxml (which also proves the part is well-formed, as openpyxl's parser did): formulas
(to say which blank cell is an uncalculated formula), error values (#DIV/0! …, which calamine
turns into blanks), hidden rows, the data-validation area and merged ranges.

openpyxl still writes every workbook we produce (workbook.py, annotate.py, batch.py).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import WorkbookError

MAX_ROWS = 5000  # a sheet longer than this is not a 决算 table; see README

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
EXACT_FLOAT = 2 ** 53  # integral floats below this are the integers Excel wrote


@dataclass
class Sheet:
    """One worksheet as plain data: cached values (rows start at 1), formulas by cell, merges."""

    title: str
    values: list[tuple]
    formulas: dict[tuple[int, int], str]  # (row, col) → "=SUM(D6:D9)"
    merges: list[tuple[int, int, int, int]]  # min_row, min_col, max_row, max_col
    hidden_rows: frozenset[int] = frozenset()
    last_input_row: int | None = None  # the end of the input area `generate init` drew (its validations)

    @property
    def max_row(self) -> int:
        return len(self.values)

    def value(self, row: int, col: int) -> Any:
        if row > len(self.values) or col > len(self.values[row - 1]):
            return None
        return self.values[row - 1][col - 1]

    def formula(self, row: int, col: int) -> str | None:
        return self.formulas.get((row, col))


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (cell references in messages)."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """"B12" → (12, 2)."""
    i = next(i for i, ch in enumerate(ref) if ch.isdigit())
    return int(ref[i:]), column_number(ref[:i])


class Book:
    """An open workbook: its sheet titles and, on demand, each `Sheet`."""

    def __init__(self, data: bytes, name: str):
        from python_calamine import CalamineWorkbook

        from .safety import damaged_part

        self.archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            self.archive.getinfo("[Content_Types].xml")  # Excel and WPS refuse a package without it
            self.paths = _sheet_paths(self.archive)
            self.calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            parts = set(self.archive.namelist())
            # a sheet whose part is missing is no sheet (as in Excel, which drops it on repair)
            self.sheetnames = [n for n in self.calamine.sheet_names if self.paths.get(n) in parts]
        except Exception as exc:  # a damaged workbook.xml, rels, styles or sharedStrings part
            raise WorkbookError(f"“{name}”无法作为 Excel 工作簿打开：文件已损坏（{damaged_part(exc)}）；"
                                "请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc

    def sheet(self, title: str) -> Sheet:
        from .safety import damaged_part

        try:
            rows = self.calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
            xml = self.archive.read(self.paths[title])
            return _sheet(title, rows, xml)
        except WorkbookError:
            raise
        except Exception as exc:  # the sheet part is damaged (XML syntax, missing part …)
            raise WorkbookError(f"无法读取：文件已损坏（{damaged_part(exc)}）；请在 Excel/WPS 中打开并另存为 .xlsx 后重试",
                                title) from exc

    def close(self) -> None:
        self.calamine.close()
        self.archive.close()


def open_book(path: Path) -> Book:
    """The workbook at `path`, after its type (by content), size and parts were checked."""
    from .safety import read_checked

    return Book(read_checked(path), Path(path).name)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its part in the zip, from workbook.xml and its relationships."""
    from lxml import etree

    names = {n.lower(): n for n in archive.namelist()}
    book = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in etree.fromstring(archive.read(names["_rels/.rels"])).iter(f"{{{RELS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    book = names.get(book.lower(), book)
    folder, base = posixpath.split(book)
    rels_path = names.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    targets = {}
    if rels_path:
        for rel in etree.fromstring(archive.read(rels_path)).iter(f"{{{RELS}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            targets[rel.get("Id")] = names.get(target.lower(), target)
    out = {}
    root = etree.fromstring(archive.read(book))
    for ns in (MAIN, STRICT_MAIN):
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[sheet.get("name")] = targets[rid]
    return out


def _plain(value: Any) -> Any:
    """calamine's cell value as openpyxl gave it: blank → None, 2024.0 → 2024."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < EXACT_FLOAT:
        return int(value)
    return value


def _moved(origin: str, text: str, target: str) -> str:
    """A shared formula as it reads in another cell of its range ("D6+E6" from C6, in C7: "D7+E7")."""
    from openpyxl.formula.translate import Translator  # rare: only workbooks with filled-down formulas

    try:
        return Translator("=" + text, origin=origin).translate_formula(target)[1:]
    except Exception:  # an unusual formula: its text as written in the first cell
        return text


def _sheet(title: str, rows: list[list], xml: bytes) -> Sheet:
    from lxml import etree

    if len(rows) > MAX_ROWS:
        raise WorkbookError(f"超过了 {MAX_ROWS} 行的上限，请确认没有粘贴多余的数据", title)
    root = etree.fromstring(xml)  # also: a damaged part is refused, not half read
    ns = root.nsmap.get(None) or MAIN
    q = f"{{{ns}}}"
    values = [[_plain(v) for v in row] for row in rows]
    formulas: dict[tuple[int, int], str] = {}
    shared: dict[str, tuple[str, str]] = {}  # si → (cell, text) of the shared formula's first cell
    # most sheets hold neither formulas nor error values: then no cell needs looking at
    for f in root.iter(f"{q}f") if b"<f" in xml or b":f" in xml else ():
        c, text = f.getparent(), f.text or ""
        if c is None or not c.get("r"):
            continue
        if f.get("t") == "shared" and f.get("si") is not None:  # one formula filled down/across
            if text:
                shared.setdefault(f.get("si"), (c.get("r"), text))
            elif f.get("si") in shared:
                text = _moved(*shared[f.get("si")], c.get("r"))
        formulas[split_ref(c.get("r"))] = "=" + text
    for c in root.iter(f"{q}c") if b'"e"' in xml or b"'e'" in xml else ():
        if c.get("t") != "e" or not c.get("r"):
            continue
        row, col = split_ref(c.get("r"))
        v = c.find(f"{q}v")
        while len(values) < row:
            values.append([])
        line = values[row - 1]
        line.extend([None] * (col - len(line)))
        line[col - 1] = v.text if v is not None and v.text else "#N/A"
    while values and all(v is None for v in values[-1]):
        values.pop()
    hidden = frozenset(int(r.get("r")) for r in root.iter(f"{q}row")
                       if r.get("hidden") in ("1", "true") and (r.get("r") or "").isdigit())
    ends = [split_ref(part.split(":")[-1])[0] for dv in root.iter(f"{q}dataValidation")
            for part in (dv.get("sqref") or "").split() if any(ch.isdigit() for ch in part)]
    merges = []
    for m in root.iter(f"{q}mergeCell"):
        first, _, last = (m.get("ref") or "").partition(":")
        if first:
            (r1, c1), (r2, c2) = split_ref(first), split_ref(last or first)
            merges.append((r1, c1, r2, c2))
    return Sheet(title, [tuple(row) for row in values], formulas, merges, hidden, max(ends) if ends else None)

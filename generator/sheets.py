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
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import WorkbookError
from .safety import Package, damaged_part, read_checked
from .xlsxparts import MAIN, STRICT_MAIN, column_letter, sheet_parts, split_ref

MAX_ROWS = 5000  # a sheet longer than this is not a 决算 table; see README

EXACT_FLOAT = 2 ** 53  # integral floats below this are the integers Excel wrote


@dataclass
class Sheet:
    """One worksheet as plain data: cached values (rows start at 1), formulas by cell, merges."""

    title: str
    values: list[tuple]
    formulas: "Formulas"  # of the cells without a cached value: (row, col) → "=SUM(D6:D9)"
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


class Formulas:
    """The formulas of a sheet's cells that have no cached value, by (row, col).

    A formula filled down or across is stored once with the cells it covers (its `si`), and
    written out as it reads in a cell only when that cell is asked for: translating each of
    264,000 filled-down cells up front took 8–18 s and 500 MB; the reader asks for a few."""

    def __init__(self) -> None:
        self.own: dict[tuple[int, int], str] = {}
        self.filled: dict[tuple[int, int], str] = {}  # cell → si of its shared formula
        self.shared: dict[str, tuple[str, str]] = {}  # si → (cell, text) of the shared formula's first cell

    def get(self, key: tuple[int, int]) -> str | None:
        if key in self.own:
            return self.own[key]
        si = self.filled.get(key)
        if si is None or si not in self.shared:
            return None
        origin, text = self.shared[si]
        row, col = key
        return "=" + _moved(origin, text, f"{column_letter(col)}{row}")


class Book:
    """An open workbook: its sheet titles and, on demand, each `Sheet`."""

    def __init__(self, package: Package, name: str):
        from python_calamine import CalamineWorkbook

        data = package.data
        self.skipped = package.skipped  # sheets left out by the safety scan: (title, why)
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            self.archive.getinfo("[Content_Types].xml")  # Excel and WPS refuse a package without it
            sheets = sheet_parts(self.archive)
            self.paths = {p.title: p.path for p in sheets}
            self.hidden = {p.title for p in sheets if p.hidden}  # hidden or very hidden in Excel's sheet tabs
            self.calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            parts = set(self.archive.namelist())
            # a sheet whose part is missing is no sheet (as in Excel, which drops it on repair)
            self.sheetnames = [n for n in self.calamine.sheet_names if self.paths.get(n) in parts]
        except Exception as exc:  # a damaged workbook.xml, rels, styles or sharedStrings part
            raise WorkbookError(f"“{name}”无法作为 Excel 工作簿打开：文件已损坏（{damaged_part(exc)}）；"
                                "请在 Excel/WPS 中打开并另存为 .xlsx 后重试") from exc

    def sheet(self, title: str) -> Sheet:
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
    return Book(read_checked(path), Path(path).name)


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


# a cell with an error value, a formula without a result, or the first cell of a filled-down formula
NOTABLE = "x:c[@t='e' or (x:f and not(x:v[text()])) or x:f[@t='shared' and @si and text()]]"
STREAM_BYTES = 2 * 1024 * 1024  # a larger sheet part is read as a stream: its tree would cost about 15 times its size


def _sheet(title: str, rows: list[list], xml: bytes) -> Sheet:
    if len(rows) > MAX_ROWS:
        raise WorkbookError(f"超过了 {MAX_ROWS} 行的上限，请确认没有粘贴多余的数据", title)
    part = _SheetXml([[_plain(v) for v in row] for row in rows], xml)
    if len(xml) > STREAM_BYTES:
        part.stream()
    else:
        part.tree()
    values = part.values
    while values and all(v is None for v in values[-1]):
        values.pop()
    ends = [split_ref(p.split(":")[-1])[0] for p in part.validations if any(ch.isdigit() for ch in p)]
    return Sheet(title, [tuple(row) for row in values], part.formulas, part.merges, frozenset(part.hidden),
                 max(ends) if ends else None)


class _SheetXml:
    """What calamine does not give, from the sheet's XML: error values (into `values`), the
    formulas of cells without a result, hidden rows, the data-validation areas and merged ranges.

    A cell is located by its `r`, or without one right of the cell before it in its row (rows
    likewise), as Excel, calamine and openpyxl place it."""

    def __init__(self, values: list[list], xml: bytes):
        from lxml import etree

        self.etree, self.values, self.xml = etree, values, xml
        self.formulas = Formulas()
        self.hidden: set[int] = set()
        self.validations: list[str] = []  # sqref parts
        self.merges: list[tuple[int, int, int, int]] = []
        # most sheets hold neither formulas nor error values: then no cell needs looking at
        self.errors = b'"e"' in xml or b"'e'" in xml
        self.cells = self.errors or any(tag in xml for tag in (b"<f>", b"<f ", b"<f/>", b":f>", b":f ", b":f/>"))
        # every cell carries its own reference (a byte count; only asked when cells need looking at)
        self.placed = self.cells and (xml.count(b'<c r="') == xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
                                      and b":c " not in xml)

    def tree(self) -> None:
        root = self.etree.fromstring(self.xml)  # also: a damaged part is refused, not half read
        ns = root.nsmap.get(None) or MAIN
        self.tags(ns)
        if self.cells and self.placed:  # only the cells with a formula or an error value need looking at
            for c in root.xpath(f"//{NOTABLE}", namespaces={"x": ns}):
                self.cell(c)
        walk = self.cells and not self.placed
        if walk or b"hidden" in self.xml:
            number = 0
            for r in root.iter(f"{{{ns}}}row"):
                number = self.row(r, number)
                self.place(r, number) if walk else None
        for dv in root.iter(f"{{{ns}}}dataValidation"):
            self.validations += (dv.get("sqref") or "").split()
        for m in root.iter(f"{{{ns}}}mergeCell"):
            self.merge(m)

    def stream(self) -> None:
        """`tree` for a large part, one row at a time (each row dropped once read): memory stays small
        (the tree of a 13 MB sheet took 200 MB)."""
        tags = [f"{{{ns}}}{t}" for ns in (MAIN, STRICT_MAIN) for t in ("row", "dataValidation", "mergeCell")]
        number = 0
        for _, el in self.etree.iterparse(io.BytesIO(self.xml), events=("end",), tag=tags):
            ns, _, local = el.tag[1:].partition("}")
            if local == "row":
                number = self.row(el, number)
                if self.cells:
                    self.tags(ns)
                    if self.placed:
                        for c in el.xpath(NOTABLE, namespaces={"x": ns}):
                            self.cell(c)
                    else:
                        self.place(el, number)
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
            elif local == "dataValidation":
                self.validations += (el.get("sqref") or "").split()
            else:
                self.merge(el)

    def tags(self, ns: str) -> None:
        self.c_tag, self.f_tag, self.v_tag = f"{{{ns}}}c", f"{{{ns}}}f", f"{{{ns}}}v"

    def place(self, r, number: int) -> None:
        """Every cell of row `number`, each placed by its `r` or right of the cell before it."""
        col = 0
        for c in r.iterchildren(self.c_tag):
            col = self.cell(c, number, col)

    def row(self, r, number: int) -> int:
        ref = r.get("r")
        number = int(ref) if ref and ref.isdigit() else number + 1
        if r.get("hidden") in ("1", "true"):
            self.hidden.add(number)
        return number

    def merge(self, m) -> None:
        first, _, last = (m.get("ref") or "").partition(":")
        if first:
            (r1, c1), (r2, c2) = split_ref(first), split_ref(last or first)
            self.merges.append((r1, c1, r2, c2))

    def cell(self, c, number: int = 0, col: int = 0) -> int:
        """Record one cell's error value or result-less formula; returns its column (given the row
        it is in and the column of the cell before it, for a cell without `r`)."""
        ref = c.get("r")
        located = None
        if number:  # placing every cell: this one's column is needed by the next
            located = split_ref(ref) if ref else (number, col + 1)
        kind = c.get("t")
        f = v = None
        for child in c:  # <f>, <v> or <is>: quicker than two find() calls
            if child.tag == self.f_tag:
                f = child
            elif child.tag == self.v_tag:
                v = child
        if f is None and kind != "e":
            return located[1] if located else col
        text, si = (f.text or "", f.get("si")) if f is not None else ("", None)
        shared = f is not None and f.get("t") == "shared" and si is not None
        if kind != "e" and v is not None and v.text and not (shared and text):
            return located[1] if located else col  # a formula with its result: nothing to say
        row, col = located or split_ref(ref)
        values = self.values
        if kind == "e":
            while len(values) < row:
                values.append([])
            line = values[row - 1]
            if len(line) < col:
                line.extend([None] * (col - len(line)))
            line[col - 1] = v.text if v is not None and v.text else "#N/A"
        if f is None:
            return col
        blank = row > len(values) or col > len(values[row - 1]) or values[row - 1][col - 1] is None
        if shared:  # one formula filled down/across
            if text:
                self.formulas.shared.setdefault(si, (f"{column_letter(col)}{row}", text))
            elif blank:
                self.formulas.filled[(row, col)] = si
                return col
        if blank:
            self.formulas.own[(row, col)] = "=" + text
        return col

"""A plain .xlsx written row by row straight into its zip: for 汇总.xlsx at province scale.

openpyxl spends about 20 µs on every cell it builds, styles and serialises (13 s for the
summary of 10,000 units, write-only mode included); this writes the same sheet XML as text.
It knows only what the summary needs: text, numbers, a handful of fixed styles, column
widths, a frozen header, an auto-filter and the page setup of a printed table (A4 landscape,
one page wide, the header row repeated on every page, page numbers). Text is always written as text (inline strings),
so a name starting with "=" never becomes a formula. Same rows, same bytes (fixed zip times).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from .output import stable_member
from .xlsxparts import column_letter

# the styles (index into cellXfs below)
PLAIN, BOLD, MONEY, BOLD_MONEY, GREEN, YELLOW, RED, WHITE, WRAP, HEAD = range(10)
FILL = {"成功": GREEN, "警告": YELLOW, "错误": RED}

_FILLS = ("C6EFCE", "FFEB9C", "FFC7CE", "FFFFFF")
STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    f'<fills count="{2 + len(_FILLS)}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{c}"/><bgColor indexed="64"/></patternFill></fill>'
              for c in _FILLS)
    + '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="10"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>'
    + "".join(f'<xf numFmtId="0" fontId="0" fillId="{2 + i}" borderId="0" xfId="0" applyFill="1"/>' for i in range(len(_FILLS)))
    + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'  # WRAP: a sentence prints whole
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'  # HEAD: a header on two lines
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)  # numFmtId 4 is Excel's built-in "#,##0.00"

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML cannot hold


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a Chinese character is two)."""
    import math
    import unicodedata

    return sum(max(1, math.ceil(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) / max(width - 1, 1)))
               for line in text.split("\n"))


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


class Sheet:
    def __init__(self, book: "Book", title: str, widths: dict[int, float], freeze: str | None):
        self.book, self.title, self.rows, self.filter, self.widths = book, title, 0, None, widths
        self.out = book.zip.open(stable_member(f"xl/worksheets/sheet{len(book.sheets) + 1}.xml"), "w")
        head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} xmlns:r="{_R}">',
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',  # printed one page wide
                "<sheetViews><sheetView workbookViewId=\"0\">"]
        if freeze:
            col, row = re.fullmatch(r"([A-Z]+)(\d+)", freeze).groups()
            x = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(col))) - 1
            y = int(row) - 1
            pane = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
            split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
            head.append(f'<pane{split} topLeftCell="{freeze}" '
                        f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>')
        head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            head.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                                           for c, w in sorted(widths.items())) + "</cols>")
        head.append("<sheetData>")
        self._write("".join(head))
        self._letters = [column_letter(i) for i in range(1, 65)]

    def _write(self, text: str) -> None:
        self.out.write(text.encode("utf-8"))

    def row(self, values: list, styles: dict[int, int] | None = None) -> None:
        """One row: str as text, int/float as a number, None as no cell; `styles`: column index
        (from 0) → style."""
        self.rows += 1
        r = self.rows
        lines = max((_lines(v, self.widths.get(i + 1, 8.43)) for i, v in enumerate(values)
                     if isinstance(v, str) and styles and styles.get(i) in (WRAP, HEAD)), default=1)
        # a wrapped cell's row is as tall as its text (a spreadsheet does not grow a row written without one)
        cells = [f'<row r="{r}" ht="{15 * lines}" customHeight="1">' if lines > 1 else f'<row r="{r}">']
        for i, value in enumerate(values):
            style = styles.get(i, PLAIN) if styles else PLAIN
            if value is None and not style:
                continue
            ref = f"{self._letters[i] if i < 64 else column_letter(i + 1)}{r}"
            s = f' s="{style}"' if style else ""
            if value is None:
                cells.append(f'<c r="{ref}"{s}/>')
            elif isinstance(value, str):
                cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
        cells.append("</row>")
        self._write("".join(cells))

    def close(self) -> None:
        self._write("</sheetData>" + (f'<autoFilter ref="{self.filter}"/>' if self.filter else "") + PRINT
                    + f"<headerFooter><oddHeader>{_text(self.book.page_header(self.title))}</oddHeader>"
                    "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>")
        self.out.close()


# A4 (paperSize 9) landscape, as wide as one page and as long as it needs (fitToHeight 0), narrow
# margins; the first row (the header) repeats on every page (definedName _xlnm.Print_Titles)
PRINT = ('<printOptions horizontalCentered="1"/>'
         '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
         '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')


class Book:
    """`with Book(path) as book: sheet = book.sheet(...); sheet.row([...])`; sheets in order."""

    def __init__(self, path: Path, header: str = ""):
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.sheets: list[Sheet] = []
        self.header = header  # printed at the right of every page's header (e.g. "金额单位：万元")

    def page_header(self, title: str) -> str:
        """Each printed page says which sheet it is (left) and, when given, the book's header (right)."""
        return f"&L{title}" + (f"&R{self.header}" if self.header else "")

    def sheet(self, title: str, widths: dict[int, float] | None = None, freeze: str | None = None) -> Sheet:
        if self.sheets:
            self.sheets[-1].close()
        self.sheets.append(Sheet(self, title, widths or {}, freeze))
        return self.sheets[-1]

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self.zip.close()

    def _put(self, name: str, text: str) -> None:
        self.zip.writestr(stable_member(name), text.encode("utf-8"))

    def _finish(self) -> None:
        if self.sheets:
            self.sheets[-1].close()
        n = len(self.sheets)
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{_text(_quoted(s.title))}!{_absolute(s.filter)}</definedName>"
            for i, s in enumerate(self.sheets) if s.filter) + "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{_text(_quoted(s.title))}!$1:$1</definedName>'
            for i, s in enumerate(self.sheets))
        self._put("[Content_Types].xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                  '<Override PartName="/xl/styles.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                  + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                            for i in range(1, n + 1)) + "</Types>")
        self._put("_rels/.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        self._put("xl/workbook.xml",
                  f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} xmlns:r="{_R}">'
                  '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
                  + "".join(f'<sheet name="{_text(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
                            for i, s in enumerate(self.sheets, start=1))
                  + "</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")
        self._put("xl/_rels/workbook.xml.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  + "".join(f'<Relationship Id="rId{i}" Type="{_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                            for i in range(1, n + 1))
                  + f'<Relationship Id="rId{n + 1}" Type="{_R}/styles" Target="styles.xml"/></Relationships>')
        self._put("xl/styles.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + STYLES)


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))

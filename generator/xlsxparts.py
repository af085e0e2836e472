"""Where things are in an .xlsx package: which zip part holds which sheet, and cell references.

Below both the safety scan (safety.py), which must name a sheet by its title when it refuses
or skips it (a clerk knows 支出决算表 and 草稿, not "xl/worksheets/sheet5.xml"), and the
reader (sheets.py), which parses the parts the scan let through.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"


@dataclass(frozen=True)
class SheetPart:
    """One sheet of workbook.xml: its title, the zip part holding it, and whether it is hidden."""

    title: str
    path: str
    hidden: bool = False


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


def sheet_parts(archive: zipfile.ZipFile) -> list[SheetPart]:
    """The sheets of workbook.xml in their order, each with its part (as named in the zip)."""
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
    out = []
    root = etree.fromstring(archive.read(book))
    for ns in (MAIN, STRICT_MAIN):
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out.append(SheetPart(sheet.get("name") or "", targets[rid], sheet.get("state") in ("hidden", "veryHidden")))
    return out

"""What the program takes as input: which files are workbooks, which folders are 部门, and
when two workbooks are the same unit.

One rule for the batch, `generate 部门`, the web page and its zips: a file is a workbook by its
content (a zip holding xl/workbook.xml) or its extension (.xlsx/.xlsm, any case), never by
the case of its name; two workbooks are one unit when their 单位编码 are equal, or, where
either has none, their 单位名称 (so a copy is never counted twice in a 部门 or a 全区合计).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # compared case-insensitively: .XLSX and .Xlsx are workbooks too
DEPARTMENT_SUFFIXES = ("（部门）", "(部门)")
DEPARTMENT_ENTRY = "（部门汇总）"  # a 部门 folder's own result, beside its units' (“<folder>/（部门汇总）”)


# ------------------------------------------------------------------ which files are workbooks

def skip_reason(path: Path) -> str | None:
    """Why a file found in an input folder is not processed (None: it is a workbook to process)."""
    name = path.name
    if name.startswith("~$"):
        return "Office 的临时文件（工作簿正在被打开），不是工作簿"
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or looks_like_workbook(path):  # the content decides, not the name
        return None
    if suffix in (".xls", ".et"):
        return "旧版 .xls 文件；请在 Excel/WPS 中另存为 .xlsx"
    return "不是 .xlsx 工作簿"


def looks_like_workbook(path: Path) -> bool:
    """An .xlsx workbook under another name (.xls, .csv, none): a zip holding xl/workbook.xml."""
    try:
        with open(path, "rb") as f:
            if f.read(2) != b"PK":
                return False
        with zipfile.ZipFile(path) as z:
            return any(n.lower() == "xl/workbook.xml" for n in z.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False


AUDIT_SHEET = "部门汇总核对"  # the sheet only a consolidated workbook (consolidate.py) has
CONSOLIDATED = "程序生成的部门汇总工作簿，不是单位的工作簿（部门汇总时不作为单位读入）"


def is_consolidated(path: Path) -> bool:
    """A 部门's consolidated workbook this program wrote (copied back among its units, say)."""
    try:
        with zipfile.ZipFile(path) as z:
            with z.open("xl/workbook.xml") as part:
                return AUDIT_SHEET.encode("utf-8") in part.read(1 << 20)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError):
        return False


def is_department_folder(rel_folder: Path) -> bool:
    """A folder named “…（部门）” holds one 部门: its 本级 and 所属单位 workbooks."""
    return rel_folder != Path(".") and rel_folder.name.endswith(DEPARTMENT_SUFFIXES)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def discover_all(paths: list[Path], out_root: Path | None = None
                 ) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]]]:
    """(workbook, path relative to its input folder) for every workbook given or found below a
    folder, and (file, reason) for every file found there but not processed.

    Hidden files and folders and anything under an output folder placed inside an input folder are
    passed over silently;
    Office lock files (~$…) and files of other types are listed as skipped. A file reached twice
    (a link to a workbook of the same folder) is taken once.
    """
    out_root = out_root.resolve() if out_root else None
    found: dict[Path, Path] = {}
    skipped: list[tuple[str, str]] = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            # the output folder inside the input folder is passed over; an output folder around it is not
            # (everything would be passed over)
            inner = out_root if out_root and given.resolve() in out_root.parents else None
            # a 部门 folder given itself is a 部门 too (its 本级 alone is no 部门决算)
            top = Path(given.resolve().name) if given.resolve().name.endswith(DEPARTMENT_SUFFIXES) else Path()
            for path in sorted(given.rglob("*")):
                rel = path.relative_to(given)
                if _hidden(rel):
                    continue
                if not path.is_file():  # a folder; or a link to nothing, a FIFO, a device: listed, never opened
                    if path.is_symlink() and not path.exists():
                        skipped.append((str(top / rel), "链接指向的文件不存在"))
                    elif not path.is_dir() and not path.is_symlink():
                        skipped.append((str(top / rel), "不是普通文件（命名管道、设备等），未打开"))
                    continue
                rel = top / rel
                if inner and inner in path.resolve().parents:
                    continue
                reason = skip_reason(path)
                if not reason and is_department_folder(rel.parent):
                    if path.name == DEPARTMENT_ENTRY:
                        reason = f"与程序写出的部门汇总行“{DEPARTMENT_ENTRY}”同名；请改名（加上 .xlsx）"
                    elif is_consolidated(path):
                        reason = CONSOLIDATED
                if reason:
                    skipped.append((str(rel), reason))
                    continue
                found.setdefault(path.resolve(), rel)
        else:
            found.setdefault(given.resolve(), Path(given.name))
    return sorted(((p, r) for p, r in found.items()), key=lambda pr: str(pr[1])), skipped


def discover(paths: list[Path], out_root: Path | None = None) -> list[tuple[Path, Path]]:
    """The workbooks of `discover_all`."""
    return discover_all(paths, out_root)[0]


def folder_workbooks(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The workbooks of one folder itself (a 部门: no sub-folders), by the same rule as the batch,
    and (file, reason) for the other files in it."""
    found: dict[Path, Path] = {}
    skipped: list[tuple[str, str]] = []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_file():  # a link to nothing, a FIFO, a device: listed, never opened
            if path.is_symlink() and not path.exists():
                skipped.append((path.name, "链接指向的文件不存在"))
            elif not path.is_dir() and not path.is_symlink():
                skipped.append((path.name, "不是普通文件（命名管道、设备等），未打开"))
            continue
        reason = skip_reason(path) or (CONSOLIDATED if is_consolidated(path) else None)
        if reason:
            skipped.append((path.name, reason))
        else:
            found.setdefault(path.resolve(), path)
    return sorted(found.values()), skipped


# ------------------------------------------------------------------ the same unit

def _name_key(name: str | None) -> str:
    """单位名称 as compared: width folded (（） and () alike), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or "")))


def _code_key(code) -> str:
    return str(code or "").strip().removesuffix(".0")


@dataclass(frozen=True)
class Repeat:
    """The workbook at `second` is the unit of the one at `first` (indices into the list given)."""

    first: int
    second: int
    how: str  # "单位编码 123" / "单位名称 某某"


def repeats(units: list[tuple[str | None, str | None]]) -> list[Repeat]:
    """Which of the (单位编码, 单位名称) pairs repeat an earlier one: the same 单位编码, or, when
    either of the two has none, the same 单位名称. Two different 单位编码 are two units."""
    by_code: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    out: list[Repeat] = []
    for j, (code, name) in enumerate(units):
        code, key = _code_key(code), _name_key(name)
        first = by_code.get(code) if code else None
        how = f"单位编码 {code}"
        if first is None and key:
            for i in by_name.get(key, []):
                other = _code_key(units[i][0])
                if not (code and other and code != other):
                    first, how = i, f"单位名称“{str(name).strip()}”"
                    break
        if first is not None:
            out.append(Repeat(first, j, how))
            continue
        if code:
            by_code[code] = j
        if key:
            by_name.setdefault(key, []).append(j)
    return out

"""One workbook → one report: the stages in order, as the CLI (and later the batch) call them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .accounts import Accounts, resolve
from .check import Settings, check, has_errors
from .errors import CheckFailed, GeneratorError
from .findings import Finding
from .layout import load_layout
from .words import Report, narrate
from .previous import PreviousIndex, apply_previous
from .reader import read_workbook
from .render import Written, fingerprint, safe_name, unique_name, write_report
from .selfeval import is_selfeval


@dataclass
class Outcome:
    findings: list[Finding]
    written: Written | None = None
    forced: bool = False
    accounts: Accounts | None = None
    report: Report | None = None
    notes: list[str] = field(default_factory=list)  # self-evaluation reports left out, and why


def load(path: Path, settings: Settings | None = None, previous: PreviousIndex | None = None
         ) -> tuple[Accounts, list[Finding]]:
    """Read, resolve and check a workbook (with last year's figures where `previous` has them)."""
    acc = resolve(read_workbook(Path(path)))
    if previous is not None:
        match = previous.find(acc.unit.get("code"), acc.unit.get("name"))
        if match:
            apply_previous(acc, match[1], match[0].name)
    return acc, check(acc, settings)


def check_report_path(workbook: Path, root: Path) -> Path:
    return output_dir(workbook, root) / f"{safe_name(Path(workbook).stem)}.检查结果.xlsx"


def output_dir(workbook: Path, root: Path, relative: Path | None = None) -> Path:
    """Each workbook gets its own folder under the output root, named after the file
    (in a batch, under the same sub-folders as below the input folder, so names never clash)."""
    sub = [unique_name(part) for part in relative.parent.parts] if relative else []
    workbook = Path(workbook)
    if workbook.suffix == ".xlsx":
        name = unique_name(workbook.stem)
    else:  # "单位.xlsx", "单位.XLSX" and "单位.xlsm" side by side: only the first is named by its stem alone
        name = f"{safe_name(workbook.stem)}_{fingerprint(workbook.name)}"
    return Path(root).joinpath(*sub, name)


def generate(path: Path, out_root: Path, force: bool = False, previous: PreviousIndex | None = None,
             out_dir: Path | None = None, selfeval: bool = True, only_selfeval: bool = False,
             unit_level: bool = False) -> Outcome:
    """Check the workbook and, unless it has 错误 (or `force`), write its report and the
    绩效自评报告 it asks for (`selfeval`; `only_selfeval` writes those alone: generate 自评).

    `unit_level`: the workbook is one unit of a 部门 folder (batch); its 本级 (marked 部门) then
    gets its own 单位决算 as “…本级”, the 部门决算 being the consolidated one (consolidate.py).
    """
    acc, findings = load(path, previous=previous)
    if unit_level and acc.unit.get("subject") == "部门":
        acc.unit["subject"] = "单位"
        acc.unit["name"] = (acc.unit.get("name") or "") + "本级"
    try:
        required = {acc.refs.get(f"unit.{f.key}") for f in load_layout().form("unit").fields if f.required}
        unwritable = [f for f in findings if f.severity == "错误" and (f.rule in ("UNIT-REQUIRED", "UNIT-YEAR") or f.ref in required)]
        if unwritable:  # no report can be written without these, --force or not
            raise CheckFailed(f"缺少报告必需的单位信息（{unwritable[0].ref}：{unwritable[0].message}），无法生成报告")
        # an 错误 in a 绩效自评 score sheet stops that report only (write_selfeval leaves it out), not the 决算说明
        blocking = [f for f in findings if not is_selfeval(f) or only_selfeval]
        if has_errors(blocking) and not force:
            raise CheckFailed(f"工作簿有 {sum(f.severity == '错误' for f in blocking)} 处错误，未生成报告；"
                              "请按上面的提示修改后重试（或加 --force 强制生成）")
        target = out_dir or output_dir(path, out_root)
        if only_selfeval:
            from .selfeval_docx import require_selfeval

            require_selfeval(acc)
            report, written = None, Written(None, [], None)
        else:
            report = narrate(acc)
            written = write_report(report, acc, target)
        notes: list[str] = []
        if selfeval or only_selfeval:
            from .selfeval_docx import write_selfeval

            written.selfeval, notes = write_selfeval(acc, target)
        remove_superseded(target, written, report=not only_selfeval, selfeval=selfeval or only_selfeval)
    except GeneratorError as exc:
        exc.findings, exc.accounts = findings, acc
        raise
    return Outcome(findings + (report.findings if report else []), written, forced=has_errors(blocking), accounts=acc,
                   report=report, notes=notes)


SELFEVAL_MARK = "自评报告"  # in the name of every 绩效自评报告 .docx (selfeval_docx.report_names)


def remove_superseded(folder: Path, written: Written, report: bool, selfeval: bool) -> None:
    """The unit's folder shows the latest run only: a 决算说明 (with its .数据.json and charts) or a
    绩效自评报告 an earlier run wrote under another name (the 单位名称, 报告年度 or 报告格式 changed, a
    score sheet no longer chosen) is removed once this run's files are in place. Only what this
    program writes is touched: a .docx counts as an earlier 决算说明 when its .数据.json lies beside it."""
    import contextlib

    keep = {p.resolve() for p in written.all()}

    def drop(path: Path) -> None:
        if path.resolve() not in keep:
            with contextlib.suppress(OSError):
                path.unlink()

    folder = Path(folder)
    if report:
        for data in folder.glob("*.数据.json"):
            docx = folder / (data.name[: -len(".数据.json")] + ".docx")
            if docx.resolve() not in keep:
                drop(docx)
                drop(data)
        for png in (folder / "图表").glob("*.png"):
            drop(png)
    if selfeval:
        for docx in folder.glob("*.docx"):
            if SELFEVAL_MARK in docx.name and not (folder / (docx.stem + ".数据.json")).exists():
                drop(docx)

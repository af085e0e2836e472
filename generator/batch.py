"""A whole district in one run: every workbook of a folder, in parallel, regenerating only
what changed, with a summary workbook and a change report for every corrected unit.

The manifest (output/manifest.json) records per unit the hashes that decide whether its
report is current, and everything the summary needs, so a re-run that skips a unit still
lists it. During a run each finished unit is appended as one line to a journal beside it
(`ManifestStore`): recording a unit costs the same with 10 units or 10,000, a killed run
leaves the manifest plus the journal's complete lines, and the next run replays them and
does only what is missing. The journal is folded into manifest.json once, at the end.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import os
import re
import signal
import stat
import sys
import threading
import time
import traceback
import zipfile
import zlib
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

from . import __version__
from .errors import GeneratorError, OutputError
from .findings import ERROR, WARNING
# what a workbook is: one rule for the batch, `generate 部门` and the web page (the names stay importable from here)
from .inputs import (DEPARTMENT_ENTRY, DEPARTMENT_SUFFIXES, WORKBOOK_SUFFIXES, discover, discover_all,  # noqa: F401
                     is_department_folder, looks_like_workbook, repeats, skip_reason)
from .money import ZERO
from .output import atomic_write

MANIFEST = "manifest.json"
JOURNAL = "manifest.journal"  # one JSON line per unit finished since manifest.json was last written
SUMMARY = "汇总.xlsx"
CHANGES = "修订说明.txt"
LOG = "generate.log"
log = logging.getLogger("generator.batch")


# ------------------------------------------------------------------ what decides "current"

def content_hash(path: Path) -> str:
    """Hash of the workbook's content: its zip members without docProps (save time, author)."""
    from .safety import MAX_TOTAL_BYTES

    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the open below: the reader refuses it
            return h.hexdigest()
        with zipfile.ZipFile(path) as z:
            infos = sorted(z.infolist(), key=lambda i: i.filename)
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
                raise zipfile.BadZipFile("too large to unpack")  # refused by the reader anyway
            for info in infos:
                if not info.filename.startswith("docProps/"):
                    h.update(info.filename.encode())
                    with z.open(info) as part:  # streamed: memory stays small whatever the part
                        while chunk := part.read(1 << 20):
                            h.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error):
        h = hashlib.sha256()
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
        except OSError:
            pass
    return h.hexdigest()


RACY_NS = 3_000_000_000  # a file changed this close to its hashing may change again within one time stamp tick


def file_signature(path: Path, st: os.stat_result | None = None) -> list[int] | None:
    """What says a file is unchanged without reading it (as git's index does): size, mtime and,
    where the system keeps them, the inode and the change time (ctime moves whenever the
    content or the mtime is set, so restoring the mtime after an edit is still noticed).

    None when the file was modified so recently that another write within the same time stamp
    tick could go unseen (FAT and some shares keep 2-second times): such a hash is not reused."""
    st = st or os.stat(path)
    if time.time_ns() - st.st_mtime_ns < RACY_NS:
        return None
    if os.name == "nt":  # st_ctime is the creation time there: it says nothing about a change
        return [st.st_size, st.st_mtime_ns]
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def cached_hash(path: Path, entry: dict | None) -> tuple[str, list[int] | None]:
    """(content hash, signature to store): the hash stored in the manifest entry when the file's
    signature is the one stored with it, else `content_hash` (the zip opened)."""
    try:
        signature = file_signature(path)
    except OSError:
        signature = None
    stored = (entry or {}).get("stat")
    if (signature is not None and stored == signature and (entry.get("stamp") or {}).get("workbook")
            and entry.get("result", {}).get("workbook") == str(path)):
        return entry["stamp"]["workbook"], signature
    return content_hash(path), signature


def environment_hashes() -> dict[str, str]:
    """Template, generator version and classification data: a change to any regenerates all."""
    def digest(files) -> str:
        h = hashlib.sha256()
        for f in sorted(files, key=lambda x: x.name):
            h.update(f.name.encode())
            h.update(f.read_bytes())
        return h.hexdigest()

    data = resources.files("generator").joinpath("data")
    return {
        "template": digest([Path(str(f)) for f in resources.files("generator.templates").iterdir()
                            if f.name.endswith(".docx")]),
        "version": __version__,
        "data": digest([Path(str(f)) for f in data.iterdir() if f.name.endswith((".csv", ".toml"))]),
    }


# ------------------------------------------------------------------ one unit (in a worker)

@dataclass
class Job:
    workbook: Path
    relative: Path
    out_dir: Path
    force: bool
    previous: Any = None  # a PreviousIndex (built once in the main process), or None
    old_data: Path | None = None  # the data JSON of the last good report, for the change report
    selfeval: bool = True  # also the 绩效自评报告 the workbook asks for
    unit_level: bool = False  # a unit of a 部门 folder (its 本级 gets a 单位决算; see consolidate.py)
    signature: list[int] | None = None  # the workbook's `file_signature` when it was hashed
    old_findings: list[dict] | None = None  # the findings of its last run (for 修订说明: fixed / new)


def key_figures(acc) -> dict[str, str]:
    """The figures of the district summary (as Decimal strings)."""
    t = acc.tables
    sg = t["t13"]
    running = acc.other.get("running_costs")
    figures: dict[str, Decimal | None] = {
        "收入总计": t["t01"].income_bottom["total"],
        "支出总计": t["t01"].expense_bottom["total"]["amount"],
        "本年收入合计": t["t01"].income_bottom["year_total"],
        "本年支出合计": t["t01"].expense_bottom["year_total"]["amount"],
        "财政拨款收入支出总计": t["t04"].income_bottom["total"],
        "一般公共预算财政拨款支出": t["t06"].total["total"],
        "基本支出": t["t03"].total["basic"],
        "项目支出": t["t03"].total["project"],
        "人员经费": acc.basic_total("人员经费"),
        "公用经费": acc.basic_total("公用经费"),
        "“三公”经费合计": sg.get("total", "actual"),
        "因公出国（境）费": sg.get("abroad", "actual"),
        "公务用车购置及运行维护费": sg.get("car", "actual"),
        "公务接待费": sg.get("reception", "actual"),
        "机关运行经费": running,
    }
    prior = acc.prior
    for label, now, before in (("收入支出总计增减", figures["收入总计"], prior.get("total")),
                               ("一般公共预算财政拨款支出增减", figures["一般公共预算财政拨款支出"], prior.get("gpb_expense")),
                               ("“三公”经费增减", figures["“三公”经费合计"], prior.get("sg_total"))):
        figures[label] = None if before is None or now is None else now - before
    return {k: (None if v is None else str(v)) for k, v in figures.items()}


def run_job(job: Job) -> dict[str, Any]:
    """Generate one unit; every outcome (good, warnings, errors, a crash) becomes a result dict."""
    from .pipeline import generate  # imported in the worker

    result: dict[str, Any] = {"workbook": str(job.workbook), "relative": str(job.relative), "out_dir": str(job.out_dir)}
    old = _load_json(job.old_data)
    try:
        outcome = generate(job.workbook, job.out_dir.parent, force=job.force, previous=job.previous, out_dir=job.out_dir,
                           selfeval=job.selfeval, unit_level=job.unit_level)
    except GeneratorError as exc:
        from .errors import OutputError

        findings = [f.as_dict() for f in exc.findings or []]
        if exc.accounts is not None:
            result |= {"unit": exc.accounts.unit.get("name") or "", "code": exc.accounts.unit.get("code") or "",
                       "year": exc.accounts.unit.get("year"), "layout": _layout(exc.accounts)}
        # the workbook's own fault stays the same until the workbook changes; an output problem may not
        return result | {"status": "错误", "message": str(exc), "findings": findings, "files": [],
                         "cacheable": not isinstance(exc, OutputError)}
    except Exception as exc:  # a bug, not the clerk's mistake: logged with its traceback
        return result | {"status": "错误", "message": f"程序内部错误（{type(exc).__name__}），详见 {LOG}",
                         "traceback": traceback.format_exc(), "findings": [], "files": []}
    acc = outcome.accounts
    findings = [f.as_dict() for f in outcome.findings]
    status = "错误" if outcome.forced else ("警告" if outcome.notes or any(f["severity"] == WARNING for f in findings)
                                          else "成功")
    result |= {"status": status, "message": "", "findings": findings, "unit": acc.unit.get("name") or "",
               "code": acc.unit.get("code") or "", "year": acc.unit.get("year"), "figures": key_figures(acc),
               "layout": _layout(acc),
               "files": [str(p) for p in outcome.written.all()]}
    if outcome.notes:
        result["message"] = "；".join(outcome.notes)
    if old is not None or job.old_findings is not None:
        changes = change_report(old, _load_json(outcome.written.data), job.old_findings, findings)
        result["changes"] = changes
        if has_changes(changes):
            target = job.out_dir / CHANGES
            with atomic_write(target) as tmp:
                tmp.write_text(format_changes(acc.unit.get("name") or job.relative.stem, changes), "utf-8-sig")
            result["files"].append(str(target))
    return result


def _layout(acc) -> str:
    """The label of the report layout the workbook names ("" when it names none we know)."""
    from .profiles import of_unit

    try:
        return of_unit(acc.unit).label
    except KeyError:
        return ""


def _load_json(path: Path | None) -> dict | None:
    """The JSON object in the file (None when there is none: no file, not JSON, or another shape)."""
    try:
        value = json.loads(Path(path).read_text("utf-8")) if path else None
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
CLAUSE = re.compile(r"[，。；：（）()“”\s]+")
YEAR = re.compile(r"(\d{4})年[：:]")


def printed_numbers(text: str) -> list[tuple[str, str]]:
    """(label, number) for every number of a printed sentence or chart description; the label is
    the words before the number within its clause ("收入、支出总计各减少"), led by the label before it
    when that alone says too little ("…，下降"), and by its year in a chart's "2023年：收入…"."""
    out: list[tuple[str, str]] = []
    for segment in re.split(r"(?<=[；。])", text):
        year = YEAR.search(segment)
        last, prev = 0, ""
        for m in NUMBER.finditer(segment):
            if year and m.start() == year.start():
                last = year.end()
                continue
            local = CLAUSE.split(segment[last:m.start()])[-1].strip("、")
            if year:
                label = f"{year.group(1)}年{local}"
            elif len(local) < 6 and prev:
                label = f"{prev}，{local}"
            else:
                label = local
            out.append((label or "数字", m.group(0)))
            prev = label if len(local) >= 6 or not prev else prev
            last = m.end()
    return out


def changed_numbers(old: str, new: str) -> list[list[str]]:
    """[label, old, new] for each number that differs between two versions of a sentence (or a chart's data)."""
    a, b = printed_numbers(old), printed_numbers(new)
    out: list[list[str]] = []
    matcher = difflib.SequenceMatcher(a=[l for l, _ in a], b=[l for l, _ in b], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += [[a[i][0], a[i][1], b[j][1]] for i, j in zip(range(a1, a2), range(b1, b2)) if a[i][1] != b[j][1]]
        elif op == "replace" and a2 - a1 == b2 - b1:
            out += [[b[j][0], a[i][1], b[j][1]] for i, j in zip(range(a1, a2), range(b1, b2)) if a[i][1] != b[j][1]]
    return out


def _finding_key(f: dict) -> tuple[str, str]:
    return f.get("rule", ""), f.get("ref", "")


def change_report(old: dict | None, new: dict | None, old_findings: list[dict] | None = None,
                  new_findings: list[dict] | None = None) -> dict[str, list]:
    """What changed between two runs of one workbook: the figures of the data JSON, every number
    printed in a sentence or a chart that changed (changes, percentages and shares included),
    the sentences, and the findings fixed since and new."""
    old, new = old or {}, new or {}
    of, nf = old.get("figures", {}), new.get("figures", {})
    figures = [[k, of.get(k), nf.get(k)] for k in sorted(set(of) | set(nf)) if of.get(k) != nf.get(k)]
    sentences, printed = [], []
    a_sent, b_sent = old.get("sentences", []), new.get("sentences", [])
    matcher = difflib.SequenceMatcher(a=a_sent, b=b_sent, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            sentences.append(["\n".join(a_sent[a1:a2]), "\n".join(b_sent[b1:b2])])
            if op == "replace":
                for x, y in zip(a_sent[a1:a2], b_sent[b1:b2]):
                    printed += changed_numbers(x, y)
    old_charts = {c.get("number"): c for c in old.get("charts", [])}
    for chart in new.get("charts", []):
        before = old_charts.get(chart.get("number"))
        if before and before.get("alt") != chart.get("alt"):
            name = f"图{chart.get('number')} {chart.get('caption', '')}"
            printed += [[f"{name}：{label}", x, y] for label, x, y in
                        changed_numbers(before.get("alt") or "", chart.get("alt") or "")] or [[name, "（图形）", "（已变）"]]
    seen: set[tuple[str, str, str]] = set()
    printed = [p for p in printed if tuple(p) not in seen and not seen.add(tuple(p))]
    report = {"figures": figures, "printed": printed, "sentences": sentences, "fixed": [], "new": []}
    if old_findings is not None and new_findings is not None:
        before = {_finding_key(f): f for f in old_findings}
        after = {_finding_key(f): f for f in new_findings}
        report["fixed"] = [before[k] for k in before if k not in after]
        report["new"] = [after[k] for k in after if k not in before]
    return report


def has_changes(changes: dict | None) -> bool:
    return bool(changes) and any(changes.get(k) for k in ("figures", "printed", "sentences", "fixed", "new"))


def format_changes(unit: str, changes: dict[str, list]) -> str:
    """修订说明.txt: the printed figures first (what a reviewer compares), then sentences, then findings."""
    from .check import rule_name
    from .figures import figure_label

    lines = [f"{unit} 决算说明修订说明", "", "一、变动的数字（原 → 新）"]
    rows = [(figure_label(k), a, b) for k, a, b in changes["figures"]]
    rows += [tuple(p) for p in changes.get("printed", [])]
    done: set[tuple] = set()
    for label, a, b in rows:
        if (label, a, b) in done:
            continue
        done.add((label, a, b))
        lines.append(f"  {label}：{a if a is not None else '（无）'} → {b if b is not None else '（无）'}")
    if not rows:
        lines.append("  无")
    lines += ["", "二、变动的句子"]
    for i, (a, b) in enumerate(changes["sentences"], start=1):
        lines += [f"  {i}. 原：{a or '（无）'}", f"     新：{b or '（删除）'}"]
    if not changes["sentences"]:
        lines.append("  无")
    for title, key in (("三、已改正的问题（上次检查提出，本次不再出现）", "fixed"), ("四、新出现的问题", "new")):
        lines += ["", title]
        items = changes.get(key) or []
        lines += [f"  {rule_name(f['rule'])}（{f['severity']}）{f['ref']}：{f['message']}" for f in items] or ["  无"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the run

@dataclass
class BatchResult:
    results: list[dict[str, Any]]
    skipped: int
    interrupted: bool = False
    not_processed: list[tuple[str, str]] = field(default_factory=list)  # (file, why) found but not workbooks
    notes: list[str] = field(default_factory=list)  # sentences for the user (a manifest set aside)

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r["status"] != "错误" for r in self.results)


def _warm_worker(parent: int | None = None) -> None:
    """Once per worker process: die with the parent, quietly; import and set up the heavy parts
    (matplotlib, fonts, docx)."""
    if parent is not None:
        quiet_signals()
        die_with_parent(parent)
    from . import charts, pipeline  # noqa: F401

    charts.pie_chart(["a"], [1.0], ["100.00%"])


def quiet_signals() -> None:
    """A worker forked from the batch inherits its SIGTERM handler (which raises KeyboardInterrupt
    there, see `_stop`), and Ctrl+C reaches every process of the terminal: each worker then printed
    "Process ForkProcess-1: Traceback … KeyboardInterrupt". The parent alone handles Ctrl+C (it
    ends its workers); SIGTERM (the parent's, or the kernel's when the parent dies) ends a worker
    without a word."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # blocked by the parent while it forked us (`_signals_held`)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back while the pool forks its workers: one arriving between a fork
    and the worker's `quiet_signals` would meet the parent's handler there. The parent gets any
    held signal as soon as the block ends; a worker once its handlers are set."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """A worker must not outlive the process that started it (killed with SIGKILL, SIGTERM or
    a crash): orphaned workers would run for ever and, under `serve`, keep its port taken.

    On Linux the kernel sends SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG); everywhere
    a watchdog thread also ends the worker once its parent is gone.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()


LOCK = ".generate.lock"


@contextlib.contextmanager
def output_lock(out_root: Path) -> Iterator[None]:
    """One batch at a time per output folder: two at once would lose units from the manifest
    and 汇总.xlsx. The lock is held by an open file (released by the system if the process dies)."""
    from .output import os_error_message

    path = out_root / LOCK
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise OutputError(os_error_message(exc, path)) from exc
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise OutputError(f"另一个批量处理正在向“{out_root}”写入；请等它完成后再运行，或用 -o 换一个输出文件夹") from None
    try:
        yield
    finally:
        handle.close()  # closing the file releases the lock


def _prepare_output(paths: list[Path], out_root: Path) -> None:
    from .output import ensure_folder

    for given in paths:
        if Path(given).is_dir() and Path(given).resolve() == out_root.resolve():
            raise OutputError(f"输出文件夹“{out_root}”与工作簿所在的文件夹相同；请用 -o 指定另一个文件夹（例如“{out_root / '输出'}”）")
    ensure_folder(out_root)
    try:
        handler = logging.FileHandler(out_root / LOG, encoding="utf-8")
    except OSError as exc:
        from .output import os_error_message

        raise OutputError(os_error_message(exc, out_root / LOG)) from exc
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "generate_batch", False)]:
        root.removeHandler(old)
        old.close()
    handler.generate_batch = True
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def run_batch(paths: list[Path], out_root: Path, jobs: int | None = None, force: bool = False,
              previous: list[Path] | None = None,
              progress: Callable[[dict[str, Any] | None, int, int], None] | None = None,
              selfeval: bool = True) -> BatchResult:
    """Generate every workbook under `paths` into `out_root`; see the module docstring.

    One batch per output folder at a time (`output_lock`); SIGTERM ends it like Ctrl+C (the
    manifest and 汇总.xlsx are saved, the workers stopped)."""
    out_root = Path(out_root)
    _prepare_output(paths, out_root)
    main_thread = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGTERM, _stop) if main_thread else None
    try:
        with output_lock(out_root):
            from .output import remove_litter

            remove_litter(out_root, recursive=True)  # what a killed earlier run left behind
            return _run_locked(paths, out_root, jobs, force, previous, progress, selfeval)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous_handler)


# what a batch writes at the top of its output folder: no unit's report folder may be named so
OWN_FILES = frozenset(n.casefold() for n in (MANIFEST, MANIFEST + ".bad", JOURNAL, SUMMARY, LOG, LOCK))
GROUP_THRESHOLD = 500  # no output folder holds more units than this: a larger folder's units are grouped
GROUP_NAME = re.compile(r"第(\d{3})组")


def group_folder(n: int) -> str:
    return f"第{n:03d}组"


def unit_output_dirs(found: list[tuple[Path, Path]], out_root: Path, inputs: list[Path] = ()) -> dict[str, Path]:
    """Where each unit's report folder goes: mirroring the input folders, except that the units of
    a folder holding more than GROUP_THRESHOLD workbooks go into sub-folders 第001组, 第002组, …
    of at most GROUP_THRESHOLD units each.

    What is on disk decides, so that a unit never moves once written: a unit whose folder is
    already in a group stays there; a new one goes into the first group with room (at first,
    in the order of the file names: 第001组 holds the first 500 names, and so on). A folder that
    has groups keeps them even when it shrinks below the threshold."""
    from .pipeline import output_dir

    plain = _distinct_dirs({str(rel): output_dir(workbook, out_root, rel) for workbook, rel in found}, out_root, inputs)
    by_parent: dict[Path, list[str]] = {}
    for key, out_dir in plain.items():
        by_parent.setdefault(out_dir.parent, []).append(key)
    placed = dict(plain)
    for parent, keys in by_parent.items():
        existing: dict[str, int] = {}  # unit folder name → its group
        filled: dict[int, int] = {}  # group → entries it holds
        own = {plain[k].name for k in keys}  # a workbook named “第001组.xlsx” makes no group
        with contextlib.suppress(OSError):
            for group in sorted(os.scandir(parent), key=lambda e: e.name):
                match = GROUP_NAME.fullmatch(group.name)
                if match and group.name not in own and group.is_dir():
                    n = int(match.group(1))
                    with contextlib.suppress(OSError):
                        names = os.listdir(group.path)
                        filled[n] = len(names)
                        for name in names:
                            existing.setdefault(name, n)
        if len(keys) <= GROUP_THRESHOLD and not filled:
            continue
        n = 1
        for key in sorted(keys, key=lambda k: plain[k].name):
            name = plain[key].name
            group = existing.get(name)
            if group is None:
                while filled.get(n, 0) >= GROUP_THRESHOLD:
                    n += 1
                group = n
                filled[n] = filled.get(n, 0) + 1
            placed[key] = parent / group_folder(group) / name
    return placed




def _distinct_dirs(dirs: dict[str, Path], out_root: Path, inputs: list[Path] = ()) -> dict[str, Path]:
    """No unit's folder is a file the batch writes (a workbook named “汇总.xlsx.xlsx” or “generate.log.xlsx”),
    a 部门's own folder (“部门汇总.xlsx” in a 部门 folder), another unit's folder under another case
    (“A.xlsx” and “a.xlsx” are one folder on Windows), or an input folder (“区县/区县.xlsx” with -o the
    folder around 区县): such a folder gets a fingerprint of the workbook's name."""
    from .render import fingerprint

    root = Path(out_root).resolve()
    around = [g.resolve() for g in map(Path, inputs) if g.is_dir() and g.resolve() not in root.parents
              and g.resolve() != root]  # an output folder inside an input folder is allowed (and passed over)
    taken: set[str] = set()
    out: dict[str, Path] = {}
    for key in sorted(dirs):
        path = dirs[key]
        full = root / path.relative_to(out_root) if path.is_relative_to(out_root) else path.resolve()
        reserved = ((path.parent == out_root and path.name.casefold() in OWN_FILES)
                    or (is_department_folder(Path(key).parent) and path.name == DEPARTMENT_DIR)
                    or any(full == g or g in full.parents or full in g.parents for g in around))
        if reserved or str(path).casefold() in taken:
            path = path.with_name(f"{path.name}_{fingerprint(key)}")
        taken.add(str(path).casefold())
        out[key] = path
    return out


def _relocate(entry: dict, out_dir: Path) -> bool:
    """Move a unit's current report folder to where it now belongs (its folder became grouped)
    and point the manifest entry at the moved files. False: left where it was (it is regenerated)."""
    result = entry.get("result") or {}
    old = result.get("out_dir")
    if not old or Path(old) == out_dir or not Path(old).is_dir() or out_dir.exists():
        return False
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, out_dir)
    except OSError as exc:
        log.warning("无法把“%s”移到“%s”：%s；该单位将重新生成", old, out_dir, exc)
        return False
    prefix, new = old + os.sep, str(out_dir) + os.sep

    def moved(f: str) -> str:
        return new + f[len(prefix):] if f.startswith(prefix) else f

    result["out_dir"] = str(out_dir)
    for name in ("files", "last_good_files"):
        if result.get(name):
            result[name] = [moved(f) for f in result[name]]
    return True


REMOVED = "已移除的单位"  # below the output folder: reports of workbooks no longer in the input, by date


def _set_aside_removed(store: "ManifestStore", found: list[tuple[Path, Path]], out_dirs: dict[str, Path],
                       out_root: Path) -> None:
    """A unit whose workbook is gone from its folder (deleted, renamed, moved) leaves no report beside
    the current ones: its report folder moves to 已移除的单位/<date>/ and it leaves the manifest.
    A workbook that still exists but is outside this run (a run over part of a district) is left alone."""
    keys = {str(rel) for _, rel in found} | {str(rel.parent / DEPARTMENT_ENTRY) for _, rel in found}
    current = {str(d) for d in out_dirs.values()}
    stamp = time.strftime("%Y-%m-%d")
    for key, entry in list(store.units.items()):
        result = (entry or {}).get("result") or {}
        source, out_dir = result.get("workbook"), result.get("out_dir")
        if key in keys or not source or os.path.lexists(source):
            continue
        if out_dir and out_dir not in current and Path(out_dir).is_dir():
            try:
                rel = Path(out_dir).resolve().relative_to(out_root.resolve())
            except ValueError:
                rel = None  # not below the output folder: not ours to move
            if rel is not None and rel.parts and rel.parts[0] != REMOVED:
                target = out_root / REMOVED / stamp / rel
                try:
                    if target.exists():
                        target = target.with_name(f"{target.name}_{time.strftime('%H%M%S')}")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(out_dir, target)
                except OSError as exc:
                    log.warning("无法把已移除单位的报告“%s”移到“%s”：%s", out_dir, target, exc)
                    continue
                log.info("工作簿“%s”已不在输入文件夹中，其报告移到“%s”", source, target)
        store.drop(key)


def _previous_hash(previous: list[Path] | None, store: "ManifestStore") -> str:
    """One hash of last year's workbooks (each from its stored hash when unchanged)."""
    known, now = store.previous, {}
    for p in previous or []:
        h, signature = cached_hash(p, known.get(str(p)))
        now[str(p)] = {"stamp": {"workbook": h}, "stat": signature, "result": {"workbook": str(p)}}
    if now != known:
        store.previous, store.dirty = now, True
    return hashlib.sha256("".join(e["stamp"]["workbook"] for e in now.values()).encode()).hexdigest()


def _run_locked(paths, out_root: Path, jobs, force, previous, progress, selfeval: bool = True) -> BatchResult:
    store = ManifestStore(out_root)
    units = store.units
    env = environment_hashes()
    prev_hash = _previous_hash(previous, store)
    todo: list[tuple[Job, dict]] = []
    skipped = 0
    results: list[dict[str, Any]] = []
    found, not_processed = discover_all(paths, out_root)
    out_dirs = unit_output_dirs(found, out_root, paths)
    grouped = any(GROUP_NAME.fullmatch(d.parent.name) for d in out_dirs.values())
    _set_aside_removed(store, found, out_dirs, out_root)
    hashes: dict[str, str] = {}
    for workbook, rel in found:
        key = str(rel)
        entry = units.get(key)
        digest, signature = cached_hash(workbook, entry)
        hashes[key] = digest
        stamp = env | {"workbook": digest, "previous": prev_hash, "selfeval": selfeval}
        unit_level = is_department_folder(rel.parent)
        if unit_level:
            stamp["unit_level"] = True
        out_dir = out_dirs[key]
        if entry is not None and entry["result"].get("out_dir") not in (None, str(out_dir)) and _relocate(entry, out_dir):
            store.put(key, entry)
        current = (entry is not None and entry.get("stamp") == stamp
                   and entry["result"].get("out_dir", str(out_dir)) == str(out_dir)
                   and (entry["result"]["status"] != "错误" or entry["result"].get("cacheable"))
                   and all(Path(f).exists() for f in entry["result"]["files"]))
        if current and not force:
            if entry.get("stat") != signature:  # hashed now (new time stamp, same content): not next time
                store.put(key, entry | {"stat": signature})
            skipped += 1
            results.append(entry["result"] | {"skipped": True, "changes": None})
            continue
        files = (entry or {}).get("result", {}).get("files") or (entry or {}).get("result", {}).get("last_good_files") or []
        old_data = next((Path(f) for f in files if f.endswith(".数据.json")), None)
        old_findings = (entry or {}).get("result", {}).get("findings")
        job = Job(workbook, rel, out_dir, force, None, old_data, selfeval, unit_level, signature, old_findings)
        todo.append((job, stamp))
    known: list = []

    def previous_index():
        """Last year's workbooks, read once and only when a unit or a 部门 is generated."""
        if not previous:
            return None
        if not known:
            from .previous import PreviousIndex

            known.append(PreviousIndex(previous))
            for problem in known[0].problems:
                log.warning("上年工作簿无法读取：%s", problem)
        return known[0]

    if previous and todo:
        for job, _ in todo:
            job.previous = previous_index()

    def record(job: Job, stamp: dict, result: dict) -> None:
        result["skipped"] = False
        results.append(result)
        if result.get("traceback"):
            log.error("%s\n%s", job.workbook, result["traceback"])
        if result["status"] != "错误" or result.get("files") or result.get("cacheable"):
            kept = units.get(str(job.relative), {}).get("result", {})
            last_good = kept.get("files") or kept.get("last_good_files")
            if result["status"] == "错误" and not result.get("files") and last_good:
                # the last good report stays on disk; the next good run is compared with it
                result = result | {"last_good_files": last_good}
            store.put(str(job.relative), {"stamp": stamp, "stat": job.signature,
                                          "result": {k: v for k, v in result.items() if k != "traceback"}}, ran=True)
        else:
            store.drop(str(job.relative))  # a unit finished but not yet in the journal when killed is redone
        if progress:
            progress(result, len(results) - skipped, len(todo))

    interrupted = False
    try:
        if (jobs or os.cpu_count() or 1) <= 1 or len(todo) <= 1:
            _warm_worker() if todo else None
            for job, stamp in todo:
                if progress:
                    progress({"relative": str(job.relative), "status": "处理中"}, len(results) - skipped, len(todo))
                record(job, stamp, run_job(job))
        else:
            interrupted = _run_parallel(todo, jobs or os.cpu_count() or 1, record)
        if not interrupted:
            skipped += _run_departments(found, out_root, env, store, results, force, hashes, prev_hash, previous_index)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        start = time.perf_counter()
        store.compact()
        count_once(results)  # after the manifest is saved: it keeps what each unit itself gave
        middle = time.perf_counter()
        write_summary(out_root / SUMMARY, results, not_processed, out_root if grouped else None)
        log.info("写入 %s 用时 %.2f 秒，%s 用时 %.2f 秒（%d 个单位）", MANIFEST, middle - start, SUMMARY,
                 time.perf_counter() - middle, len(results))
    return BatchResult(sorted(results, key=lambda r: r["relative"]), skipped, interrupted, not_processed, store.notes)


ACTIVE_POOLS: set = set()  # the pools of running batches, so that `serve` can stop their workers on exit


def stop_workers() -> None:
    """Terminate the workers of every running batch of this process (the server is exiting)."""
    for pool in list(ACTIVE_POOLS):
        for worker in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                worker.terminate()


def _run_parallel(todo, jobs: int, record) -> bool:
    """Run jobs in worker processes; a killed worker fails only the units it had not finished.

    Only a few jobs per worker are submitted ahead: `wait` looks at every pending future each
    time one finishes, so submitting 10,000 at once made the main process's work grow with
    the square of the units."""
    # never more workers than workbooks: each costs an interpreter with matplotlib loaded
    workers = min(jobs, len(todo))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker, initargs=(os.getpid(),))
    ACTIVE_POOLS.add(pool)
    queue = iter(todo)
    pending: dict = {}
    broken = False

    def failed(job: Job) -> dict:
        return {"workbook": str(job.workbook), "relative": str(job.relative), "out_dir": str(job.out_dir),
                "status": "错误", "message": "处理该单位的进程被中止，未生成报告；请重新运行", "findings": [], "files": []}

    def submit_more() -> None:
        nonlocal broken
        while len(pending) < 2 * workers + 2:
            item = next(queue, None)
            if item is None:
                return
            if broken:  # as every unit not yet finished when the pool broke
                record(*item, failed(item[0]))
                continue
            try:
                pending[pool.submit(run_job, item[0])] = item
            except (BrokenProcessPool, RuntimeError):
                broken = True
                record(*item, failed(item[0]))

    try:
        with _signals_held():  # the pool forks all its workers at the first submit
            submit_more()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job, stamp = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    result = failed(job)
                record(job, stamp, result)
            submit_more()
    except KeyboardInterrupt:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in processes:  # a unit half done is redone next time; nothing half-written stays
            with contextlib.suppress(Exception):
                worker.terminate()
        raise
    finally:
        ACTIVE_POOLS.discard(pool)
    pool.shutdown()
    return broken


# ------------------------------------------------------------------ 部门 folders (issue 14)

DEPARTMENT_DIR = "部门汇总"  # the 部门's report folder, beside its units' folders


def department_result(folder: Path, out_dir: Path, relative: str, old_data: Path | None,
                      previous: Any = None) -> dict[str, Any]:
    """The batch's result for one 部门 folder (the same shape as a unit's, `level` 部门)."""
    from .consolidate import generate_department

    result: dict[str, Any] = {"workbook": str(folder), "relative": relative, "out_dir": str(out_dir), "level": "部门"}
    old = _load_json(old_data)
    try:
        done = generate_department(folder, out_dir, previous=previous)
    except GeneratorError as exc:
        findings = [f.as_dict() for f in exc.findings or []]
        return result | {"status": "错误", "message": str(exc), "findings": findings, "files": [],
                         "cacheable": not isinstance(exc, OutputError)}
    except Exception as exc:  # a bug, not the clerk's mistake
        return result | {"status": "错误", "message": f"程序内部错误（{type(exc).__name__}）",
                         "traceback": traceback.format_exc(), "findings": [], "files": []}
    acc = done.outcome.accounts
    findings = [f.as_dict() for f in done.outcome.findings]
    n = len(done.consolidation.members)
    result |= {"status": "警告" if any(f["severity"] == WARNING for f in findings) else "成功",
               "message": f"部门汇总（{n}个单位，内部往来已抵销；不计入全区合计）", "findings": findings,
               "unit": acc.unit.get("name") or "", "code": acc.unit.get("code") or "", "year": acc.unit.get("year"),
               "figures": key_figures(acc), "files": [str(done.workbook)] + [str(p) for p in done.outcome.written.all()]}
    if old is not None:
        changes = change_report(old, _load_json(done.outcome.written.data))
        result["changes"] = changes
        if changes["figures"] or changes["sentences"]:
            target = Path(out_dir) / CHANGES
            with atomic_write(target) as tmp:
                tmp.write_text(format_changes(f"{acc.unit.get('name')}（部门）", changes), "utf-8-sig")
            result["files"].append(str(target))
    return result


def _run_departments(found: list[tuple[Path, Path]], out_root: Path, env: dict, store: ManifestStore,
                     results: list[dict[str, Any]], force: bool, hashes: dict[str, str], prev_hash: str = "",
                     previous: Callable[[], Any] = lambda: None) -> int:
    """After the units: each 部门 folder consolidated once more, only when one of its units (or last
    year's workbooks) changed, or when its last run failed for a cause outside the workbooks (a
    file in the way). `previous()`: last year's workbooks, as the units took them.
    Returns how many were skipped as current."""
    from .render import unique_name

    folders: dict[Path, dict[str, str]] = {}
    for workbook, rel in found:
        if is_department_folder(rel.parent):
            folders.setdefault(rel.parent, {})[str(rel)] = hashes[str(rel)]
    skipped = 0
    for rel_folder, members in sorted(folders.items()):
        key = str(rel_folder / DEPARTMENT_ENTRY)
        stamp = env | {"members": members, "previous": prev_hash}
        entry = store.units.get(key)
        if (not force and entry is not None and entry.get("stamp") == stamp
                and (entry["result"]["status"] != "错误" or entry["result"].get("cacheable"))
                and all(Path(f).exists() for f in entry["result"]["files"])):
            skipped += 1
            results.append(entry["result"] | {"skipped": True, "changes": None})
            continue
        folder = next(wb.parent for wb, rel in found if rel.parent == rel_folder)
        old = entry["result"] if entry else {}
        old_data = next((Path(f) for f in old.get("files") or old.get("last_good_files") or []
                         if f.endswith(".数据.json")), None)
        out_dir = out_root.joinpath(*[unique_name(p) for p in rel_folder.parts], DEPARTMENT_DIR)  # as its units' folders
        result = department_result(folder, out_dir, key, old_data, previous())
        if result.get("traceback"):
            log.error("%s\n%s", folder, result["traceback"])
        result["skipped"] = False
        results.append(result)
        if result["status"] == "错误" and not result.get("files") and (old.get("files") or old.get("last_good_files")):
            result = result | {"last_good_files": old.get("files") or old.get("last_good_files")}
        store.put(key, {"stamp": stamp, "result": {k: v for k, v in result.items() if k != "traceback"}})
    return skipped


class ManifestStore:
    """manifest.json plus its journal: the units as last recorded, whatever moment a run was killed.

    `put`/`drop` append one flushed line to the journal (O(1) per unit, where rewriting the
    manifest is O(units)); `compact` writes manifest.json atomically, then removes the journal.
    Loading replays the journal over the manifest; a torn last line (the process killed while
    writing it) is ignored, so its unit is simply redone. Replaying twice gives the same units
    (a run killed between writing the manifest and removing the journal loses nothing).
    """

    def __init__(self, out_root: Path):
        self.out_root = Path(out_root)
        self.notes: list[str] = []  # what the user must be told (a manifest set aside)
        manifest = self._load()
        self.units: dict[str, dict] = manifest.get("units", {})
        self.previous: dict[str, dict] = manifest.get("previous", {})  # last year's workbooks' hashes
        self._journal = None
        self.dirty = False  # anything recorded since manifest.json was written
        if self._replay():  # a killed run's journal: folded in now, so the journal never grows across runs
            self.dirty = True
            self.compact()

    def _load(self) -> dict:
        """manifest.json as this program writes it; a file of any other content (edited by hand,
        another program's, damaged) is set aside under another name, with one sentence, and every
        unit is generated anew (the manifest only saves work; it is rebuilt from the reports)."""
        path = self.out_root / MANIFEST
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            text = None
        try:
            manifest = json.loads(text) if text is not None else None
        except ValueError:
            manifest = None
        if (isinstance(manifest, dict) and isinstance(manifest.get("units", {}), dict)
                and isinstance(manifest.get("previous", {}), dict)
                and all(_valid_entry(e) for e in manifest.get("units", {}).values())
                and all(_valid_entry(e, previous=True) for e in manifest.get("previous", {}).values())):
            return manifest
        aside = path.with_name(MANIFEST + ".bad")
        try:
            if path.is_dir():  # not a file this program could have written: left where it is
                raise IsADirectoryError(path)
            os.replace(path, aside)
            said = f"已改名为“{aside.name}”留存"
        except OSError:
            said = "无法改名，本次不使用它"
        self.notes.append(f"输出文件夹中的“{MANIFEST}”不是本程序写出的格式（可能被手工改动或损坏），{said}；"
                          "本次重新生成全部单位并重建该文件")
        log.warning(self.notes[-1])
        return {}

    def _replay(self) -> bool:
        """Apply the journal a killed run left; whether there was one."""
        try:
            f = open(self.out_root / JOURNAL, "rb")
        except OSError:
            return False
        with f:
            for raw in f:
                try:
                    rec = json.loads(raw)
                    key = rec["key"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill
                if not isinstance(key, str) or not (rec.get("entry") is None or _valid_entry(rec["entry"])):
                    continue  # not a line this program wrote
                if rec.get("entry") is None:
                    self.units.pop(key, None)
                else:
                    self.units[key] = rec["entry"]
        return True

    def _append(self, record: dict) -> None:
        self.dirty = True
        if self._journal is None:
            try:
                self._journal = open(self.out_root / JOURNAL, "ab")
            except OSError as exc:
                from .output import os_error_message

                raise OutputError(os_error_message(exc, self.out_root / JOURNAL)) from exc
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        try:
            self._journal.write(line.encode("utf-8") + b"\n")
            self._journal.flush()  # in the operating system's hands: a killed process loses nothing
        except OSError as exc:
            from .output import os_error_message

            raise OutputError(os_error_message(exc, self.out_root / JOURNAL)) from exc

    def put(self, key: str, entry: dict, ran: bool = False) -> None:
        """`ran`: the unit was generated in this run (the journal's time stamps then time the run)."""
        self.units[key] = entry
        self._append({"key": key, "entry": entry, "t": round(time.time(), 3)} | ({"ran": True} if ran else {}))

    def drop(self, key: str) -> None:
        self.units.pop(key, None)
        self._append({"key": key, "entry": None, "t": round(time.time(), 3), "ran": True})

    def close(self) -> None:
        if self._journal is not None:
            with contextlib.suppress(OSError):
                self._journal.close()
            self._journal = None

    def compact(self) -> None:
        """manifest.json rewritten once with every unit (when anything changed); the journal is then
        no longer needed."""
        self.close()
        if self.dirty or not (self.out_root / MANIFEST).exists():
            _save_manifest(self.out_root, self.units, self.previous)
            self.dirty = False
        with contextlib.suppress(FileNotFoundError):
            (self.out_root / JOURNAL).unlink()


def _valid_entry(entry: Any, previous: bool = False) -> bool:
    """An entry of the manifest as `put` records it (or, `previous`, as `_previous_hash` does)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("stamp"), dict) or not isinstance(entry.get("result"), dict):
        return False
    result = entry["result"]
    if previous:
        return True
    texts = lambda items: isinstance(items, list) and all(isinstance(x, str) for x in items)  # noqa: E731
    findings, figures = result.get("findings", []), result.get("figures") or {}
    return (isinstance(result.get("status"), str) and isinstance(result.get("relative"), str)
            and texts(result.get("files", [])) and texts(result.get("last_good_files", []))
            and isinstance(result.get("out_dir", ""), (str, type(None)))
            and isinstance(findings, list) and all(isinstance(f, dict) and all(isinstance(f.get(k), str) for k in
                                                                             ("rule", "severity", "ref", "message"))
                                                   for f in findings)
            and isinstance(figures, dict) and all(v is None or _decimal_text(v) for v in figures.values()))


def _decimal_text(value: Any) -> bool:
    try:
        return isinstance(value, str) and Decimal(value).is_finite()
    except ArithmeticError:
        return False


def _save_manifest(out_root: Path, units: dict, previous: dict | None = None) -> None:
    manifest: dict[str, Any] = {"version": __version__, "units": units}
    if previous:
        manifest["previous"] = previous
    with atomic_write(out_root / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True), "utf-8")


# ------------------------------------------------------------------ the district summary

FIGURE_COLUMNS = ["收入总计", "支出总计", "本年收入合计", "本年支出合计", "财政拨款收入支出总计", "一般公共预算财政拨款支出",
                  "基本支出", "项目支出", "人员经费", "公用经费", "“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费",
                  "公务接待费", "机关运行经费", "收入支出总计增减", "一般公共预算财政拨款支出增减", "“三公”经费增减"]


NOT_PROCESSED_SHEET = "未处理的文件"


def district_year(results: list[dict[str, Any]]) -> int | None:
    """The district's 报告年度: the year most units report (of two as common, the later one)."""
    years: dict[int, int] = {}
    for r in results:
        if r.get("level") != "部门" and r.get("figures") and isinstance(r.get("year"), int):
            years[r["year"]] = years.get(r["year"], 0) + 1
    return max(years, key=lambda y: (years[y], y)) if years else None


def count_once(results: list[dict[str, Any]]) -> int | None:
    """Mark what the 全区合计 must not add (`not_counted`, with a finding naming the files): a unit of
    another 报告年度 than the district's, and a unit already counted (the same 单位编码, else the same
    单位名称, see inputs.repeats) — a 警告 when both copies give the same figures, an 错误 when they
    differ (no total can be sure then). Run after every run, skipped units included; returns the year.

    The result dicts are replaced key by key (never their lists): the manifest keeps what the unit
    itself gave."""
    year = district_year(results)
    # the first of two copies is the one of the shorter path (a copy's name is longer: “X(1)”, “X - 副本”)
    units = sorted((r for r in results if r.get("level") != "部门" and r.get("figures")),
                   key=lambda r: (len(r["relative"]), r["relative"]))

    def flag(r: dict, rule: str, severity: str, message: str) -> None:
        r["not_counted"] = message
        r["findings"] = list(r.get("findings") or []) + [
            {"rule": rule, "severity": severity, "ref": r["relative"], "message": message, "also": []}]
        if r["status"] != "错误":
            r["status"] = severity if severity == ERROR else ("警告" if r["status"] == "成功" else r["status"])
        r["message"] = "；".join(m for m in (r.get("message"), message) if m)

    for r in units:
        r.pop("not_counted", None)
        if year is not None and isinstance(r.get("year"), int) and r["year"] != year:
            flag(r, "UNIT-OTHER-YEAR", WARNING, f"报告年度为 {r['year']} 年，不是本次汇总的 {year} 年（多数单位的报告年度），"
                                                f"不计入全区合计；如属误放，请从文件夹中移走")
    by_year: dict[Any, list[dict]] = {}
    for r in units:
        by_year.setdefault(r.get("year"), []).append(r)
    for group in by_year.values():
        for rep in repeats([(r.get("code"), r.get("unit")) for r in group]):
            first, again = group[rep.first], group[rep.second]
            same = first.get("figures") == again.get("figures")
            if again.get("not_counted"):  # another year: counted nowhere, but the copy is said too
                flag(again, "UNIT-REPEAT", WARNING, f"与“{first['relative']}”是同一个单位（{rep.how}）"
                     + ("，两份的数字相同" if same else "，两份的数字不同"))
                continue
            flag(again, "UNIT-REPEAT", WARNING if same else ERROR,
                 f"与“{first['relative']}”是同一个单位（{rep.how}），全区合计只计入“{first['relative']}”一次"
                 + ("；两份的数字相同，请删除多余的一份" if same else "；两份的数字不同，全区合计无法确定，请删除错误的一份后重新运行"))
    return year


def write_summary(path: Path, results: list[dict[str, Any]], not_processed: list[tuple[str, str]] = (),
                  out_root: Path | None = None) -> Path:
    """汇总.xlsx: one row per unit with its status and key figures, district totals, all findings,
    and (when there were any) the files of the input folder that are not workbooks.

    `out_root` (given when a large folder's units were grouped, see `unit_output_dirs`): a last column
    says in which folder below it each unit's report is.

    Streamed row by row (xlsxstream): openpyxl took 13–15 s for 10,000 units, in write-only
    mode too, and held every cell in memory."""
    from . import xlsxstream as xs

    results = sorted(results, key=lambda r: r["relative"])
    head = ["工作簿", "单位名称", "单位编码", "状态", "错误", "警告", "提示", "本次", "说明"] + [
        f"{name}（万元）" for name in FIGURE_COLUMNS]  # the unit on every figure's header, printed
    if out_root is not None:
        head.append("报告文件夹")
    bold_head = dict.fromkeys(range(len(head)), xs.HEAD)
    with atomic_write(path) as tmp, xs.Book(tmp, header="金额单位：万元") as book:
        widths = {col: 14 if col > 9 else (30 if col in (1, 2, 9) else 9) for col in range(1, len(head) + 1)}
        if out_root is not None:
            widths[len(head)] = 40
        ws = book.sheet("汇总", widths, freeze="C2")
        ws.filter = f"A1:{xs.column_letter(len(head))}{max(len(results) + 1, 2)}"
        ws.row(head, bold_head)
        totals = [ZERO] * len(FIGURE_COLUMNS)
        n_counted = 0
        money = dict.fromkeys(range(9, 9 + len(FIGURE_COLUMNS)), xs.MONEY)
        for r in results:
            counts = {s: sum(f["severity"] == s for f in r.get("findings", [])) for s in ("错误", "警告", "提示")}
            state = "未变动，跳过" if r.get("skipped") else ("已修订" if has_changes(r.get("changes")) else "已生成")
            if r["status"] == "错误" and not r.get("files"):
                state = "未生成"
            name = r.get("unit", "") + ("（部门汇总）" if r.get("level") == "部门" and r.get("unit") else "")
            row = [r["relative"], name, r.get("code", ""), r["status"], counts["错误"], counts["警告"],
                   counts["提示"], state, r.get("message", "")]
            figures = r.get("figures") or {}
            counted = r.get("level") != "部门" and not r.get("not_counted")  # a 部门's units have their own rows
            n_counted += bool(counted and figures)
            for j, name in enumerate(FIGURE_COLUMNS):
                value = figures.get(name)
                row.append(None if value is None else float(Decimal(value)))
                if value is not None and counted:
                    totals[j] += Decimal(value)
            if out_root is not None:
                row.append(_relative_folder(r.get("out_dir"), out_root) or None)
            styles = {0: xs.WRAP, 1: xs.WRAP, 3: xs.FILL.get(r["status"], xs.WHITE), 8: xs.WRAP}
            styles.update((k, v) for k, v in money.items() if row[k] is not None)
            ws.row([v if v != "" else None for v in row], styles)
        n_departments = sum(r.get("level") == "部门" for r in results)
        left_out = [r for r in results if r.get("not_counted")]
        failed = sum(r.get("level") != "部门" and not r.get("figures") for r in results)
        year = district_year(results)
        note = [f"{year}年度" if year else "", f"计入{n_counted}个单位之和"]
        note += [f"{n_departments}个部门汇总行不计入（其单位已逐行计入）"] if n_departments else []
        note += [f"另有{len(left_out)}个单位未计入（重复或报告年度不同，见各行“说明”）"] if left_out else []
        note += [f"{failed}个未生成的单位没有数字"] if failed else []
        ws.row(["全区合计", None, None, f"{n_counted}个单位", None, None, None, None, "；".join(n for n in note if n)]
               + [float(v) for v in totals], {0: xs.BOLD} | dict.fromkeys(range(9, 9 + len(FIGURE_COLUMNS)), xs.BOLD_MONEY))

        from .check import RULES

        issues = book.sheet("问题清单", dict(enumerate((24, 20, 14, 6, 20, 70, 30), start=1)), freeze="A2")
        # a unit that failed without findings (an unreadable file, a crash) is listed with its message; the
        # message of a good result (a 部门's note, a 绩效自评报告 left out) is no 错误
        unreadable = [r for r in results if r["status"] == "错误" and r.get("message") and not r.get("findings")]
        n = sum(len(r.get("findings") or []) for r in results) + len(unreadable)
        issues.filter = f"A1:G{max(n + 1, 2)}"
        issues.row(["工作簿", "单位名称", "规则", "级别", "位置", "说明", "规则内容"], dict.fromkeys(range(7), xs.HEAD))
        wrapped = dict.fromkeys(range(7), xs.WRAP)  # top-aligned, the long ones wrapped
        for r in results:
            entries = r.get("findings") or []
            if any(r is u for u in unreadable):
                entries = [{"rule": "FILE", "severity": ERROR, "ref": r["relative"], "message": r["message"]}]
            for f in entries:
                issues.row([v if v != "" else None for v in (r["relative"], r.get("unit", ""), f["rule"], f["severity"],
                                                             f["ref"], f["message"], RULES.get(f["rule"], ""))],
                           wrapped)

        changed = book.sheet("本次修订", dict(enumerate((30, 24, 60, 10, 60), start=1)))
        changed.row(["工作簿", "单位名称", "变动的数字", "变动的句子", "修订说明"], dict.fromkeys(range(5), xs.HEAD))
        n_changed = 0
        for r in results:
            ch = r.get("changes") or {}
            if has_changes(ch):
                from .figures import figure_label

                names = "、".join(dict.fromkeys([figure_label(k) for k, _, _ in ch["figures"]]
                                                + [p[0] for p in ch.get("printed") or []]))
                doc = next((f for f in r.get("files", []) if f.endswith(CHANGES)), "")
                changed.row([v if v != "" else None for v in (r["relative"], r.get("unit", ""), names,
                                                              len(ch["sentences"]), doc)], dict.fromkeys((0, 1, 2, 4), xs.WRAP))
                n_changed += 1
        if not n_changed:  # one line, not an empty grid printed over pages
            changed.row(["本次运行没有内容变化的单位"])
        if not_processed:
            other = book.sheet(NOT_PROCESSED_SHEET, {1: 40, 2: 50})
            other.row(["文件", "原因"], {0: xs.HEAD, 1: xs.HEAD})
            for name, reason in not_processed:
                other.row([name, reason], {0: xs.WRAP, 1: xs.WRAP})
    return path


def _relative_folder(out_dir: str | None, out_root: Path) -> str:
    """A unit's report folder as the user finds it below the output folder ("" when it has none)."""
    if not out_dir:
        return ""
    try:
        return str(Path(out_dir).relative_to(out_root))
    except ValueError:
        return str(out_dir)

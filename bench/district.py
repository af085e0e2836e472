"""Benchmark of the district run (not a test): prints its figures.

    python bench/district.py                 # 200 units, every measurement
    python bench/district.py --units 40 --separate 10

Builds a synthetic district of workbooks of realistic variety (three kinds of unit at
different sizes, units with and without 三公 (the 安居 kind has none), 基金 and 国资 money, decreases against the
prior year, zero items, 元 and 万元 workbooks), then measures, each as a real `generate`
process: a cold bulk run, a no-change re-run, a re-run after one unit changed, a cold run
with --jobs 1, and separate `generate x.xlsx` invocations one after another. For each it
prints wall time, units per second, seconds per unit and the peak RSS of the whole process
tree (sampled every 20 ms from /proc).

    python bench/district.py --province --units 10000

Province scale: the workbooks are a handful written by the writer, the rest copies varied in
their XML (unit name, code, last year's figures: every unit distinct, every identity kept),
laid out as a province delivers them (市/区县/单位, a few hundred per folder, and one flat
folder of 600 that the batch must group). Runs only the cold bulk run, a no-change re-run
and a one-unit-changed re-run, printing for each the seconds per unit in consecutive windows
of 500 finished units (from the manifest journal's time stamps), the peak RSS, the most
entries in any output folder, and the time spent writing manifest.json and 汇总.xlsx.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_samples  # noqa: E402

from generator.workbook import write_workbook  # noqa: E402

GENERATE = [str(Path(sys.executable).parent / "generate")]  # the installed command, as a user runs it


def scaled(data, factor: Decimal):
    """Every amount times `factor` (exact in Decimal, so every identity still holds)."""
    if isinstance(data, Decimal):
        return data * factor
    if isinstance(data, dict):
        return {k: scaled(v, factor) for k, v in data.items()}
    if isinstance(data, list):
        return [scaled(v, factor) for v in data]
    return data


KINDS = ["anju", "yanjiang", "welfare"]


def unit_data(i: int, rng: random.Random, scale: bool = True, kind: str | None = None) -> dict:
    """A unit of realistic variety: amounts scaled, except in a unit that picks a 绩效自评 评分表
    (its scores are computed from the amounts with fixed thresholds, so a scaled copy would no
    longer agree with the scores typed: SELF-TOTAL 错误 and no 绩效自评报告, i.e. less work than a
    real unit). `scale=False`: never scaled. `kind`: which sample (default: drawn at random)."""
    drawn = rng.choice(KINDS)
    kind = kind or drawn
    data = copy.deepcopy(getattr(build_samples, kind)())
    factor = Decimal(rng.randint(2, 40)) / 8
    if scale and not (data.get("selfeval") or {}).get("overall_template"):
        data = scaled(data, factor)
    data["unit"]["name"] = f"示范区第{i + 1:03d}号单位（{ {'anju': '社保', 'yanjiang': '人社', 'welfare': '福利'}[kind] }）"
    data["unit"]["code"] = f"U{i + 1:04d}"
    if rng.random() < 0.3:  # a decrease: last year was bigger
        data["prior"] = {k: (v * Decimal("1.25") if isinstance(v, Decimal) else v) for k, v in data["prior"].items()}
    return data


def build_district(folder: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        sub = folder / f"片区{i % 5 + 1}"
        paths.append(write_workbook(sub / f"单位{i + 1:03d}.xlsx", unit_data(i, rng)))
    return paths


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _rss_kb(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_sampled(args: list[str], sample: Callable[[int], None]) -> tuple[float, int]:
    """(wall seconds, exit status) of one command, calling `sample(pid)` every 20 ms while it runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def loop():
        while proc.poll() is None:
            sample(proc.pid)
            time.sleep(0.02)

    sampler = threading.Thread(target=loop)
    sampler.start()
    proc.wait()
    wall = time.perf_counter() - start
    sampler.join()
    return wall, proc.returncode


def measure(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS of the process tree in MB, exit status) of one command."""
    peak = 0

    def sample(pid: int) -> None:
        nonlocal peak
        peak = max(peak, _tree_rss_kb(pid))

    wall, rc = run_sampled(args, sample)
    return wall, peak / 1024, rc


def line(name: str, units: int, wall: float, peak: float) -> str:
    rate = units / wall if wall else float("inf")
    return f"{name:<34} {units:>5} units  {wall:8.2f} s  {rate:7.2f} units/s  {wall / max(units, 1):6.3f} s/unit  peak {peak:7.1f} MB"


# ------------------------------------------------------------------ province scale

def _xml_text(text: str) -> str:
    """A string as the writer puts it in the sheet XML (non-ASCII as character references)."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text)


def _sheet_member(members: dict[str, bytes], title: str) -> str:
    """The zip member holding the sheet called `title`."""
    book = members["xl/workbook.xml"].decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="(rId\d+)"' % re.escape(_xml_text(title)), book)
    rid = rid or re.search(r'<sheet [^>]*name="%s"[^>]*r:id="(rId\d+)"' % re.escape(title), book)
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(r'Target="/?([^"]+)" Id="%s"' % rid.group(1), rels).group(1)
    return target


class Template:
    """One workbook written by the writer, kept as its zip members, to be copied with variations."""

    def __init__(self, path: Path, data: dict):
        with zipfile.ZipFile(path) as z:
            self.members = {i.filename: z.read(i) for i in z.infolist()}
        self.name, self.code = data["unit"]["name"], data["unit"]["code"]
        self.info_member = _sheet_member(self.members, "单位信息")
        self.prior_member = _sheet_member(self.members, "上年数")

    def write(self, path: Path, name: str, code: str, factor: Decimal) -> None:
        """A copy as another unit: its name and code, and last year's figures times `factor`
        (all of them, so that their sums still hold; this year's tables are untouched)."""
        info = self.members[self.info_member].decode()
        old_name, old_code = _xml_text(self.name), f"<t>{self.code}</t>"
        assert info.count(old_name) == 1 and info.count(old_code) == 1, "unit name or code not found in 单位信息"
        info = info.replace(old_name, _xml_text(name)).replace(old_code, f"<t>{code}</t>")

        def scale(m: re.Match) -> str:
            value = (Decimal(m.group(2)) * factor).quantize(Decimal("0.0001"))
            return f"{m.group(1)}{value.normalize():f}{m.group(3)}"

        prior = re.sub(r'(<c r="B\d+"[^>]*t="n"[^>]*><v>)([^<]+)(</v>)', scale, self.members[self.prior_member].decode())
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for member, content in self.members.items():
                if member == self.info_member:
                    content = info.encode()
                elif member == self.prior_member:
                    content = prior.encode()
                z.writestr(member, content)


PER_FOLDER = 300  # units per 区县 folder, as a province delivers them
COUNTIES_PER_CITY = 4
FLAT = 600  # one flat folder above the grouping threshold (500)


def province_layout(n: int, flat: int) -> list[Path]:
    """Relative paths of n workbooks: 市/区县/单位 with PER_FOLDER per 区县, and `flat` of them
    in one folder 省直属单位."""
    paths = [Path("省直属单位") / f"单位{i + 1:05d}.xlsx" for i in range(min(flat, n))]
    for i in range(n - len(paths)):
        county = i // PER_FOLDER
        paths.append(Path(f"第{county // COUNTIES_PER_CITY + 1:02d}市") / f"第{county % COUNTIES_PER_CITY + 1}区县"
                     / f"单位{len(paths) + 1:05d}.xlsx")
    return paths


def build_province(folder: Path, n: int, flat: int, distinct: int = 6, seed: int = 1) -> list[Path]:
    """n distinct workbooks from `distinct` written by the writer (the rest varied copies)."""
    rng = random.Random(seed)
    templates = []
    for i in range(distinct):
        data = unit_data(i, rng, scale=False, kind=KINDS[i % len(KINDS)])  # each kind in turn
        path = write_workbook(folder.parent / "templates" / f"样板{i + 1}.xlsx", data)
        templates.append(Template(path, data))
    paths = []
    for i, rel in enumerate(province_layout(n, flat)):
        t = templates[i % distinct]
        kind = t.name[t.name.index("（"):]
        t.write(folder / rel, f"示范省第{i + 1:05d}号单位{kind}", f"P{i + 1:05d}", Decimal(80 + i % 50) / 100)
        paths.append(folder / rel)
    return paths


class JournalTail:
    """The time stamps of the units a running batch records in its journal (read as it grows;
    the file, once open, stays readable when the batch removes it at the end)."""

    def __init__(self, out: Path):
        self.path, self.file, self.buf, self.times = out / "manifest.journal", None, b"", []

    def poll(self) -> None:
        if self.file is None:
            try:
                self.file = open(self.path, "rb")
            except OSError:
                return
        self.buf += self.file.read()
        *lines, self.buf = self.buf.split(b"\n")
        for raw in lines:
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if rec.get("ran"):  # a unit generated (not one whose hash was merely refreshed)
                self.times.append(rec["t"])

    def close(self) -> None:
        self.poll()
        if self.file is not None:
            self.file.close()


def measure_batch(args: list[str], out: Path) -> dict:
    """`measure`, plus the journal's time stamps and what the batch logged about its writes."""
    tail = JournalTail(out)
    log = out / "generate.log"
    log_start = log.stat().st_size if log.exists() else 0
    peak = main_peak = 0
    main_cpu = 0.0
    start_wall = time.time()

    def sample(pid: int) -> None:
        nonlocal peak, main_peak, main_cpu
        peak = max(peak, _tree_rss_kb(pid))
        main_peak = max(main_peak, _rss_kb(pid))
        main_cpu = max(main_cpu, _cpu_seconds(pid))
        tail.poll()

    wall, rc = run_sampled(args, sample)
    tail.close()
    with open(log, "rb") as f:
        f.seek(log_start)
        logged = f.read().decode("utf-8", "replace")
    writes = {m.group(1): float(m.group(2)) for m in re.finditer(r"(?:写入 |，)(\S+?) 用时 ([\d.]+) 秒", logged)}
    return {"wall": wall, "peak": peak / 1024, "main_peak": main_peak / 1024, "main_cpu": main_cpu, "rc": rc,
            "times": tail.times, "start": start_wall, "writes": writes}


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) one process has used so far, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _rss_kb(pid: int) -> int:
    """RSS of one process, from /proc (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def windows(times: list[float], start: float, size: int = 500) -> list[float]:
    """Seconds per unit in consecutive windows of `size` finished units (the first from the start)."""
    times = sorted(times)
    out, before = [], start
    for k in range(size, len(times) + 1, size):
        out.append((times[k - 1] - before) / size)
        before = times[k - 1]
    return out


def most_entries(out: Path) -> tuple[int, str]:
    """The largest number of entries in one folder below `out`, and that folder."""
    best = (0, "")
    for folder, dirs, files in os.walk(out):
        best = max(best, (len(dirs) + len(files), os.path.relpath(folder, out)))
    return best


def province(a) -> None:
    work = a.keep or Path(tempfile.mkdtemp(prefix="province-"))
    district, out = work / "province", work / "out"
    shutil.rmtree(work / "templates", ignore_errors=True)
    shutil.rmtree(district, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    flat = a.flat if a.flat is not None else (FLAT if a.units >= 1000 else 0)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load before: {os.getloadavg()[0]:.2f}")
    t = time.perf_counter()
    paths = build_province(district, a.units, flat)
    folders = {p.parent for p in paths}
    print(f"built {len(paths)} workbooks in {time.perf_counter() - t:.1f} s under {district} "
          f"({len(folders)} folders, the largest {max(sum(p.parent == f for p in paths) for f in folders)} workbooks)")
    window = a.window
    time.sleep(3)  # workbooks saved in the last 3 s are always hashed again (batch.RACY_NS): not what a re-run meets

    def report(name: str, m: dict, units: int) -> None:
        print(line(name, units, m["wall"], m["peak"]), f"exit {m['rc']}")
        n = len(m["times"])
        print(f"    main process: peak {m['main_peak']:.1f} MB, CPU {m['main_cpu']:.1f} s"
              + (f" ({m['main_cpu'] / n * 1000:.1f} ms per unit generated by the workers)" if n > 1 else ""))
        w = windows(m["times"], m["start"], window)
        if w:
            print(f"    s/unit per {window} finished: " + " ".join(f"{x:.3f}" for x in w)
                  + f"  (min {min(w):.3f}, max {max(w):.3f})")
        n, where = most_entries(out)
        print(f"    most entries in one output folder: {n} ({where}); "
              + "; ".join(f"writing {k} {v:.2f} s" for k, v in m["writes"].items()))

    command = [*GENERATE, str(district), "-o", str(out)]
    report("cold bulk (default --jobs)", measure_batch(command, out), a.units)
    report("no-change re-run", measure_batch(command, out), a.units)
    from openpyxl import load_workbook

    wb = load_workbook(paths[-1])
    wb["财政拨款“三公”经费支出决算表"]["L6"] = 0.5
    wb.save(paths[-1])
    report("one unit changed, re-run", measure_batch(command, out), a.units)
    print(f"load after: {os.getloadavg()[0]:.2f}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--separate", type=int, default=None, help="units for the separate-invocations run (default: all)")
    ap.add_argument("--jobs1", type=int, default=None, help="units for the --jobs 1 run (default: all)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the district here instead of a temp folder")
    ap.add_argument("--floor", type=int, default=3, metavar="N",
                    help="measure the floor (bench/floor.py) on N of the district's workbooks first (0: skip)")
    ap.add_argument("--province", action="store_true",
                    help="province scale: copied workbooks in 市/区县 folders; cold, no-change and one-changed runs only")
    ap.add_argument("--flat", type=int, default=None,
                    help=f"--province: workbooks in one flat folder (default {FLAT} from 1,000 units on, else 0)")
    ap.add_argument("--window", type=int, default=500, help="--province: units per window of the s/unit figures")
    a = ap.parse_args()
    if a.province:
        return province(a)
    work = a.keep or Path(tempfile.mkdtemp(prefix="district-"))
    district, out = work / "district", work / "out"
    shutil.rmtree(district, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    paths = build_district(district, a.units)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"built {len(paths)} workbooks in {time.perf_counter() - t:.1f} s under {district}")

    results = {}
    floor = start_floor = None
    if a.floor:
        sys.path.insert(0, str(ROOT / "bench"))
        import floor as floor_bench

        f = floor_bench.measure(paths[:a.floor], rounds=2)
        floor = f["floor"]
        start_floor = floor_bench.startup()
        print(f"start-up floor (fresh process importing the same libraries): {start_floor:.3f} s; "
              f"single-run floor = start-up + one unit = {start_floor + floor:.3f} s")
        print(f"floor per unit (warm, one core, {a.floor} workbooks): {floor:.3f} s; generate() warm: "
              f"{f['ours']:.3f} s without, {f['ours_selfeval']:.3f} s with 绩效自评报告 "
              f"= {f['ours'] / floor:.2f}x / {f['ours_selfeval'] / floor:.2f}x the floor")

    def vs_floor(per_unit: float, cores: int = 1) -> str:
        return "" if floor is None else f"  = {per_unit * cores / floor:.2f}x floor per core"

    jobs = min(os.cpu_count() or 1, 61)
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    results["cold"] = (wall, peak)
    print(line("cold bulk (default --jobs)", a.units, wall, peak), f"exit {rc}", vs_floor(wall / a.units, jobs))
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    print(line("no-change re-run", a.units, wall, peak), f"exit {rc}")
    from openpyxl import load_workbook

    wb = load_workbook(paths[0])
    wb["财政拨款“三公”经费支出决算表"]["L6"] = 0.5
    wb.save(paths[0])
    wall, peak, rc = measure([*GENERATE, str(district), "-o", str(out)])
    print(line("one unit changed, re-run", a.units, wall, peak), f"exit {rc}")

    n1 = a.jobs1 or a.units
    sub = work / "district_jobs1"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    for p in paths[:n1]:
        shutil.copy(p, sub / p.name)
    wall, peak, rc = measure([*GENERATE, str(sub), "-o", str(work / "out_jobs1"), "--jobs", "1"])
    print(line("cold bulk --jobs 1", n1, wall, peak), f"exit {rc}", vs_floor(wall / n1))

    ns = a.separate or a.units
    start = time.perf_counter()
    peak_sep = 0.0
    single = []
    for p in paths[:ns]:
        w, pk, _ = measure([*GENERATE, str(p), "-o", str(work / "out_separate")])
        single.append(w)
        peak_sep = max(peak_sep, pk)
    wall = time.perf_counter() - start
    print(line("separate `generate x.xlsx` runs", ns, wall, peak_sep), vs_floor(wall / ns))
    help_times = [measure([*GENERATE, "--help"])[0] for _ in range(5)]
    print(f"`generate --help`: median {sorted(help_times)[2]:.2f} s")
    per_unit_separate = wall / ns
    cold_per_unit = results["cold"][0] / a.units
    median_single = sorted(single)[len(single) // 2]
    print(f"single `generate x.xlsx` from process start: median {median_single:.2f} s, max {max(single):.2f} s"
          + ("" if floor is None else f"  = {median_single / (start_floor + floor):.2f}x the single-run floor"))
    print(f"speed-up of the bulk run over separate invocations: {per_unit_separate / cold_per_unit:.1f}x"
          + ("" if ns == a.units else f" (separate runs measured on {ns} of the {a.units} units, per unit)"))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

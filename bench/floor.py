"""The floor: the least the same work can cost with the same libraries (not a test).

    python bench/floor.py                       # the sample workbooks, 5 rounds
    python bench/floor.py a.xlsx b.xlsx --rounds 3

For each workbook, in one process and interleaved (so both see the same machine load):

- floor: read every sheet's values with python-calamine (the reader's library); draw the report's charts
  (the same kinds, bars, wedges and labels, at the same size, dpi and PNG settings) each on
  one matplotlib `Figure` with the most direct calls; fill the Word template once with docxtpl
  (each template part compiled once per process) and save it; write the files. The chart
  data and the template's context come from our own pipeline, computed outside the timing:
  the floor is the libraries' share of a report, not ours.
- ours: `generate()` of the same workbook, warm (决算说明 only, and with the 绩效自评报告).

- start-up floor: a fresh Python process that imports the same libraries (matplotlib's Figure
  and Agg canvas, docxtpl and python-docx, python-calamine, jinja2) and registers the bundled
  font, then exits. A single `generate x.xlsx` cannot cost less than this plus one floor unit.

Prints seconds per unit for each and the ratio ours / floor. `district.py --floor` calls
`measure()` so that its figures are ratios to a floor measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator import charts  # noqa: E402  (the bundled font and the chart geometry)
from generator.pipeline import generate, load  # noqa: E402

_COMPILED: dict = {}
_ENV = None


def _env():
    """A plain jinja environment whose templates are compiled once (what any careful caller does)."""
    global _ENV
    if _ENV is None:
        import jinja2

        class Env(jinja2.Environment):
            def from_string(self, source, globals=None, template_class=None):  # noqa: A002
                if source not in _COMPILED:
                    _COMPILED[source] = super().from_string(source, globals, template_class)
                return _COMPILED[source]

        _ENV = Env(undefined=jinja2.StrictUndefined, autoescape=True)
    return _ENV


def _setup_fonts() -> None:
    """Once per process: the bundled font registered and made the default (as charts.py does)."""
    import matplotlib

    family = charts._font_family()
    matplotlib.rcParams.update({"font.family": [family], "font.size": charts.TEXT_PT, "text.parse_math": False})


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=charts.DPI, metadata={"Software": None}, facecolor="white",
                pil_kwargs={"compress_level": charts.PNG_COMPRESS_LEVEL})
    return buf.getvalue()


def floor_chart(spec) -> bytes:
    """The same picture's content, drawn with the fewest matplotlib calls."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=charts.FIGSIZE, dpi=charts.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if spec.kind == "bar":
        n, k = len(spec.categories), len(spec.series)
        width = 0.8 / k
        for i, ((name, values), labels) in enumerate(zip(spec.series, spec.value_labels)):
            xs = [j + (i - (k - 1) / 2) * width for j in range(n)]
            bars = ax.bar(xs, [float(v) for v in values], width, label=name)
            ax.bar_label(bars, labels=labels)
        ax.set_xticks(range(n), spec.categories)
        fig.legend()
    else:
        ax.pie([float(v) for v in spec.values], labels=[f"{l} {p}" for l, p in zip(spec.labels, spec.percent_labels)])
    return _png(fig)


def prepare(path: Path):
    """Outside the timing: the chart specs and the template context our pipeline computes."""
    from generator.profiles import of_unit
    from generator.words import narrate

    acc, _ = load(path)
    report = narrate(acc)
    ctx = dict(report.context)
    ctx["outline"] = [dict(vars(b), mark="") for b in report.outline]
    return report, ctx, of_unit(acc.unit).template


def floor_unit(path: Path, report, ctx: dict, template: Path, out: Path) -> None:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()
    pngs = [floor_chart(spec) for spec in report.charts]
    tpl = DocxTemplate(template)
    for spec, png in zip(report.charts, pngs):
        spec.image = InlineImage(tpl, io.BytesIO(png), width=Mm(150))
    tpl.render(ctx, jinja_env=_env(), autoescape=True)
    out.mkdir(parents=True, exist_ok=True)
    for i, png in enumerate(pngs):
        (out / f"{i}.png").write_bytes(png)
    buf = io.BytesIO()
    tpl.save(buf)
    (out / "report.docx").write_bytes(buf.getvalue())


def measure(paths: list[Path], rounds: int = 3) -> dict[str, float]:
    """Median seconds per unit, warm, of the floor and of `generate()` (without and with 自评)."""
    _setup_fonts()
    work = Path(tempfile.mkdtemp(prefix="floor-"))
    prepared = [(p, *prepare(p)) for p in paths]
    times: dict[str, list[float]] = {"floor": [], "ours": [], "ours_selfeval": []}
    try:
        for r in range(rounds + 1):  # round 0 warms every path up and is not counted
            for i, (p, report, ctx, template) in enumerate(prepared):
                t = time.perf_counter()
                floor_unit(p, report, ctx, template, work / "floor" / str(i))
                t1 = time.perf_counter()
                generate(p, work / "ours", selfeval=False)
                t2 = time.perf_counter()
                generate(p, work / "ours_selfeval")
                t3 = time.perf_counter()
                if r:
                    times["floor"].append(t1 - t)
                    times["ours"].append(t2 - t1)
                    times["ours_selfeval"].append(t3 - t2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {k: statistics.median(v) for k, v in times.items()}


STARTUP = """
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
import docxtpl, docx, jinja2, python_calamine
from matplotlib import font_manager
font_manager.fontManager.addfont({font!r})
"""


def startup(runs: int = 3) -> float:
    """Median seconds of a fresh process that only imports the libraries a report needs."""
    import subprocess

    code = STARTUP.format(font=str(charts.FONT_PATH))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workbooks", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    paths = a.workbooks or sorted(p for p in (ROOT / "sample_inputs").glob("*.xlsx"))
    m = measure(paths, a.rounds)
    print(f"start-up floor (fresh process importing the libraries): {startup():.3f} s")
    print(f"{len(paths)} workbooks, {a.rounds} rounds, median seconds per unit (warm, one process):")
    print(f"  floor (read, charts, template once, save)  {m['floor']:.3f} s")
    print(f"  generate(), 决算说明 only                   {m['ours']:.3f} s  = {m['ours'] / m['floor']:.2f}x floor")
    print(f"  generate(), with 绩效自评报告               {m['ours_selfeval']:.3f} s  = "
          f"{m['ours_selfeval'] / m['floor']:.2f}x floor")


if __name__ == "__main__":
    main()

"""Tests of generator.charts: PNG output, bundled font, determinism, edge cases."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from generator import charts

REPO = Path(__file__).resolve().parent.parent
FONTS_DIR = REPO / "generator" / "fonts"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

BAR_ARGS = (
    ["收入", "支出"],
    [("2024年", [1555.91, 1313.50]), ("2023年", [1432.07, 1209.16])],
    [["1555.91", "1313.50"], ["1432.07", "1209.16"]],
)
PIE_ARGS = (
    ["社会保障和就业支出", "卫生健康支出", "住房保障支出", "一般公共服务支出"],
    [1256.5, 40.1, 15.0, 1.9],
    ["95.66%", "3.05%", "1.14%", "0.15%"],
)

# Renders the two reference charts in a fresh interpreter and reports their bytes.
SUBPROCESS_SCRIPT = """
import json, sys
from generator import charts
bar_args, pie_args = json.loads(sys.argv[1])
bar = charts.bar_chart(*bar_args)
pie = charts.pie_chart(*pie_args)
print(json.dumps({"bar": bar.hex(), "pie": pie.hex(),
                  "pyplot": "matplotlib.pyplot" in sys.modules}))
"""


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def png_dpi(data: bytes) -> int:
    """The resolution the PNG declares (pHYs chunk, pixels per metre) in dots per inch."""
    i = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    assert unit == 1 and x == y
    return round(x * 0.0254)


def ink_fraction(data: bytes) -> float:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(data), format="png")
    return float((pixels[..., :3].min(axis=-1) < 0.9).mean())


def render_in_subprocess(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLCONFIGDIR"] = str(tmp_path / "mplconfig")  # fresh font cache: no reliance on it
    env.pop("MPLBACKEND", None)
    out = subprocess.run(
        [sys.executable, "-c", SUBPROCESS_SCRIPT, json.dumps([BAR_ARGS, PIE_ARGS])],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_bar_chart_is_png_of_page_size():
    """bar_chart returns a PNG of 150 x 60 mm at 300 dpi (its printed size) with something drawn on it."""
    data = charts.bar_chart(*BAR_ARGS)
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == (1771, 708)
    assert png_dpi(data) == 300
    assert 5_000 < len(data) < 800_000
    assert 0.02 < ink_fraction(data) < 0.6


def test_pie_chart_is_png_of_page_size():
    """pie_chart returns a PNG of 150 x 60 mm at 300 dpi (its printed size) with something drawn on it."""
    data = charts.pie_chart(*PIE_ARGS)
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == (1771, 708)
    assert png_dpi(data) == 300
    assert 5_000 < len(data) < 800_000
    assert 0.05 < ink_fraction(data) < 0.8


def test_png_has_no_software_stamp():
    """The PNG carries no matplotlib version stamp (metadata Software dropped)."""
    assert b"matplotlib" not in charts.bar_chart(*BAR_ARGS)
    assert b"Software" not in charts.pie_chart(*PIE_ARGS)


def test_same_inputs_same_bytes_in_process():
    """Rendering the same chart twice in one process gives identical bytes."""
    assert charts.bar_chart(*BAR_ARGS) == charts.bar_chart(*BAR_ARGS)
    assert charts.pie_chart(*PIE_ARGS) == charts.pie_chart(*PIE_ARGS)


def test_same_inputs_same_bytes_across_processes(tmp_path):
    """A fresh interpreter with an empty matplotlib cache renders byte-identical PNGs."""
    first = render_in_subprocess(tmp_path)
    second = render_in_subprocess(tmp_path)
    assert first["bar"] == second["bar"]
    assert first["pie"] == second["pie"]
    assert bytes.fromhex(first["bar"]) == charts.bar_chart(*BAR_ARGS)
    assert bytes.fromhex(first["pie"]) == charts.pie_chart(*PIE_ARGS)


def test_pyplot_never_imported(tmp_path):
    """Rendering charts does not import matplotlib.pyplot."""
    assert render_in_subprocess(tmp_path)["pyplot"] is False


def test_chinese_labels_render_without_missing_glyph_warnings():
    """Chinese names, full-width punctuation, minus and % render with no warning at all."""
    labels = ["一般公共预算财政拨款（补助）支出", "“三公”经费—公务接待费…", "其他收入：−0.05％", "ABC·2024年"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.bar_chart(labels, [("2024年", [1.0, 2.0, 3.0, 4.0])], [["1.00", "2.00", "3.00", "4.00"]])
        charts.pie_chart(labels, [1.0, 2.0, 3.0, 4.0], ["10.00%", "20.00%", "30.00%", "40.00%"])


def test_missing_glyph_is_detected():
    """A character outside the font (堃, not in GB2312) warns and is listed by unsupported_characters."""
    assert charts.unsupported_characters(["张堃", "收入", "95.66%"]) == ["堃"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="missing from font"):
            charts.pie_chart(["张堃"], [1.0], ["100.00%"])


def test_font_family_resolves_to_bundled_file():
    """matplotlib's findfont for the chart family returns the file in generator/fonts."""
    from matplotlib import font_manager

    family = charts._font_family()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(path).resolve() == (FONTS_DIR / "NotoSansSC-Subset.otf").resolve()
    assert charts.FONT_PATH.resolve() == Path(path).resolve()


def test_font_covers_all_of_gb2312():
    """Every GB2312 character, the minus sign and full-width percent are in the bundled font."""
    from matplotlib import ft2font

    cmap = ft2font.FT2Font(str(charts.FONT_PATH)).get_charmap()
    gb2312 = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                gb2312.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(gb2312) == 7445
    missing = [c for c in sorted(gb2312 | set("−％%‰—…“”·")) if ord(c) not in cmap]
    assert missing == []


def test_font_is_small_and_licensed():
    """The bundled font is a few MB, OFL-licensed, documented, and no SimHei is shipped."""
    font = FONTS_DIR / "NotoSansSC-Subset.otf"
    assert font.stat().st_size < 5 * 1024 * 1024
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "tools/subset_font.py" in (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    assert not [p for p in FONTS_DIR.iterdir() if "simhei" in p.name.lower()]


def test_rendering_leaves_rcparams_unchanged():
    """A chart does not change matplotlib's global settings."""
    import matplotlib

    before = dict(matplotlib.rcParams)
    charts.bar_chart(*BAR_ARGS)
    charts.pie_chart(*PIE_ARGS)
    assert dict(matplotlib.rcParams) == before


def test_global_rcparams_do_not_change_output():
    """Settings changed by the calling program do not change the picture."""
    import matplotlib

    reference = charts.bar_chart(*BAR_ARGS)
    with matplotlib.rc_context({"font.size": 20, "lines.linewidth": 5, "axes.facecolor": "red"}):
        assert charts.bar_chart(*BAR_ARGS) == reference


def test_all_zero_bars_render():
    """A bar chart whose values are all zero renders (y axis 0 only, labels 0.00)."""
    data = charts.bar_chart(["收入", "支出"], [("2024年", [0, 0]), ("2023年", [0.0, 0.0])],
                            [["0.00", "0.00"], ["0.00", "0.00"]])
    assert png_size(data) == (1771, 708)


def test_single_category_and_many_categories_render():
    """One long category and eight crowded categories both render without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.bar_chart(["一般公共预算财政拨款支出"], [("2024年", [1313.5]), ("2023年", [1209.16])],
                         [["1313.50"], ["1209.16"]])
        names = ["一般公共服务支出", "教育支出", "社会保障和就业支出", "卫生健康支出",
                 "节能环保支出", "城乡社区支出", "农林水支出", "住房保障支出"]
        vals = [123.45, 12345.67, 1256.66, 88.1, 0.05, 3000.0, 450.5, 77.0]
        charts.bar_chart(names, [("2024年", vals), ("2023年", vals[::-1])],
                         [[f"{v:.2f}" for v in vals], [f"{v:.2f}" for v in vals[::-1]]])


def test_single_wedge_pie_renders():
    """A pie with one wedge (100.00%) renders."""
    data = charts.pie_chart(["一般公共预算财政拨款收入"], [1555.91], ["100.00%"])
    assert png_size(data) == (1771, 708)


def test_pie_with_zero_and_tiny_wedges_renders():
    """Zero and tiny wedges next to a huge one render without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.pie_chart(["财政拨款收入", "事业收入", "经营收入", "其他收入"], [1555.86, 0.0, 0.01, 0.05],
                         ["99.99%", "0.00%", "0.01%", "0.01%"])


def test_many_wedges_fall_back_to_legend():
    """Side labels are used for a few wedges and a legend when they cannot fit; both render."""
    assert charts._place_pie_labels([0.0, 3.0], ["甲 50.00%", "乙 50.00%"]) is not None
    n = 30
    names = [f"第{i}类支出项目名称比较长的情况" for i in range(n)]
    mids = [i * 2 * 3.14159 / n for i in range(n)]
    assert charts._place_pie_labels(mids, [charts._pie_label(s, "3.33%") for s in names]) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.pie_chart(names, [1.0] * n, ["3.33%"] * n)


def test_empty_pie_raises():
    """pie_chart with no wedges raises ValueError."""
    with pytest.raises(ValueError):
        charts.pie_chart([], [], [])


@pytest.mark.parametrize("values", [[5.0, -1.0], [0.0, 0.0], [float("nan"), 1.0], [float("inf"), 1.0]])
def test_bad_pie_values_raise(values):
    """A negative, non-finite or all-zero pie raises ValueError."""
    with pytest.raises(ValueError):
        charts.pie_chart(["甲", "乙"], values, ["50.00%", "50.00%"])


def test_mismatched_lengths_raise():
    """Inputs of inconsistent lengths raise ValueError instead of drawing something wrong."""
    with pytest.raises(ValueError):
        charts.pie_chart(["甲", "乙"], [1.0], ["100.00%"])
    with pytest.raises(ValueError):
        charts.bar_chart(["收入", "支出"], [("2024年", [1.0])], [["1.00"]])
    with pytest.raises(ValueError):
        charts.bar_chart(["收入"], [("2024年", [1.0])], [["1.00"], ["2.00"]])
    with pytest.raises(ValueError):
        charts.bar_chart([], [("2024年", [])], [[]])


def test_long_labels_wrap_in_balanced_lines():
    """Long labels wrap at about 10 characters in even lines, never starting with punctuation."""
    assert charts.wrap_label("一般公共预算财政拨款支出") == "一般公共预算\n财政拨款支出"
    assert charts.wrap_label("社会保障和就业支出") == "社会保障和就业支出"
    wrapped = charts.wrap_label("这是，一个很长的名称，用于测试标点符号。")
    assert all(line and line[0] not in "，。" for line in wrapped.split("\n"))
    assert charts.wrap_label("ABC公司2024年度项目经费支出").startswith("ABC公司2024")


def test_dollar_sign_is_text_not_math():
    """A "$" in a label is printed literally (mathtext is off), not parsed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.bar_chart(["$收入$", "支出"], [("2024年", [1.0, 2.0])], [["$1", "2.00"]])


@pytest.mark.parametrize("scale", [1, 10_000_000])
def test_every_bar_label_inside_the_picture_and_apart(scale):
    """Value labels never touch each other ("1130.00 1155.00"), sit on a white ground over the
    gridlines, and every text (value labels, ticks, legend) is inside the picture, whatever the
    magnitude (amounts ×1e7 included)."""
    from generator import charts

    vals = [[1130.0 * scale, 1130.0 * scale], [1155.0 * scale, 1155.0 * scale]]
    labels = [[f"{v:.2f}" for v in row] for row in vals]
    with charts._style():
        fig = charts._bar_figure(["收入", "支出"], [("2024年", vals[0]), ("2023年", vals[1])], vals, labels)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        picture = fig.bbox
        ax = fig.axes[0]
        texts = [t for t in ax.texts] + ax.get_yticklabels() + ax.get_xticklabels() + fig.legends[0].get_texts()
        for t in texts:
            if not t.get_text():
                continue
            box = t.get_window_extent(renderer)
            assert box.x0 >= picture.x0 - 0.5 and box.x1 <= picture.x1 + 0.5, t.get_text()
            assert box.y0 >= picture.y0 - 0.5 and box.y1 <= picture.y1 + 0.5, t.get_text()
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        for i, a in enumerate(boxes):
            assert a.y1 <= ax.bbox.y1  # inside the axes, below the legend
            for b in boxes[i + 1:]:
                assert a.x1 + 2 <= b.x0 or b.x1 + 2 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
        assert all(t.get_bbox_patch() and t.get_bbox_patch().get_facecolor()[:3] == (1, 1, 1) for t in ax.texts)


def test_pie_labels_never_break_a_word():
    """A budget word stays whole when a label wraps: not "国有资本经营预 / 算"."""
    from generator.charts import _pie_label, wrap_label

    for name in ("国有资本经营预算财政拨款收入", "政府性基金预算财政拨款收入", "一般公共预算财政拨款支出"):
        for text in (wrap_label(name), _pie_label(name, "12.34%")):
            first = text.split("\n")[0]
            assert first.endswith("预算"), text

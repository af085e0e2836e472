"""Charts for the report: grouped bar charts and pie charts as PNG bytes.

matplotlib is used only through ``matplotlib.figure.Figure`` with the Agg canvas (never
pyplot, which keeps figures alive). The only font is the Noto Sans SC subset bundled in
``generator/fonts/`` (OFL-1.1, see fonts/README.md): it is registered once per process and
selected by its own family name, so no system font is ever consulted. Settings are applied
for each chart only (``rc_context`` over matplotlib's defaults), so neither a matplotlibrc
on the machine nor the calling program's settings change the pictures, and rendering
leaves no global state behind.

The pictures carry no title and no unit (the report prints both); every number printed is a
string the caller formatted. Same inputs, same matplotlib and font give byte-identical PNGs.

Not thread-safe (matplotlib's rcParams are global): run charts from one thread per process.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Subset.otf"

# 150 x 60 mm, placed at exactly that size on the page, so a font size here is the printed
# size: nothing below 五号 (10.5 pt), the smallest size 公文 practice prints.
FIGSIZE = (150 / 25.4, 60 / 25.4)  # inches
DPI = 300
# zlib level 1: at 300 dpi half the time of the default 6 and 15% less than 3, files ~3% larger than at 3
PNG_COMPRESS_LEVEL = 1
TEXT_PT = 10.5

# Sober palette: muted blue and orange first (two-year comparisons), then quiet tones.
PALETTE = (
    "#3E6A9A",  # blue
    "#D98C3F",  # orange
    "#8AA9CC",  # light blue
    "#6E9E8E",  # sage
    "#E3B97E",  # sand
    "#8C8C8C",  # grey
    "#5B6F86",  # slate
    "#B86F63",  # brick
    "#9A9A5E",  # olive
    "#8A7AA6",  # lavender
)
TEXT_COLOR = "#333333"
GRID_COLOR = "#D9D9D9"
AXIS_COLOR = "#8C8C8C"

WRAP_CHARS = 10  # a label line holds about this many Chinese characters

_setup_lock = threading.Lock()
_family: str | None = None


def _font_family() -> str:
    """Register the bundled font with matplotlib (once per process) and return its family."""
    global _family
    if _family is None:
        with _setup_lock:
            if _family is None:
                from matplotlib import font_manager

                if not FONT_PATH.is_file():
                    raise FileNotFoundError(f"bundled chart font missing: {FONT_PATH}")
                font_manager.fontManager.addfont(str(FONT_PATH))
                _family = font_manager.FontProperties(fname=str(FONT_PATH)).get_name()
    return _family


def _rc() -> dict[str, Any]:
    family = _font_family()
    return {
        "font.family": [family],
        "font.sans-serif": [family],
        "font.size": TEXT_PT,
        "text.color": TEXT_COLOR,
        "text.parse_math": False,  # a "$" in a name is text, not mathtext
        "axes.unicode_minus": True,  # U+2212 is in the subset
        "axes.edgecolor": AXIS_COLOR,
        "axes.labelcolor": TEXT_COLOR,
        "xtick.color": TEXT_COLOR,
        "ytick.color": TEXT_COLOR,
        "axes.formatter.use_locale": False,
    }


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """matplotlib's default settings plus ours, restored afterwards.

    Starting from the defaults makes the picture independent of a matplotlibrc on the
    machine and of whatever the calling program set globally.
    """
    import matplotlib

    rc = _rc()
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(rc)
        yield


@functools.cache
def _charmap() -> frozenset[int]:
    from matplotlib import ft2font

    return frozenset(ft2font.FT2Font(str(FONT_PATH)).get_charmap())


def unsupported_characters(texts: Iterable[str]) -> list[str]:
    """Characters of ``texts`` that the bundled font cannot draw (they would print as boxes).

    The font covers ASCII, Latin-1, Chinese punctuation, full-width forms and all of GB2312;
    a rare character outside GB2312 (e.g. some given names) is reported here so the caller
    can warn about it before rendering.
    """
    cmap = _charmap()
    seen: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if ch in "\n\r\t" or ord(ch) in cmap:
                continue
            seen.setdefault(ch, None)
    return list(seen)


# --------------------------------------------------------------------------- text wrapping

@functools.cache
def _token() -> re.Pattern:
    """Label tokens: a budget word (data/label_words.txt, never broken: not "国有资本经营预 / 算"),
    an ASCII run, a space, or one character."""
    text = (Path(__file__).resolve().parent / "data" / "label_words.txt").read_text("utf-8")
    words = sorted({w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) + r"""|[A-Za-z0-9.,:;%+\-_/()'"]+|\s+|.""", re.S)
# Characters that must not begin a line (they stay with the previous one).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’%％·…—,.;:?!)]}")


def _char_width(ch: str) -> float:
    if ord(ch) > 0xFF and unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    return 0.55  # Latin letters and digits of Noto Sans are about 0.55 em


def _text_width(text: str) -> float:
    """Width in 'Chinese characters' (an ASCII character counts half)."""
    return sum(_char_width(c) for c in text)


def _greedy_lines(para: str, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for tok in _token().findall(para):
        if tok.isspace():
            if cur:
                cur += " "
            continue
        pieces = list(tok) if _text_width(tok) > width else [tok]  # split a very long ASCII run
        for piece in pieces:
            if cur and _text_width(cur) + _text_width(piece) > width:
                if piece[0] in _NO_LINE_START:
                    cur += piece  # keep it with the previous line (slight overflow)
                    continue
                lines.append(cur.rstrip())
                cur = piece
            else:
                cur += piece
    if cur.strip() or not lines:
        lines.append(cur.rstrip())
    return lines


def wrap_label(text: str, width: float = WRAP_CHARS) -> str:
    """Wrap a label at about ``width`` Chinese characters, in lines of balanced length.

    ASCII words stay whole, lines never begin with closing punctuation, explicit newlines
    are kept. "一般公共预算财政拨款支出" at 10 gives "一般公共预算\n财政拨款支出", not a lone
    "支出" on the second line.
    """
    out: list[str] = []
    for para in str(text).split("\n"):
        lines = _greedy_lines(para, width)
        if len(lines) > 1:  # narrowest width that still needs the same number of lines and breaks no word
            longest = max((_text_width(t) for t in _token().findall(para) if _text_width(t) <= width), default=1)
            w = width
            while w - 0.5 >= longest and len(_greedy_lines(para, w - 0.5)) == len(lines):
                w -= 0.5
            lines = _greedy_lines(para, w)
        out.extend(lines)
    return "\n".join(out)


# --------------------------------------------------------------------------- helpers


def _new_figure(**kwargs: Any):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, dpi=DPI, **kwargs)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white",
                pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buf.getvalue()


def _check_number(value: float, where: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: not a number: {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{where}: not a finite number: {value!r}")
    return v


# --------------------------------------------------------------------------- bar chart


def _label_pt(text: str, size: float = TEXT_PT) -> float:
    """Printed width of a one-line label in points (digits and Latin about 0.56 em)."""
    return max((_text_width(line) for line in str(text).split("\n")), default=0.0) * size * 1.02


def bar_chart(
    categories: list[str],
    series: list[tuple[str, list[float]]],
    value_labels: list[list[str]],
) -> bytes:
    """Grouped vertical bar chart, PNG bytes.

    categories: x labels (e.g. ["收入", "支出"]); long ones are wrapped at about 10 characters.
    series: (legend name e.g. "2024年", values) one per group, values >= 0 expected.
    value_labels[i][j]: the text printed on top of bar j of series i (caller-formatted).
    Legend shown; no title and no unit inside the picture. The y axis starts at 0.
    """
    if not categories:
        raise ValueError("bar_chart: no categories")
    if not series:
        raise ValueError("bar_chart: no series")
    if len(value_labels) != len(series):
        raise ValueError(f"bar_chart: {len(series)} series but {len(value_labels)} label rows")
    n, m = len(categories), len(series)
    values: list[list[float]] = []
    for i, (name, vals) in enumerate(series):
        if len(vals) != n:
            raise ValueError(f"bar_chart: series {name!r} has {len(vals)} values for {n} categories")
        if len(value_labels[i]) != n:
            raise ValueError(f"bar_chart: series {name!r} has {len(value_labels[i])} labels for {n} categories")
        values.append([_check_number(v, f"bar_chart: series {name!r}") for v in vals])

    with _style():
        return _png(_bar_figure(categories, series, values, value_labels))


def _bar_figure(categories, series, values, value_labels):
    """The bar chart's figure (inside `_style()`); separate so a test can measure where its texts are."""
    from matplotlib.ticker import MaxNLocator, ScalarFormatter

    n, m = len(categories), len(series)
    # Fixed margins: the constrained layout engine costs about half of a bar chart's time,
    # and these charts always have the same parts (legend on top, at most two label lines).
    fig = _new_figure()
    fig.subplots_adjust(left=0.1, right=0.99, top=0.84, bottom=0.2)
    ax = fig.add_subplot()

    # Geometry: a group takes 70% of its slot; a lone bar is not allowed to get fat.
    group = 0.7
    width = min(group / m, 0.4)
    offsets = [(j - (m - 1) / 2) * width for j in range(m)]

    # Axes width in points (approx.), to size value labels and wrap category labels.
    axes_pt = FIGSIZE[0] * 72 - 60
    slots = max(n, 3)
    slot_pt = axes_pt / slots
    # value labels stand upright above their bars when two neighbours would come closer than
    # 3 pt side by side (bars of one group sit `width` slots apart, groups further)
    label_pt = [[_label_pt(s) for s in row] for row in value_labels]
    pitch = slot_pt * width
    rotate = any((label_pt[i][k] + label_pt[i + 1][k]) / 2 + 3 > pitch for i in range(m - 1) for k in range(n)) \
        or any(w + 3 > slot_pt * (1 - group + width) for row in label_pt for w in row) \
        or any((label_pt[-1][k] + label_pt[0][k + 1]) / 2 + 3 > slot_pt * (1 - group + width)
               for k in range(n - 1))
    value_fs = TEXT_PT
    tick_fs = TEXT_PT
    wrap_at = max(4.0, min(WRAP_CHARS, math.floor(slot_pt * 0.92 / tick_fs)))

    xs = list(range(n))
    for i, ((name, _), vals) in enumerate(zip(series, values)):
        bars = ax.bar(
            [x + offsets[i] for x in xs],
            vals,
            width=width * 0.92,
            color=PALETTE[i % len(PALETTE)],
            label=wrap_label(name, 12),
            zorder=2,
        )
        for text in ax.bar_label(
            bars,
            labels=[str(s) for s in value_labels[i]],
            padding=3,
            fontsize=value_fs,
            rotation=90 if rotate else 0,
            color=TEXT_COLOR,
        ):  # clear of the gridlines behind it
            text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.8})
            text.set_zorder(4)

    ax.set_xticks(xs, [wrap_label(c, wrap_at) for c in categories], fontsize=tick_fs)
    for tick_label in ax.get_xticklabels():
        tick_label.set_linespacing(1.35)
    ax.tick_params(axis="x", length=0, pad=4)
    ax.tick_params(axis="y", labelsize=TEXT_PT, color=AXIS_COLOR, length=3)
    pad = max(0.0, (3 - n) / 2)  # one or two categories: keep bars slim and centred
    ax.set_xlim(-0.5 - pad, n - 0.5 + pad)

    top = max((v for vals in values for v in vals), default=0.0)
    if top <= 0:
        ax.set_ylim(0, 1)
        ax.set_yticks([0])
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))
        # every value label inside the axes, below the legend, whatever its length: a bar of
        # height v needs v + label ≤ 97% of the axis, the label taking its share of the height
        axes_h = FIGSIZE[1] * 72 * (0.84 - 0.2)
        need = 1.15
        for i in range(m):
            for k in range(n):
                extent = (label_pt[i][k] if rotate else TEXT_PT * 1.2) + 6
                share = 0.97 - extent / axes_h
                need = max(need, values[i][k] / top / max(share, 0.15))
        ax.set_ylim(0, top * need)
    fmt = ScalarFormatter(useOffset=False)
    fmt.set_scientific(False)
    ax.yaxis.set_major_formatter(fmt)
    # the tick labels of a large amount ("12000000000") inside the picture on the left
    locs = [v for v in ax.yaxis.get_major_locator()() if v >= 0]
    tick_pt = max((_label_pt(t) for t in fmt.format_ticks(locs)), default=0.0) if locs else 0.0
    fig.subplots_adjust(left=max(0.1, (tick_pt + 12) / (FIGSIZE[0] * 72)))

    ax.yaxis.grid(True, color=GRID_COLOR, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(AXIS_COLOR)
    ax.spines["bottom"].set_color(AXIS_COLOR)

    fig.legend(
        loc="outside upper center",
        ncols=min(m, 6),
        frameon=False,
        fontsize=TEXT_PT,
        handlelength=1.2,
        handleheight=0.9,
        columnspacing=1.8,
    )
    return fig


# --------------------------------------------------------------------------- pie chart

_PIE_FS = TEXT_PT  # label font size, points
_LINE_SPACING = 1.25
_PIE_YLIM = 1.30  # data units above/below the centre (radius 1)
_LABEL_X = 1.30  # label column, data units from the centre
_MAX_LABEL_WIDTH = 11.0  # label width budget, in Chinese characters
_ELBOW = 1.07  # leader lines bend at this radius


def _pie_label(name: str, pct: str, wrap: float = WRAP_CHARS, budget: float = _MAX_LABEL_WIDTH) -> str:
    """"name percent", wrapped; the percent goes on its own line when it does not fit."""
    text = wrap_label(name, wrap)
    last = text.rsplit("\n", 1)[-1]
    if _text_width(last) + 0.5 + _text_width(pct) <= budget:
        return f"{text} {pct}"
    return f"{text}\n{pct}"


def _spread(desired: list[float], heights: list[float], low: float, high: float, gap: float):
    """Move label centres (sorted top to bottom) apart so boxes do not overlap.

    Returns the new centres, or None when they cannot fit between low and high.
    """
    k = len(desired)
    if sum(heights) + gap * (k - 1) > high - low:
        return None
    y = list(desired)
    y[0] = min(y[0], high - heights[0] / 2)
    for i in range(1, k):
        y[i] = min(y[i], y[i - 1] - (heights[i - 1] + heights[i]) / 2 - gap)
    if y[-1] - heights[-1] / 2 < low:
        y[-1] = low + heights[-1] / 2
        for i in range(k - 2, -1, -1):
            y[i] = max(y[i], y[i + 1] + (heights[i] + heights[i + 1]) / 2 + gap)
    if y[0] + heights[0] / 2 > high + 1e-9:
        return None
    return y


def _segment_distance(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Distance from the origin (the pie's centre) to the segment p-q."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(p[0] * dx + p[1] * dy) / length2))
    return math.hypot(p[0] + t * dx, p[1] + t * dy)


def _place_pie_labels(mids: list[float], texts: list[str]) -> dict[int, float] | None:
    """Vertical centres of the side labels (data units, radius 1), or None for "use a legend".

    Labels go in a column on the side of their wedge, spread apart so none overlap; the
    layout is refused when a column overflows the picture or a leader line would have to
    cross the pie.
    """
    unit_pt = FIGSIZE[1] * 72 / (2 * _PIE_YLIM)  # points per data unit (axes fill the figure)
    heights = [(t.count("\n") + 1) * _PIE_FS * _LINE_SPACING / unit_pt for t in texts]
    gap = 2.5 / unit_pt
    placed: dict[int, float] = {}
    for right in (True, False):
        idx = [i for i in range(len(mids)) if (math.cos(mids[i]) >= -1e-9) == right]
        if not idx:
            continue
        idx.sort(key=lambda i: -math.sin(mids[i]))
        desired = [1.15 * math.sin(mids[i]) for i in idx]
        ys = _spread(desired, [heights[i] for i in idx], -_PIE_YLIM + 0.04, _PIE_YLIM - 0.04, gap)
        if ys is None:
            return None
        sign = 1 if right else -1
        for i, y in zip(idx, ys):
            elbow = (_ELBOW * math.cos(mids[i]), _ELBOW * math.sin(mids[i]))
            if _segment_distance(elbow, (sign * (_LABEL_X - 0.06), y)) < 1.02:
                return None
            placed[i] = y
    return placed


def pie_chart(labels: list[str], values: list[float], percent_labels: list[str]) -> bytes:
    """Pie chart, PNG bytes.

    Each wedge is labelled "name percent" beside the pie with a leader line; labels are spread
    so they never overlap. When there are too many to fit, a legend of "name percent"
    entries is used instead. Values only size the wedges; the printed numbers are exactly
    ``percent_labels``. Wedges run clockwise in the given order, rotated so the largest one
    sits on the left and the small ones on the right, where labels have room.

    Raises ValueError for no wedges, mismatched lengths, a negative or non-finite value,
    or values that add up to zero.
    """
    if not labels:
        raise ValueError("pie_chart: no wedges")
    if not (len(labels) == len(values) == len(percent_labels)):
        raise ValueError(
            f"pie_chart: {len(labels)} labels, {len(values)} values, {len(percent_labels)} percent labels"
        )
    vals = [_check_number(v, f"pie_chart: {name!r}") for name, v in zip(labels, values)]
    for name, v in zip(labels, vals):
        if v < 0:
            raise ValueError(f"pie_chart: negative value for {name!r}: {v}")
    total = sum(vals)
    if total <= 0:
        raise ValueError("pie_chart: values add up to zero")

    # Clockwise from the start angle; the largest wedge is centred at 180 degrees (left).
    big = max(range(len(vals)), key=lambda i: vals[i])
    before = sum(vals[:big]) / total * 360
    start = 180 + before + vals[big] / total * 180
    mids = []
    acc = 0.0
    for v in vals:
        mids.append(math.radians(start - (acc + v / 2) / total * 360))
        acc += v

    texts = [_pie_label(str(n), str(p)) for n, p in zip(labels, percent_labels)]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(vals))]
    if len(vals) > len(PALETTE) and (len(vals) - 1) % len(PALETTE) == 0:
        colors[-1] = PALETTE[1]  # last wedge touches the first: avoid the same colour

    placed = _place_pie_labels(mids, texts)
    with _style():
        fig = _new_figure()

        if placed is not None:
            ax = fig.add_axes((0, 0, 1, 1))  # pie in the middle, label columns either side
        else:
            ax = fig.add_axes((0.02, 0.04, 0.4, 0.92))  # pie on the left, legend on the right
        wedges, *_ = ax.pie(
            vals,
            colors=colors,
            startangle=start,
            counterclock=False,
            radius=1.0,
            wedgeprops={"edgecolor": "white", "linewidth": 0.8},
            normalize=True,
        )
        # pie() sets its own limits: set ours afterwards (the label layout depends on them).
        if placed is not None:
            half_w = _PIE_YLIM * FIGSIZE[0] / FIGSIZE[1]
            ax.set_xlim(-half_w, half_w)
            ax.set_ylim(-_PIE_YLIM, _PIE_YLIM)
        else:
            ax.set_xlim(-1.06, 1.06)
            ax.set_ylim(-1.06, 1.06)
        ax.set_aspect("equal", adjustable="box")
        ax.axis("off")

        if placed is not None:
            for i, theta in enumerate(mids):
                c, s = math.cos(theta), math.sin(theta)
                right = c >= -1e-9
                sign = 1 if right else -1
                y = placed[i]
                x_text = sign * _LABEL_X
                elbow = (_ELBOW * c, _ELBOW * s)
                ax.plot(
                    [0.98 * c, elbow[0], x_text - sign * 0.06, x_text - sign * 0.02],
                    [0.98 * s, elbow[1], y, y],
                    color=AXIS_COLOR,
                    linewidth=0.6,
                    solid_capstyle="butt",
                    zorder=3,
                )
                ax.text(
                    x_text,
                    y,
                    texts[i],
                    ha="left" if right else "right",
                    va="center",
                    fontsize=_PIE_FS,
                    linespacing=_LINE_SPACING,
                    zorder=4,
                )
        else:
            # Legend column: about 200 pt wide in one column, half that in two.
            two_cols = len(vals) > 7
            wrap = 8 if two_cols else 16
            legend_texts = [
                _pie_label(str(n), str(p), wrap, wrap + 1) for n, p in zip(labels, percent_labels)
            ]
            fig.legend(
                wedges,
                legend_texts,
                loc="center left",
                bbox_to_anchor=(0.43, 0.5),
                frameon=False,
                fontsize=TEXT_PT,
                ncols=2 if two_cols else 1,
                handlelength=1.0,
                handleheight=0.9,
                labelspacing=0.3,
            )
        return _png(fig)

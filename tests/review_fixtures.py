"""Rebuild the two reference 决算说明 of /work/shared/reference/ as the .docx their units published.

The text files hold the published words, one paragraph per line (table cells of the 附件 one per
line, tab-indented); the 2024 report's last lines are the data behind its charts, which the
published .docx holds as Word charts. `build(txt, out)` writes the paragraphs in order and puts
each chart (a real chart part with its data cache, as Word saves it) just before its caption, so
the review reads them as it reads a published report.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from docx import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

REFERENCE = Path("/work/shared/reference")
REPORT_2024 = REFERENCE / "四川-安居区社保局-2024年度单位决算说明.txt"
REPORT_2020 = REFERENCE / "四川-雁江区社保局-2020年度部门决算说明.txt"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"

# The chart data printed at the end of the 2024 reference (its last lines), figure by figure.
CHARTS_2024 = {
    1: ("bar", ["2024年", "2023年"], [("收入", [1313.5, 1727.58]), ("支出", [1313.5, 1727.58])]),
    2: ("pie", ["一般公共预算财政拨款收入"], [("列1", [1.0])]),
    3: ("pie", ["基本支出", "项目支出"], [("列1", [0.902372104330914, 0.0976278956690862])]),
    4: ("bar", ["2024年", "2023年"], [("收入", [1313.5, 1727.58]), ("支出", [1313.5, 1727.58])]),
    5: ("bar", ["2024年", "2023年"], [("一般公共预算财政拨款支出", [1313.5, 1727.58])]),
    6: ("pie", ["社会保障和就业", "卫生健康支出", "住房保障支出"],
        [("列1", [0.95657403882756, 0.0155843167110773, 0.0278416444613628])]),
}


def _chart_xml(kind: str, categories: list[str], series: list[tuple[str, list[float]]]) -> bytes:
    sers = []
    for i, (name, values) in enumerate(series):
        cats = "".join(f'<c:pt idx="{j}"><c:v>{c}</c:v></c:pt>' for j, c in enumerate(categories))
        vals = "".join(f'<c:pt idx="{j}"><c:v>{v}</c:v></c:pt>' for j, v in enumerate(values))
        sers.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'<c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache><c:ptCount val="{len(categories)}"/>{cats}</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{len(values)}"/>'
            f'{vals}</c:numCache></c:numRef></c:val></c:ser>')
    if kind == "pie":
        plot = f'<c:pieChart><c:varyColors val="1"/>{"".join(sers)}</c:pieChart>'
    else:
        plot = (f'<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>{"".join(sers)}'
                '<c:axId val="1"/><c:axId val="2"/></c:barChart>'
                '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
                '<c:axPos val="b"/><c:crossAx val="2"/></c:catAx>'
                '<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
                '<c:axPos val="l"/><c:crossAx val="1"/></c:valAx>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>{plot}</c:plotArea>'
            '<c:plotVisOnly val="1"/></c:chart></c:chartSpace>').encode("utf-8")


def _add_chart(doc, number: int, kind: str, categories, series) -> None:
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CHART_TYPE, _chart_xml(kind, categories, series),
                doc.part.package)
    rid = doc.part.relate_to(part, CHART_REL)
    run = doc.add_paragraph().add_run()
    run._r.append(parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline><wp:extent cx="4572000" cy="2743200"/><wp:docPr id="{100 + number}" name="图表 {number}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>'))


def build(txt: Path, out: Path, charts: dict | None = None) -> Path:
    """The reference report `txt` as a .docx at `out` (its chart data, when given, as Word charts)."""
    lines = txt.read_text("utf-8").splitlines()
    if charts:  # the chart data lines at the end are not report text
        last = max(i for i, l in enumerate(lines) if re.match(r"^\s*13、", l))
        lines = lines[:last + 1]
    doc = Document()
    for line in lines:
        text = line.strip()
        if not text:
            continue
        m = re.match(r"^[（(]图(\d+)[：:]", text)
        if charts and m and int(m.group(1)) in charts:
            _add_chart(doc, int(m.group(1)), *charts[int(m.group(1))])
        doc.add_paragraph(text)
    doc.save(str(out))
    return out


def to_pdf(docx: Path) -> Path | None:
    """The .docx converted by LibreOffice (None where it is not installed)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = docx.with_suffix(".pdf")
    return pdf if pdf.exists() else None

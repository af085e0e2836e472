"""Read a 决算说明 as published (.docx or .pdf): its paragraphs, its 附表 and the data of its charts.

Why: the review (review.py) checks what a reader of the published report sees, so it reads the
file itself, not the workbook behind it. A report comes from outside, often written by hand, so
the file is bounded before any parser builds it in memory (like safety.py does for workbooks):
zip parts and their sizes for a .docx, pages and a separate, memory- and time-limited process
for a .pdf. Every failure is one Chinese sentence (ReportError).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GeneratorError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024  # one part of a .docx, unpacked (an image)
MAX_XML_BYTES = 16 * 1024 * 1024  # one XML part, unpacked: a 40-page report's document.xml is under 1 MB
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts of a .docx, unpacked (images included)
MAX_PARTS = 3000
MAX_PAGES = 300  # a 决算说明 with every 附件 has well under 150 pages
MAX_PDF_SECONDS = 120
MAX_PDF_MEMORY = 1536 * 1024 * 1024
MAX_PARAGRAPHS = 50_000  # in the body and its tables' cells

PARAGRAPH = re.compile(rb"<w:p[\s>/]")
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


class ReportError(GeneratorError):
    """The file cannot be read as a 决算说明."""


@dataclass
class Para:
    index: int  # position among the report's paragraphs (0-based; the .docx body paragraph for marking)
    text: str
    where: str  # "第12段" or "第3页"
    section: str = ""  # the nearest headings above it, "二、… / （一）…"
    part: str = ""  # the 第X部分 it is in (or "")


@dataclass
class PrintedTable:
    title: str  # "附表3　支出决算表" as printed ("" when none precedes it)
    rows: list[list[str]]
    where: str
    para: int  # index of the paragraph before it (its title), for marking


@dataclass
class Chart:
    caption: str  # the "（图3：…）" paragraph nearest to it
    kind: str  # pie / bar / line / …
    categories: list[str]
    series: list[tuple[str, list[float]]]
    where: str


@dataclass
class ReportText:
    name: str
    kind: str  # docx / pdf
    paras: list[Para]
    tables: list[PrintedTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    year: int | None = None
    pages: int = 0


def _where_docx(i: int) -> str:
    return f"第{i + 1}段"


HEADING = re.compile(r"^(第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))")


def is_heading(text: str) -> bool:
    """A short numbered line without a full stop: a heading of the report's outline."""
    t = text.strip()
    return bool(HEADING.match(t)) and len(t) <= 40 and "。" not in t and not re.search(r"\d+(\.\d+)?万元", t)


def _sections(paras: list[Para]) -> None:
    """Give each paragraph the headings above it (part, then numbered levels)."""
    part, stack = "", []  # stack of (level, text)
    for p in paras:
        t = p.text.strip()
        if is_heading(t):
            m = HEADING.match(t)
            mark = m.group(1)
            # "四、" and a mixed-in "5、" are one level; "（一）" and "（1）" the next; "1." list items the last
            level = 0 if mark.startswith("第") else 1 if "、" in mark else 2 if mark[0] in "（(" else 3
            if level == 0:
                part, stack = t, []
            else:
                stack = [s for s in stack if s[0] < level] + [(level, t)]
        p.part = part
        p.section = " / ".join(s[1] for s in stack)


def report_year(paras: list[Para]) -> int | None:
    """The year the report is about: the first "YYYY年度…决算" in the title lines, else the commonest "YYYY年度"."""
    for p in paras[:12]:
        m = re.search(r"(20\d\d)\s*年度?.{0,12}决算", p.text)
        if m:
            return int(m.group(1))
    counts: dict[int, int] = {}
    for p in paras:
        for m in re.finditer(r"(20\d\d)年度", p.text):
            counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


# ---------------------------------------------------------------- .docx


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReportError(f"“{name}”无法作为 Word 文档打开（文件已损坏）") from exc
    if len(infos) > MAX_PARTS:
        raise ReportError(f"“{name}”包含 {len(infos)} 个部件，超过了 {MAX_PARTS} 个的上限，不像一份决算说明")
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise ReportError(f"“{name}”中的“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，"
                              f"超过了 {MAX_PART_BYTES // 1024 // 1024} MB 的上限，不像一份决算说明")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ReportError(f"“{name}”解压后共 {total // 1024 // 1024} MB，超过了 {MAX_TOTAL_BYTES // 1024 // 1024} MB 的上限，"
                          "不像一份决算说明")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ReportError(f"“{name}”不是 Word 文档（.docx）")
    for info in infos:
        if info.filename.lower().endswith(".xml") and info.file_size > MAX_XML_BYTES:
            raise ReportError(f"“{name}”中的“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，"
                              f"超过了 {MAX_XML_BYTES // 1024 // 1024} MB 的上限，不像一份决算说明")
    try:  # paragraphs counted while streaming, before python-docx builds them all in memory
        paragraphs = _count_paragraphs(archive, archive.getinfo("word/document.xml"))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error) as exc:
        raise ReportError(f"“{name}”无法作为 Word 文档打开（文件已损坏或已加密）") from exc
    if paragraphs > MAX_PARAGRAPHS:
        raise ReportError(f"“{name}”超过 {MAX_PARAGRAPHS} 段，不像一份决算说明")
    return archive


def _count_paragraphs(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Paragraph tags in the part, streaming, up to just past the limit (a hostile part costs no more)."""
    n, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"<")  # tags before the last "<" are whole; the rest waits for the next chunk
            cut = cut if cut > 0 else len(data)
            n += len(PARAGRAPH.findall(data, 0, cut))
            tail = data[cut:]
            if n > MAX_PARAGRAPHS:
                return n
    return n + len(PARAGRAPH.findall(tail))


def _chart_data(xml: bytes) -> tuple[str, list[str], list[tuple[str, list[float]]]]:
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    ns = {"c": C}
    plot = root.find(".//c:plotArea", ns)
    kind = "chart"
    if plot is not None:
        for el in plot:
            tag = etree.QName(el).localname
            if tag.endswith("Chart"):
                kind = tag[:-5].lower()
                break
    categories: list[str] = []
    series = []
    for ser in root.iterfind(".//c:ser", ns):
        name = "".join(ser.xpath("./c:tx//c:v/text()", namespaces=ns))
        cats = ser.xpath("./c:cat//c:pt/c:v/text()", namespaces=ns)
        if cats and not categories:
            categories = [str(c) for c in cats]
        vals = []
        for v in ser.xpath("./c:val//c:pt/c:v/text()", namespaces=ns):
            try:
                vals.append(float(v))
            except ValueError:
                vals.append(float("nan"))
        series.append((str(name), vals))
    return kind, categories, series


def read_docx(data: bytes, name: str) -> ReportText:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    archive = _check_zip(data, name)
    archive.close()
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx on a damaged part: XML syntax, missing part …
        raise ReportError(f"“{name}”无法作为 Word 文档打开（文件已损坏或不是 .docx）") from exc
    paras: list[Para] = []
    tables: list[PrintedTable] = []
    charts: list[Chart] = []
    pending: list[tuple[str, list[str], list]] = []  # charts waiting for their caption
    last_title = ""
    chart_parts = {rel.rId: rel.target_part for rel in doc.part.rels.values() if rel.reltype == CHART_REL}
    body_index = 0
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            if body_index >= MAX_PARAGRAPHS:
                raise ReportError(f"“{name}”超过 {MAX_PARAGRAPHS} 段，不像一份决算说明")
            text = Paragraph(el, doc).text
            for rid in el.xpath(".//c:chart/@r:id"):
                part = chart_parts.get(rid)
                if part is not None:
                    try:
                        pending.append(_chart_data(part.blob))
                    except Exception:  # a chart we cannot read: its data is not checked
                        pass
            para = Para(body_index, text, _where_docx(body_index))
            paras.append(para)
            body_index += 1
            stripped = text.strip()
            if re.match(r"^附表\d+", stripped) or re.search(r"(决算表|决算总表)\s*$", stripped):
                last_title = stripped
            if pending and re.match(r"^[（(]?图\s*\d+", stripped):
                for kind, cats, series in pending:
                    charts.append(Chart(stripped, kind, cats, series, para.where))
                pending = []
        elif tag == "tbl":
            rows = []
            for row in Table(el, doc).rows:
                cells = []
                for c in row.cells:
                    t = c.text.strip()
                    cells.append(t)
                rows.append(cells)
            where = f"{last_title or '表格'}（{_where_docx(max(body_index - 1, 0))}之后）"
            tables.append(PrintedTable(last_title, rows, where, max(body_index - 1, 0)))
            last_title = ""
    for kind, cats, series in pending:  # a chart without a caption after it
        charts.append(Chart("", kind, cats, series, "文末"))
    _sections(paras)
    return ReportText(name, "docx", paras, tables, charts, report_year(paras))


# ---------------------------------------------------------------- .pdf


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MAX_PDF_MEMORY, MAX_PDF_MEMORY))
    except (ImportError, ValueError, OSError):  # not on Linux: the time limit still holds
        pass


SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f])[ \t]+|[ \t]+(?=[^\x00-\x7f])")


def _join_lines(lines: list[dict]) -> list[str]:
    """Lines of a PDF page as paragraphs: a line that reaches the right margin runs on into the next;
    a shorter one (or one ending a sentence) ends its paragraph. Spaces beside Chinese characters are
    the PDF's spacing, not the report's text."""
    if not lines:
        return []
    margin = max(l["x1"] for l in lines)
    out: list[str] = []
    current = ""
    for line in lines:
        text = SPACE_BY_CJK.sub("", line["text"]).strip()
        if not text or re.fullmatch(r"[—\-－\s\d]+", text):  # a page number
            continue
        size = max(line.get("bottom", 0) - line.get("top", 0), 8)
        current += text
        short_by = margin - line["x1"]
        ends = text.endswith(("。", "：", ":", "）", ")")) or is_heading(current)
        if short_by > 6 * size or (ends and short_by > 1.5 * size):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _pdf_pages(data: bytes) -> tuple[int, list[tuple[list[str], list[list[list[str]]], list[str]]]]:
    """Run in a child process: per page, (paragraph texts, tables, the text line above each table)."""
    import pdfplumber

    pages_out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n = len(pdf.pages)
        if n > MAX_PAGES:
            return n, []
        for page in pdf.pages:
            found = page.find_tables()
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes):
                x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            lines = page.filter(outside).extract_text_lines(return_chars=False)
            tables = []
            titles = []
            for t in found:
                rows = [[SPACE_BY_CJK.sub("", (c or "").replace("\n", "")).strip() for c in row] for row in t.extract()]
                tables.append(rows)
                above = page.crop((0, max(0, t.bbox[1] - 60), page.width, t.bbox[1])).extract_text() or ""
                titles.append(above)
            pages_out.append((_join_lines(lines), tables, titles))
            page.close()
    return n, pages_out


def read_pdf(data: bytes, name: str) -> ReportText:
    import concurrent.futures
    import multiprocessing

    if not data.startswith(b"%PDF"):
        raise ReportError(f"“{name}”不是 PDF 文件")
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx, initializer=_limit_memory)
    try:
        future = pool.submit(_pdf_pages, data)
        n, pages = future.result(timeout=MAX_PDF_SECONDS)
    except concurrent.futures.TimeoutError as exc:
        raise ReportError(f"“{name}”在 {MAX_PDF_SECONDS} 秒内未能读完，文件过大或内容异常，未核对") from exc
    except MemoryError as exc:
        raise ReportError(f"“{name}”解压后过大（超过 {MAX_PDF_MEMORY // 1024 // 1024} MB 内存上限），未核对") from exc
    except concurrent.futures.process.BrokenProcessPool as exc:
        raise ReportError(f"“{name}”读取时耗尽内存（文件过大或内容异常），未核对") from exc
    except Exception as exc:
        kind = type(exc).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise ReportError(f"“{name}”已加密（设有密码），请取消密码后重试") from exc
        raise ReportError(f"“{name}”无法作为 PDF 打开（文件已损坏）") from exc
    finally:
        for proc in list(getattr(pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.kill()  # a worker stuck on a hostile file is not waited for
        pool.shutdown(wait=False, cancel_futures=True)
    if n > MAX_PAGES:
        raise ReportError(f"“{name}”有 {n} 页，超过了 {MAX_PAGES} 页的上限，不像一份决算说明")
    paras: list[Para] = []
    tables: list[PrintedTable] = []
    chars = 0
    for number, (lines, page_tables, titles) in enumerate(pages, 1):
        for text in lines:
            chars += len(text)
            paras.append(Para(len(paras), text, f"第{number}页"))
        for k, (rows, above) in enumerate(zip(page_tables, titles)):
            above = SPACE_BY_CJK.sub("", above)
            title = next((l.strip() for l in reversed(above.splitlines()) if re.match(r"^附表\s*\d+", l.strip())), "")
            if not title and k == 0 and tables and tables[-1].title.startswith("附表"):
                title = tables[-1].title  # the first table of a page continues the 附表 of the page before
            tables.append(PrintedTable(title, rows, f"{title or '表格'}（第{number}页）", max(len(paras) - 1, 0)))
    if pages and chars < 20 * max(1, min(len(pages), 5)) and not tables:
        raise ReportError(f"“{name}”没有文字层（可能是扫描件），无法核对；请提供由 Word 导出的 PDF 或 .docx")
    _sections(paras)
    return ReportText(name, "pdf", paras, tables, [], report_year(paras), len(pages))


def read_report(path: Path) -> ReportText:
    """The report at `path` (.docx or .pdf, decided by content), bounded; ReportError when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ReportError(f"找不到文件“{path}”")
    if path.is_dir():
        raise ReportError(f"“{path}”是文件夹，不是决算说明")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReportError(f"“{path.name}”有 {size // 1024 // 1024} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，"
                              "不像一份决算说明")
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    if data.startswith(b"%PDF"):
        report = read_pdf(data, path.name)
    elif data.startswith(b"PK"):
        report = read_docx(data, path.name)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportError(f"“{path.name}”是旧版 .doc 文件或加密的文档；请在 Word/WPS 中取消密码并另存为 .docx 后重试")
    else:
        raise ReportError(f"“{path.name}”不是 Word 文档（.docx）或 PDF 文件")
    if not is_final_accounts(report):
        raise ReportError(f"“{path.name}”看起来不是一份决算说明（没有找到决算情况说明的内容），未核对")
    return report


def is_final_accounts(report: ReportText) -> bool:
    """A 决算说明 speaks of 决算 and states at least a few amounts in 万元."""
    text = "".join(p.text for p in report.paras[:2000])
    return "决算" in text and len(re.findall(r"\d万元", text)) >= 3

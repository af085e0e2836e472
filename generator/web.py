"""`generate serve`: a local web page where a finance clerk uploads workbooks and downloads reports.

Why Flask: it is well kept, small and synchronous, which fits a tool that runs on the clerk's
own computer for one office. Nothing here needs async: a single workbook is generated within
the request (about 1–2 s); a batch runs in a background thread (`generator.batch.run_batch`,
which uses worker processes itself) while the status page fetches its changing part every few
seconds (web_static/page.js; without a script, <noscript> reloads the page). One generation runs
at a time in this process (RENDER_LOCK); a single upload that arrives meanwhile waits in a
background thread behind such a page too.

What a clerk has done lasts: sessions, uploads, results and the history are kept in an SQLite
database (`HISTORY_DB`, the standard library's sqlite3: no server) in the work folder beside
the files (`serve`: output/网页版), so a server restart or a closed browser (the cookie lasts
as long as the files) finds them again.

The views are thin: they check the upload, call the library (`pipeline.generate`/`load`,
`batch.run_batch`, `annotate.write_check_report`, `workbook.write_workbook`) and show the
result. Everything a user reads is Chinese; a bug shows a Chinese message page and its detail
goes to the log, never to the page.

Safety (the constants below are the limits):

- uploads are stored under generated names (u0001.xlsx …); the original file name is only
  ever display text. Zip members with absolute paths or "..", anything not .xlsx, Office lock
  files (~$…) and hidden files are skipped, and the unpacked size is capped;
- each browser session gets a random id (kept in Flask's signed session cookie; the secret key
  is generated once per work folder and kept in its database) and its own folder; every download is looked up
  only among that session's own results, so two people using the page at once never see each
  other's files, and an unknown id is a 404;
- requests from other sites are refused: a state-changing request must come from our own page
  (Origin/Referer) and carry the session's token; the cookie is SameSite=Strict; only the host
  names the server serves are answered (against DNS rebinding); a link from another site is
  answered with a page that reloads itself, so it never replaces the clerk's session cookie;
- a session's folder and records are removed `SESSION_MAX_AGE` seconds after its last request
  (a sweep runs on every request); pages are never cached (Cache-Control: no-store).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from flask import Flask, abort, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from .errors import GeneratorError
from .findings import ERROR, SEVERITY_ORDER, WARNING, Finding
from .inputs import DEPARTMENT_ENTRY, DEPARTMENT_SUFFIXES, WORKBOOK_SUFFIXES, looks_like_workbook  # as the batch

log = logging.getLogger("generator.web")

MAX_REQUEST_BYTES = 32 * 1024 * 1024  # one upload (all its files together); a workbook is ~70 KB
MAX_WORKBOOKS = 300  # workbooks in one upload, counted after unpacking zips
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # unpacked size of the zips of one upload (guards against zip bombs)
SESSION_MAX_AGE = 2 * 60 * 60  # seconds after its last request that a session's files are removed
REFRESH_SECONDS = 2  # the status page of a running batch reloads itself this often
BLANK_NAME = "空白工作簿.xlsx"
SUMMARY_NAME = "汇总.xlsx"
ARCHIVE_NAME = "全部报告.zip"
HISTORY_DB = "网页版记录.sqlite3"
DEFAULT_FOLDER = Path("output") / "网页版"  # in the work folder: sessions, uploads and results survive a restart

# Hints written for the command line, as the web page says them.
WEB_WORDING = (
    ("请按上面的提示修改后重试（或加 --force 强制生成）", "请按下表的提示修改后重新上传"),
    ("详见 generate.log", "详细信息已记录在服务器日志中"),
    ("用 generate init 重新生成空白工作簿", "在首页下载空白工作簿"),
    ("用 generate init 生成新版空白工作簿", "在首页下载新版空白工作簿"),
    ("generate init 生成的空白工作簿", "首页下载的空白工作簿"),
)

HTTP_MESSAGES = {
    400: "请求不完整或格式不正确，请返回首页重新操作。",
    414: "网址过长，无法处理；请返回首页重新操作。",
    431: "请求头过大，无法处理；请清除本网站的 Cookie 后返回首页重新操作。",
    500: "程序内部错误，请稍后重试；如果问题一再出现，请联系技术支持（详细信息已记录在服务器日志中）。",
    404: "找不到该页面或文件：它可能属于另一个浏览器，或已过期（上传的文件和生成的报告保存 {hours} 小时）。",
    405: "不支持这样打开该页面，请返回首页重新操作。",
}
# Charts are drawn with process-global matplotlib settings ("run charts from one thread per
# process", generator/charts.py): one generation at a time in this process. A batch holds it
# throughout (it also uses every core); a single upload that finds it taken waits in the background.
RENDER_LOCK = threading.Lock()

INTERNAL_ERROR = HTTP_MESSAGES[500]
CROSS_SITE = "该请求来自其他网页或页面已过期，已拒绝；请在本页面的首页重新操作。"
UNKNOWN_HOST = "该地址不是本服务的地址，已拒绝（防止其他网站借用浏览器访问本服务）；请用启动时显示的地址打开。"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
BOUNCE_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0">'
               '<title>决算说明生成器</title></head><body><p>正在打开决算说明生成器…</p></body></html>')
ERROR_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>出错了 - 决算说明生成器</title></head>'
              '<body><h1>出错了</h1><p id="message">{message}</p><p><a href="/">返回首页</a></p></body></html>')


# ------------------------------------------------------------------ what a session holds

@dataclass
class Download:
    path: Path
    name: str  # the name the browser saves it as
    inline: bool = False  # charts are shown on the page, not downloaded


@dataclass
class Unit:
    """One uploaded workbook and what became of it."""

    index: int
    display: str  # the name the clerk uploaded (a zip member keeps its folder): display text only
    stored: Path  # where it lies, under a generated name
    status: str = "待处理"  # 待处理 → 处理中 → 成功 / 警告 / 错误
    message: str = ""
    unit_name: str = ""
    findings: list[Finding] = field(default_factory=list)
    report: str | None = None  # download ids
    changes: str | None = None  # 修订说明.txt
    check: str | None = None  # 检查结果.xlsx (written when the unit has something to fix)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (download id, caption)
    selfeval: list[tuple[str, str]] = field(default_factory=list)  # 绩效自评报告: (download id, short name)
    skipped: bool = False
    out_dir: Path | None = None
    layout: str = ""  # the report layout used (profile label)
    figures: dict[str, str | None] = field(default_factory=dict)  # batch.key_figures: what the result page shows
    change_report: dict | None = None  # batch.change_report, shown on the page
    data: Path | None = None  # the report's 数据.json (sentences for the preview, chart descriptions)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def needs_fixing(self) -> bool:
        """Errors or warnings: only then is the marked workbook worth offering."""
        return any(f.severity in (ERROR, WARNING) for f in self.findings)

    @property
    def name(self) -> str:
        return self.unit_name or display_stem(self.display)


@dataclass
class Job:
    """One upload: a single workbook, or many processed as a batch."""

    id: str
    folder: Path
    units: list[Unit]
    batch: bool
    notes: list[str] = field(default_factory=list)  # zip members that were skipped, and why
    state: str = "排队中"  # 排队中 / 处理中 / 完成 / 失败
    message: str = ""
    done: int = 0
    total: int = 0
    skipped: int = 0
    summary: str | None = None
    archive: str | None = None
    created: float = field(default_factory=time.time)
    downloads: dict[str, Download] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.state in ("排队中", "处理中")

    def add(self, path: Path, name: str, inline: bool = False) -> str:
        key = f"f{len(self.downloads) + 1}"
        self.downloads[key] = Download(Path(path), name, inline)
        return key

    def counts(self) -> dict[str, int]:
        return {s: sum(u.status == s for u in self.units) for s in ("成功", "警告", "错误")}


@dataclass
class Session:
    id: str
    folder: Path
    last_seen: float
    jobs: dict[str, Job] = field(default_factory=dict)
    stored_names: dict[str, str] = field(default_factory=dict)  # display name → generated stem
    last_data: dict[str, Path] = field(default_factory=dict)  # generated stem → data JSON of its last report
    last_findings: dict[str, list[dict]] = field(default_factory=dict)  # generated stem → findings of its last upload

    @property
    def busy(self) -> bool:
        return any(job.running for job in self.jobs.values())

    def stem_for(self, display: str) -> str:
        """The same display name keeps its generated name within a session, so a corrected
        workbook uploaded again is compared with its last report (修订说明) and an unchanged one
        in a batch is not generated again."""
        key = display.casefold()
        if key not in self.stored_names:
            self.stored_names[key] = f"u{len(self.stored_names) + 1:04d}"
        return self.stored_names[key]


# ------------------------------------------------------------------ kept on disk

def _plain(value):
    """A session or job as JSON can hold it (paths as text, findings as dicts)."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Finding):
        return value.as_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def _path(value) -> Path | None:
    return Path(value) if value else None


def job_from_dict(raw: dict) -> Job:
    units = []
    for u in raw["units"]:
        u = dict(u)
        u["stored"], u["out_dir"], u["data"] = Path(u["stored"]), _path(u.get("out_dir")), _path(u.get("data"))
        u["findings"] = [Finding.of(f) for f in u.get("findings") or []]
        u["charts"] = [tuple(c) for c in u.get("charts") or []]
        u["selfeval"] = [tuple(c) for c in u.get("selfeval") or []]
        units.append(Unit(**{k: v for k, v in u.items() if k in Unit.__dataclass_fields__}))
    raw = dict(raw, units=units, folder=Path(raw["folder"]),
               downloads={k: Download(Path(d["path"]), d["name"], d.get("inline", False))
                          for k, d in (raw.get("downloads") or {}).items()})
    return Job(**{k: v for k, v in raw.items() if k in Job.__dataclass_fields__})


class Store:
    """All sessions of one server, in memory, and in an SQLite database in the work folder
    (`HISTORY_DB`), with their files beside it: a server restart (or a closed browser, whose
    cookie lasts as long as the files) finds every upload, result and its history again."""

    def __init__(self, root: Path):
        import sqlite3

        self.root = root
        self.sessions: dict[str, Session] = {}
        self.lock = threading.RLock()
        self.blanks: dict[str, Path] = {}
        self.db = sqlite3.connect(root / HISTORY_DB, check_same_thread=False, isolation_level=None)
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, last_seen REAL, state TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, session TEXT, created REAL, "
                            "state TEXT)")
        self._load()

    def secret(self) -> bytes:
        """The key that signs the session cookie: kept, so a restart does not forget the browsers."""
        with self.lock:
            row = self.db.execute("SELECT value FROM settings WHERE key = 'secret'").fetchone()
            if row is None:
                row = (secrets.token_hex(32),)
                self.db.execute("INSERT INTO settings VALUES ('secret', ?)", row)
        return bytes.fromhex(row[0])

    def _load(self) -> None:
        import json

        for sid, last_seen, state in self.db.execute("SELECT id, last_seen, state FROM sessions").fetchall():
            raw = json.loads(state)
            self.sessions[sid] = Session(sid, Path(raw["folder"]), last_seen, {}, raw.get("stored_names") or {},
                                         {k: Path(v) for k, v in (raw.get("last_data") or {}).items()},
                                         raw.get("last_findings") or {})
        for sid, state in self.db.execute("SELECT session, state FROM jobs ORDER BY created").fetchall():
            sess = self.sessions.get(sid)
            if sess is None:
                continue
            try:
                job = job_from_dict(json.loads(state))
            except (KeyError, TypeError, ValueError):
                log.exception("无法读取保存的处理记录")
                continue
            if job.running:  # the server stopped while it ran: say so rather than wait forever
                job.state, job.message = "失败", "服务器在处理过程中停止，这次上传没有处理完；请重新上传。"
                for unit in job.units:
                    if unit.status in ("待处理", "处理中"):
                        unit.status, unit.message = "错误", "未处理：服务器在处理过程中停止，请重新上传。"
                self.save_job(sess, job)
            sess.jobs[job.id] = job

    def save_session(self, sess: Session) -> None:
        import json

        state = json.dumps(_plain({"folder": sess.folder, "stored_names": sess.stored_names,
                                   "last_data": sess.last_data, "last_findings": sess.last_findings}),
                           ensure_ascii=False)
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)", (sess.id, sess.last_seen, state))

    def save_job(self, sess: Session, job: Job) -> None:
        """Record a job (and its session). A failure to record is logged, never the job's failure:
        the page still shows the result, only a restart would not."""
        import json
        import sqlite3

        try:
            with self.lock:
                state = json.dumps(_plain(job), ensure_ascii=False)
                self.save_session(sess)
                self.db.execute("INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?)", (job.id, sess.id, job.created, state))
        except (sqlite3.Error, RuntimeError, TypeError, ValueError):
            log.exception("无法保存处理记录 %s", job.id)

    def get(self, sid: str | None, create: bool) -> Session | None:
        with self.lock:
            sess = self.sessions.get(sid or "")
            if sess is None and create:
                sid = secrets.token_urlsafe(18)
                sess = self.sessions[sid] = Session(sid, self.root / "sessions" / secrets.token_hex(12), time.time())
                self.save_session(sess)
            if sess is not None:
                sess.last_seen = time.time()
                self.db.execute("UPDATE sessions SET last_seen = ? WHERE id = ?", (sess.last_seen, sess.id))
            return sess

    def sweep(self, max_age: float) -> None:
        """Remove the sessions (and their folders) not used for `max_age` seconds; never a running one."""
        now = time.time()
        with self.lock:
            old = [s for s in self.sessions.values() if now - s.last_seen >= max_age and not s.busy]
            for sess in old:
                del self.sessions[sess.id]
                self.db.execute("DELETE FROM jobs WHERE session = ?", (sess.id,))
                self.db.execute("DELETE FROM sessions WHERE id = ?", (sess.id,))
        for sess in old:
            shutil.rmtree(sess.folder, ignore_errors=True)
            log.info("已删除过期的会话文件夹 %s", sess.folder)

    def close(self) -> None:
        with self.lock:
            self.db.close()


# ------------------------------------------------------------------ the app

def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The web app. `config` may override MAX_CONTENT_LENGTH, MAX_WORKBOOKS, MAX_UNZIPPED_BYTES,
    SESSION_MAX_AGE, JOBS (worker processes of a batch; None = one per core) and WORK_DIR (the
    folder the uploads, results and their history are kept in; a temporary one when None)."""
    from . import __version__

    app = Flask(__name__, template_folder="web_templates", static_folder="web_static", static_url_path="/static")
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_WORKBOOKS=MAX_WORKBOOKS,
        MAX_UNZIPPED_BYTES=MAX_UNZIPPED_BYTES,
        SESSION_MAX_AGE=SESSION_MAX_AGE,
        SESSION_COOKIE_SAMESITE="Strict",  # a page of another site never sends the clerk's cookie along
        SESSION_COOKIE_HTTPONLY=True,
        JOBS=None,
        WORK_DIR=None,
        ALLOWED_HOSTS=LOCAL_HOSTS,  # host names the page answers to (against DNS rebinding); serve adds its own
    )
    app.config.update(config or {})
    # the cookie lasts as long as the files it leads to: closing the browser does not lose them
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_MAX_AGE"]
    # refreshed by the pages that use the session (current()), never by a bounce page answering a link from another site
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    if app.config["WORK_DIR"] is None:
        root = Path(tempfile.mkdtemp(prefix="juesuan-web-"))
        atexit.register(shutil.rmtree, root, True)
    else:
        root = Path(app.config["WORK_DIR"])
        root.mkdir(parents=True, exist_ok=True)
    store = Store(root)
    app.config["SECRET_KEY"] = store.secret()
    app.extensions["juesuan"] = store
    from .profiles import profiles

    layouts = [(p.id, p.label) for p in profiles()]
    app.jinja_env.globals.update(limits=limits_text(app.config), ERROR=ERROR, WARNING=WARNING, csrf_token=csrf_token,
                                 layouts=layouts, version=__version__, rule_name=_rule_name,
                                 max_mb=app.config["MAX_CONTENT_LENGTH"] // 1024 // 1024,
                                 max_workbooks=app.config["MAX_WORKBOOKS"], figure_rows=FIGURE_ROWS,
                                 department_suffix=DEPARTMENT_SUFFIXES[0], REFRESH_SECONDS=REFRESH_SECONDS,
                                 preview=preview, row_note=row_note, figure_label=_figure_label)
    app.jinja_env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t))

    def current(create: bool = False) -> Session | None:
        sess = store.get(session.get("sid"), create)
        if sess is not None and session.get("sid") != sess.id:
            session["sid"] = sess.id
        if sess is not None:
            session.permanent = True
        return sess

    def find_job(job_id: str) -> Job:
        sess = current()
        job = sess.jobs.get(job_id) if sess else None
        if job is None:
            abort(404)
        return job

    @app.before_request
    def guard():
        """Only our own host names; a state-changing request only from our own page (Origin or
        Referer, and the session's token in the form)."""
        if host_name(request.host) not in {h.lower() for h in app.config["ALLOWED_HOSTS"]}:
            log.warning("拒绝了 Host 为 %r 的请求", request.host)
            return error_page(UNKNOWN_HOST, 400)
        if request.method == "GET" and request.headers.get("Sec-Fetch-Site") == "cross-site":
            # opened from another site's link: the Strict cookie was not sent, and answering would
            # give the browser a new, empty session in place of the clerk's. Reload from our own page.
            return BOUNCE_PAGE, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        if request.method in STATE_CHANGING and not same_origin(request):
            log.warning("拒绝了来自 %r 的跨站请求 %s", request.headers.get("Origin") or request.headers.get("Referer"),
                        request.path)
            return error_page(CROSS_SITE, 400)
        store.sweep(app.config["SESSION_MAX_AGE"])

    @app.after_request
    def never_stale(response):
        """Pages show state that changes (the history, a running batch): never from a cache, so
        Back shows the upload just made and no file stays chosen in the form."""
        if response.mimetype in ("text/html", "application/json"):
            response.headers["Cache-Control"] = "no-store"
        elif response.headers.get("Content-Disposition") or request.path.startswith("/j/"):
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response

    @app.get("/")
    def index():
        sess = current()
        return render_template("index.html", history=history(sess))

    @app.get("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg"), 200, {"Content-Type": "image/svg+xml"}

    @app.get("/blank.xlsx")
    def blank():
        return redirect(url_for("blank_layout", layout=layouts[0][0]))

    @app.get("/blank/<layout>.xlsx")
    def blank_layout(layout: str):
        """The blank workbook of one report layout: the same writer as `generate init --profile`,
        written once per server start; the layout's name is in the file name."""
        from . import workbook

        label = dict(layouts).get(layout)
        if label is None:
            abort(404)
        path = store.blanks.get(layout)
        if path is None or not path.exists():
            path = store.blanks[layout] = workbook.write_workbook(store.root / "blank" / f"{layout}.xlsx",
                                                                  profile_id=layout)
        return send_file(path, as_attachment=True, download_name=blank_name(label))

    @app.post("/upload")
    def upload():
        sess = current(create=True)
        if sess.busy:
            return _index_error("上一次上传的工作簿还在处理中，请等它完成后再上传。", sess)
        try:
            job = receive(sess, request.files.getlist("files"), app.config)
        except UploadRejected as exc:
            return _index_error(str(exc), sess)
        sess.jobs[job.id] = job

        def save() -> None:
            store.save_job(sess, job)

        save()
        if not job.batch and RENDER_LOCK.acquire(blocking=False):
            try:
                run_single(sess, job)  # about 1–2 s: the answer comes with this request
            finally:
                RENDER_LOCK.release()
                save()
        else:
            work = run_many if job.batch else queued_single
            threading.Thread(target=work, args=(sess, job, app.config["JOBS"], save), daemon=True,
                             name=f"job-{job.id}").start()
        if request.headers.get("X-Requested-With") == "upload":  # the page's own upload with a progress bar
            return {"location": url_for("show_job", job_id=job.id)}
        return redirect(url_for("show_job", job_id=job.id), code=303)

    @app.get("/j/<job_id>")
    def show_job(job_id: str):
        job = find_job(job_id)
        show = request.args.get("show", "")
        return render_template("job.html", job=job, unit=None if job.batch else job.units[0],
                               refresh=REFRESH_SECONDS if job.running else None, rows=batch_rows(job, show), show=show)

    @app.get("/j/<job_id>/live")
    def live(job_id: str):
        """The part of a running job's page that changes, for the page's script to swap in (no reload)."""
        job = find_job(job_id)
        show = request.args.get("show", "")
        return {"running": job.running, "html": render_template("_live.html", job=job, rows=batch_rows(job, show),
                                                                show=show, unit=None if job.batch else job.units[0])}

    @app.get("/j/<job_id>/u/<int:index>")
    def show_unit(job_id: str, index: int):
        job = find_job(job_id)
        if not job.batch or not 0 <= index < len(job.units) or job.units[index].status in ("待处理", "处理中"):
            abort(404)
        return render_template("unit.html", job=job, unit=job.units[index])

    @app.get("/j/<job_id>/f/<file_id>")
    def download(job_id: str, file_id: str):
        job = find_job(job_id)
        item = job.downloads.get(file_id)
        if item is None or not item.path.is_file() or not item.path.resolve().is_relative_to(store.root.resolve()):
            abort(404)
        return send_file(item.path, as_attachment=not item.inline, download_name=item.name)

    @app.get("/j/<job_id>/u/<int:index>/check")
    def check_workbook(job_id: str, index: int):
        """The workbook with the cells at fault marked (written on first request)."""
        sess = current()
        job = find_job(job_id)
        if not 0 <= index < len(job.units) or not job.units[index].findings or job.running:
            abort(404)
        unit = job.units[index]
        if unit.check is None:
            if write_check(job, unit) is None:
                abort(404)
            store.save_job(sess, job)
        return redirect(url_for("download", job_id=job.id, file_id=unit.check))

    @app.post("/review")
    def review_report():
        """核对 a 决算说明 (review_web.py): the page answers with the findings."""
        from .review_web import review_upload

        result = review_upload(current(create=True).folder, request.files.get("report"), request.files.get("workbook"))
        return render_template("review.html", **result), 400 if "error" in result else 200

    @app.get("/review/<token>")
    def review_download(token: str):
        from .review_web import marked_copy

        sess = current()
        path = marked_copy(sess.folder, token) if sess else None
        if path is None:
            abort(404)
        return send_file(path, as_attachment=True, download_name="核对.docx")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = HTTP_MESSAGES.get(code, "无法处理该请求，请返回首页重新操作。").format(
            hours=app.config["SESSION_MAX_AGE"] // 3600)
        if code == 413:
            message = too_large_message(app.config, request.content_length)
        return error_page(message, code)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.exception("处理 %s %s 时出错", request.method, request.path)
        return error_page(INTERNAL_ERROR, 500)

    app.wsgi_app = ChineseFallback(app.wsgi_app)
    return app


def error_page(message: str, code: int):
    """The Chinese error page; plain HTML if even the template fails."""
    try:
        return render_template("error.html", message=message, code=code), code
    except Exception:  # noqa: BLE001 - the last resort must not fail
        log.exception("无法显示错误页")
        from markupsafe import escape

        return ERROR_PAGE.format(message=escape(message)), code, {"Content-Type": "text/html; charset=utf-8"}


class ChineseFallback:
    """WSGI wrapper: whatever escapes Flask (an error inside an error handler) is still a
    Chinese 500 page, never werkzeug's English one."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except Exception:  # noqa: BLE001
            log.exception("处理请求时出错")
            from markupsafe import escape

            body = ERROR_PAGE.format(message=escape(INTERNAL_ERROR)).encode("utf-8")
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(body)))], sys.exc_info())
            return [body]


def csrf_token() -> str:
    """The session's token for its forms (a page of another site cannot read it)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def host_name(host: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1'; '[::1]:8000' → '::1'."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(req) -> bool:
    """Whether a state-changing request comes from a page of this server: its Origin (or, when a
    browser sends none, its Referer) names this host, and the form carries the session's token."""
    from urllib.parse import urlsplit

    origin = req.headers.get("Origin")
    referer = req.headers.get("Referer")
    if origin is not None:
        if origin == "null" or urlsplit(origin).netloc.lower() != req.host.lower():
            return False
    elif referer is not None and urlsplit(referer).netloc.lower() != req.host.lower():
        return False
    expected = session.get("csrf")
    given = req.form.get("csrf", "")
    return bool(expected) and secrets.compare_digest(str(given), str(expected))


def _index_error(message: str, sess: Session):
    return render_template("index.html", history=history(sess), error=message), 400


def limits_text(config) -> str:
    return (f"每次上传合计不超过 {config['MAX_CONTENT_LENGTH'] // 1024 // 1024} MB、最多 {config['MAX_WORKBOOKS']} 份工作簿；"
            f"上传的文件和生成的报告只有您自己的浏览器能看到，保存在本机，最后一次操作 "
            f"{config['SESSION_MAX_AGE'] // 3600} 小时后自动删除（关闭浏览器或重启程序不影响）。")


def too_large_message(config, length: int | None) -> str:
    limit = config["MAX_CONTENT_LENGTH"] // 1024 // 1024
    size = f"（这次约 {length / 1024 / 1024:.0f} MB）" if length else ""
    return (f"上传的内容超过了限制：每次合计不超过 {limit} MB{size}、最多 {config['MAX_WORKBOOKS']} 份工作簿。"
            "一份决算工作簿通常不到 1 MB：只选了一个文件的，请确认它是填好的决算工作簿（不是含大量图片的其他文件）；"
            "选了多个文件的，请分几次上传。")


def blank_name(label: str) -> str:
    """"空白工作簿-上海2024（9张附表）.xlsx": the layout in the name, so the clerk picks the right one."""
    return f"{BLANK_NAME.removesuffix('.xlsx')}-{label}.xlsx"


def _figure_label(key: str) -> str:
    from .figures import figure_label

    return figure_label(key)


def row_note(unit: Unit) -> str:
    """The 说明 of a unit's row in a batch table: what happened, and where to look."""
    text = unit.message.replace("请按下表的提示修改后重新上传", "点击工作簿名称查看每处问题的位置和说明")
    if unit.skipped:
        text = "未变动，沿用上次的报告。" + text
    if not text and unit.needs_fixing:
        first = next(f for f in unit.findings if f.severity in (ERROR, WARNING))
        n = unit.count(first.severity)
        text = f"{first.severity} {n} 处，例如：{_rule_name(first.rule)}（{first.ref}）"
    return text


def _rule_name(rule: str) -> str:
    from .check import rule_name

    return rule_name(rule)


# The key figures a result page shows (names of batch.key_figures), in this order.
FIGURE_ROWS = ("收入总计", "本年收入合计", "本年支出合计", "财政拨款收入支出总计", "一般公共预算财政拨款支出",
               "基本支出", "项目支出", "“三公”经费合计", "机关运行经费")


@dataclass
class HistoryRow:
    job: Job
    title: str  # the unit's name (or "N 份工作簿")
    file: str  # what was uploaded
    layout: str
    latest: bool  # the newest upload of this file name (an older one was replaced by a correction)


def history(sess: Session | None) -> list[HistoryRow]:
    """The session's uploads, newest first, each with its unit, layout and whether it is the latest of its name."""
    if sess is None:
        return []
    rows: list[HistoryRow] = []
    seen: set[str] = set()
    for job in sorted(sess.jobs.values(), key=lambda j: j.created, reverse=True):
        if job.batch:
            layouts = sorted({u.layout for u in job.units if u.layout})
            rows.append(HistoryRow(job, f"{len(job.units)} 份工作簿", "、".join(u.display for u in job.units[:3])
                                   + ("等" if len(job.units) > 3 else ""), "、".join(layouts), True))
            continue
        unit = job.units[0]
        key = unit.display.casefold()
        rows.append(HistoryRow(job, unit.unit_name or display_stem(unit.display), unit.display, unit.layout,
                               key not in seen))
        seen.add(key)
    return rows


STATUS_ORDER = {"错误": 0, "警告": 1, "成功": 2}


def batch_rows(job: Job, show: str = "") -> list[Unit]:
    """The units of a batch as its table lists them: once done, errors first; `show` keeps one status."""
    units = list(job.units)
    if not job.running:
        units.sort(key=lambda u: (STATUS_ORDER.get(u.status, 3), u.index))
    if show in STATUS_ORDER:
        units = [u for u in units if u.status == show]
    return units


# ------------------------------------------------------------------ receiving an upload

class UploadRejected(Exception):
    """The upload as a whole cannot be processed; the message is one Chinese sentence."""


def clean_display(name: str) -> str:
    """A name fit to show: no control characters, not endless."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    if len(name) > 120:
        name = name[:100] + "…" + PurePosixPath(name).suffix[:10]
    return name or "未命名.xlsx"


def display_stem(display: str) -> str:
    from .render import safe_name

    return safe_name(PurePosixPath(display).stem)


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it: zips made by Windows store names in GBK without saying so."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            for encoding in ("utf-8", "gbk"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return name.replace("\\", "/")


def unsafe_member(name: str) -> bool:
    parts = name.split("/")
    return name.startswith("/") or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts


def receive(sess: Session, files, config) -> Job:
    """Store the uploaded files (and the .xlsx members of uploaded zips) under generated names."""
    files = [f for f in files if f and f.filename]
    if not files:
        raise UploadRejected("请先选择要上传的工作簿（.xlsx）或压缩包（.zip）。")
    job_id = secrets.token_urlsafe(8)
    folder = sess.folder / "jobs" / job_id
    uploads = folder / "uploads"  # per upload: an earlier result's check workbook keeps its own file
    uploads.mkdir(parents=True)
    job = Job(job_id, folder, [], batch=False)
    budget = {"unzipped": config["MAX_UNZIPPED_BYTES"], "limit": config["MAX_UNZIPPED_BYTES"]}
    seen: set[str] = set()
    departments: dict[str, str] = {}  # a zip's （部门） folder → its folder among the uploads

    def add(display: str, read, refused: str = "已忽略“{}”：只能上传 .xlsx 工作簿或 .zip 压缩包。") -> None:
        if len(job.units) >= config["MAX_WORKBOOKS"]:
            raise UploadRejected(f"一次最多上传 {config['MAX_WORKBOOKS']} 份工作簿，请分几次上传。")
        display = base = clean_display(display)
        n = 2
        while display.casefold() in seen:  # the same name twice in one upload: both kept
            stem, dot, suffix = base.rpartition(".")
            display, n = f"{stem}（{n}）.{suffix}" if dot else f"{base}（{n}）", n + 1
        seen.add(display.casefold())
        # a member of a “…（部门）” folder of a zip is stored in such a folder: the batch consolidates it
        folder = uploads
        parent = PurePosixPath(display).parent
        if parent.name.endswith(DEPARTMENT_SUFFIXES):
            if str(parent) not in departments:  # two （部门） folders of one name (in two places) stay two
                from .render import fingerprint, safe_name

                name = safe_name(parent.name)
                if not name.endswith(DEPARTMENT_SUFFIXES) or name in departments.values():
                    name = f"{fingerprint(str(parent))}{DEPARTMENT_SUFFIXES[0]}"
                departments[str(parent)] = name
            folder = uploads / departments[str(parent)]
        folder.mkdir(exist_ok=True)
        stored = folder / f"{sess.stem_for(display)}.xlsx"
        from .output import atomic_write

        with atomic_write(stored) as tmp:
            read(tmp)
        if not display.lower().endswith(WORKBOOK_SUFFIXES) and not looks_like_workbook(stored):
            stored.unlink()  # a workbook is known by its content, as in the batch
            job.notes.append(refused.format(display))
            return
        job.units.append(Unit(len(job.units), display, stored))
        if folder != uploads and (folder / DEPARTMENT_ENTRY) not in [u.stored for u in job.units]:
            job.units.append(Unit(len(job.units), f"{PurePosixPath(display).parent}/部门汇总",
                                  folder / DEPARTMENT_ENTRY))  # the 部门 itself, once its units are done

    try:
        for f in files:
            _receive_one(f, add, job.notes, budget)
    except UploadRejected:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not any(u.stored.name != DEPARTMENT_ENTRY for u in job.units):
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadRejected("没有找到可以处理的 .xlsx 工作簿。" + "".join(job.notes))
    job.batch = len(job.units) > 1
    job.total = len(job.units)
    return job


OLD_EXCEL = (".xls", ".et")
OTHER_ARCHIVES = (".rar", ".7z", ".tar", ".gz")


def _size(f) -> int:
    try:
        stream = f.stream
        here = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(here)
        return size
    except (OSError, AttributeError, ValueError):
        return -1


def _refusal(lower: str) -> str:
    """What the page says of a file that is not a workbook by its content, by what it is called."""
    if lower.endswith(OLD_EXCEL):
        return ("已忽略“{}”：这是旧版 Excel（.xls）文件，本程序读不了；请在 Excel/WPS 中打开，"
                "“文件 → 另存为”选择“Excel 工作簿（*.xlsx）”后上传。")
    if lower.endswith(OTHER_ARCHIVES):
        return ("已忽略“{}”：只能读 .zip 压缩包；请解压后重新压缩为 .zip（右键 → 发送到 → 压缩(zipped)文件夹），"
                "或直接选择其中的 .xlsx 工作簿。")
    return "已忽略“{}”：只能上传 .xlsx 工作簿或 .zip 压缩包。"


def _receive_one(f, add, notes: list[str], budget: dict[str, int]) -> None:
    name = clean_display(f.filename.replace("\\", "/").rsplit("/", 1)[-1])
    lower = name.lower()
    if lower.startswith("~$"):
        notes.append(f"已忽略“{name}”：这是 Office 的临时文件，不是工作簿。")
    elif _size(f) == 0:
        notes.append(f"已忽略“{name}”：这是一个空文件（0 字节），可能没有保存完整；请在 Excel/WPS 中打开原工作簿重新保存后上传。")
    elif lower.endswith(".zip"):
        _unzip(f, name, add, notes, budget)
    else:  # a workbook by its extension or, renamed, by its content (`add` looks); if not, why and what to do
        add(name, lambda tmp: f.save(tmp), refused=_refusal(lower))


def _unzip(storage, name: str, add, notes: list[str], budget: dict[str, int]) -> None:
    try:
        archive = zipfile.ZipFile(storage.stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        notes.append(f"已忽略“{name}”：不是有效的 zip 压缩包。")
        return
    with archive:
        for info in archive.infolist():
            member = zip_member_name(info)
            parts = [p for p in member.split("/") if p not in ("", ".")]
            if info.is_dir() or not parts:
                continue
            base = parts[-1]
            if unsafe_member(member):
                notes.append(f"已忽略压缩包中的“{member}”：路径不安全。")
            elif any(p.startswith(".") or p == "__MACOSX" for p in parts):
                continue  # hidden files and the resource forks macOS adds
            elif base.startswith("~$"):
                notes.append(f"已忽略压缩包中的“{member}”：这是 Office 的临时文件。")
            elif not base.lower().endswith(WORKBOOK_SUFFIXES) and not _starts_as_zip(archive, info):
                notes.append(f"已忽略压缩包中的“{member}”：不是 .xlsx 工作簿。")
            else:  # a workbook by its extension or its content (`add` looks)
                try:
                    add("/".join(parts), lambda tmp, info=info: _extract(archive, info, tmp, budget),
                        f"已忽略压缩包中的“{member}”：不是 .xlsx 工作簿。")
                except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
                    log.info("无法解压 %s：%s", member, exc)
                    notes.append(f"已忽略压缩包中的“{member}”：无法解压（文件损坏或已加密）。")


def _starts_as_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member not named .xlsx may be a renamed workbook (unpacked only then)."""
    try:
        with archive.open(info) as member:
            return member.read(2) == b"PK"
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return False


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: dict[str, int]) -> None:
    with archive.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(1 << 20):
            budget["unzipped"] -= len(chunk)
            if budget["unzipped"] < 0:
                raise UploadRejected(f"压缩包解压后超过 {budget['limit'] // 1024 // 1024} MB，请分几次上传。")
            dst.write(chunk)


# ------------------------------------------------------------------ processing

def web_message(text: str, unit: Unit | None = None) -> str:
    """A library message as the web page says it: no command-line hints, no server paths."""
    for old, new in WEB_WORDING:
        text = text.replace(old, new)
    if unit is not None:
        text = text.replace(str(unit.stored), unit.display).replace(unit.stored.name, unit.display)
        if unit.out_dir is not None:
            text = text.replace(str(unit.out_dir), display_stem(unit.display))
        if unit.layout:  # the blank workbook of the unit's own layout, not just "the new one"
            text = text.replace("在首页下载新版空白工作簿", f"在首页下载“{unit.layout}”的空白工作簿")
            text = text.replace("在首页下载空白工作簿", f"在首页下载“{unit.layout}”的空白工作簿")
    return text


def _findings(items, unit: Unit) -> list[Finding]:
    from dataclasses import replace

    found = [Finding.of(f) for f in items]
    found = [replace(f, message=web_message(f.message, unit)) for f in found]
    return sorted(found, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))


def _chart_caption(path: Path) -> str:
    return path.stem.replace("_", " ", 1)


def _selfeval_label(stem: str, unit_name: str) -> str:
    """"遂宁市…局2024年度整体支出绩效自评报告" → "整体支出绩效自评报告": the button says which report, not the unit again."""
    short = stem.removeprefix(unit_name) if unit_name else stem
    return re.sub(r"^\d{4}年度?", "", short) or stem


def _add_report_files(job: Job, unit: Unit, files: list[Path], changed: bool) -> None:
    for path in files:
        if path.name.endswith("绩效自评报告.docx"):
            unit.selfeval.append((job.add(path, path.name), _selfeval_label(path.stem, unit.unit_name)))
        elif path.suffix == ".docx":
            unit.report = job.add(path, path.name)
        elif path.suffix == ".png":
            unit.charts.append((job.add(path, path.name, inline=True), _chart_caption(path)))
        elif path.name.endswith(".txt") and changed:
            unit.changes = job.add(path, f"{display_stem(unit.display)}.修订说明.txt")
        elif path.name.endswith(".数据.json"):
            unit.data = path


def _read_json(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_check(job: Job, unit: Unit) -> str | None:
    """The unit's 检查结果.xlsx (its workbook with the findings marked), once; its download id."""
    from .annotate import write_check_report

    if unit.check is not None:
        return unit.check
    if not unit.stored.is_file():  # a 部门's own row: its findings belong to its units' workbooks
        return None
    name = f"{display_stem(unit.display)}.检查结果.xlsx"
    target = job.folder / "check" / f"{unit.stored.stem}.检查结果.xlsx"  # stored under the generated name
    try:
        write_check_report(unit.stored, unit.findings, target)
    except GeneratorError as exc:
        log.info("无法写出 %s 的检查结果：%s", unit.display, exc)
        return None
    unit.check = job.add(target, name)
    return unit.check


def queued_single(sess: Session, job: Job, jobs: int | None = None, save=None) -> None:
    """A single workbook uploaded while another generation runs: waits its turn in a thread."""
    with RENDER_LOCK:
        job.state = "处理中"
        try:
            run_single(sess, job)
        finally:
            if save:
                save()


def run_single(sess: Session, job: Job) -> None:
    """One workbook (the caller holds RENDER_LOCK): `pipeline.generate`; on a GeneratorError
    its message and (when the workbook can be read) its findings; with the last upload of the
    same name, a change report (figures, sentences, findings fixed and new)."""
    from . import batch, pipeline
    from .output import atomic_write
    from .profiles import of_unit

    unit = job.units[0]
    unit.status = "处理中"
    # each upload keeps its own report: the links of an earlier upload of the same name keep
    # serving the earlier report; the change report compares with the last one
    unit.out_dir = pipeline.output_dir(unit.stored, job.folder / "report")
    stem = unit.stored.stem
    last = sess.last_data.get(stem)
    old = _read_json(last) if last else None
    old_findings = sess.last_findings.get(stem)
    try:
        outcome = pipeline.generate(unit.stored, unit.out_dir.parent, out_dir=unit.out_dir)
        files = outcome.written.all()
        unit.unit_name = outcome.accounts.unit.get("name") or ""
        unit.layout = of_unit(outcome.accounts.unit).label
        unit.figures = batch.key_figures(outcome.accounts)
        new_findings = [f.as_dict() for f in outcome.findings]
        changes = None
        if old is not None or old_findings is not None:
            changes = batch.change_report(old, _read_json(outcome.written.data), old_findings, new_findings)
        if batch.has_changes(changes):
            with atomic_write(unit.out_dir / batch.CHANGES) as tmp:
                tmp.write_text(batch.format_changes(unit.name, changes), "utf-8-sig")
            files.append(unit.out_dir / batch.CHANGES)
            unit.change_report = changes
    except GeneratorError as exc:
        unit.status, unit.message = "错误", web_message(str(exc), unit)
        if exc.accounts is not None:  # read before it failed: its findings come with the error
            with contextlib.suppress(KeyError):
                unit.layout = of_unit(exc.accounts.unit).label
            unit.findings, unit.unit_name = _findings(exc.findings, unit), exc.accounts.unit.get("name") or ""
            unit.message = web_message(str(exc), unit)
            sess.last_findings[stem] = [f.as_dict() for f in exc.findings]
    except Exception as exc:  # a bug, not the clerk's mistake
        log.exception("生成 %s（%s）时出错", unit.display, unit.stored)
        unit.status, unit.message = "错误", f"程序内部错误（{type(exc).__name__}），未生成报告；详细信息已记录在服务器日志中。"
    else:
        unit.findings = _findings(outcome.findings, unit)
        unit.status = "警告" if unit.count(WARNING) else "成功"
        _add_report_files(job, unit, files, changed=True)
        sess.last_data[stem] = outcome.written.data
        sess.last_findings[stem] = new_findings
    if unit.needs_fixing:
        write_check(job, unit)
    job.state, job.done = "完成", 1


def run_many(sess: Session, job: Job, jobs: int | None, save=None) -> None:
    """A batch, in a background thread: `batch.run_batch` with a progress callback; then each
    unit's check workbook, the summary with the uploaded names and one zip of everything."""
    from . import batch

    out_root = sess.folder / "batch"
    uploads = job.folder / "uploads"
    by_relative = {relative_name(u, uploads): u for u in job.units}
    saved = [0.0]

    def keep(force: bool = False) -> None:
        if save and (force or time.monotonic() - saved[0] >= 1):  # on disk at most once a second while running
            saved[0] = time.monotonic()
            save()

    def progress(result, done, total):
        job.state, job.done, job.total = "处理中", done, total
        unit = by_relative.get((result or {}).get("relative", ""))
        if unit is not None:
            apply_result(job, unit, result)
        keep()

    try:
        with RENDER_LOCK:
            job.state = "处理中"
            keep(True)
            result = batch.run_batch([uploads], out_root, jobs=jobs, progress=progress)  # its 部门 folders too
            for r in result.results:
                unit = by_relative.get(r["relative"])
                if unit is not None:
                    apply_result(job, unit, r)
            job.skipped = result.skipped
            keep_own_copies(job)
            for unit in job.units:
                if unit.needs_fixing:
                    write_check(job, unit)
            summary = job.folder / SUMMARY_NAME
            write_named_summary(out_root / batch.SUMMARY, summary, job.units)
            job.summary = job.add(summary, SUMMARY_NAME)
            job.archive = job.add(write_archive(job, summary), ARCHIVE_NAME)
            job.state = "完成"
    except Exception:
        log.exception("批量处理 %s 时出错", job.folder)
        job.state, job.message = "失败", INTERNAL_ERROR
        for unit in job.units:
            if unit.status in ("待处理", "处理中"):
                unit.status, unit.message = "错误", "未处理：批量处理中断。"
    finally:
        keep(True)


def relative_name(unit: Unit, uploads: Path) -> str:
    """The unit's name in the batch's results (its path below the upload folder)."""
    return unit.stored.relative_to(uploads).as_posix()


def _uploaded_names(job: Job, text: str) -> str:
    """Other units' generated names in a message (a repeat, a 部门's unit) as they were uploaded."""
    for u in job.units:
        text = text.replace(u.stored.name, u.display)
    return text


def apply_result(job: Job, unit: Unit, result: dict) -> None:
    """A result dict of `run_batch` → the unit as the page shows it."""
    from dataclasses import replace

    from . import batch

    if result.get("status") == "处理中":
        unit.status = "处理中"
        return
    unit.out_dir = Path(result["out_dir"]) if result.get("out_dir") else None
    unit.status = result["status"]
    unit.unit_name = result.get("unit") or ""
    unit.layout = result.get("layout") or unit.layout
    unit.message = _uploaded_names(job, web_message(result.get("message") or "", unit))
    unit.findings = [replace(f, ref=_uploaded_names(job, f.ref), message=_uploaded_names(job, f.message))
                     for f in _findings(result.get("findings") or [], unit)]
    unit.skipped = bool(result.get("skipped"))
    unit.figures = result.get("figures") or unit.figures
    if unit.report is None and unit.out_dir is not None:
        changes = result.get("changes") or {}
        unit.change_report = changes if batch.has_changes(changes) else None
        _add_report_files(job, unit, [Path(f) for f in result.get("files") or []], changed=batch.has_changes(changes))


def keep_own_copies(job: Job) -> None:
    """Copy each unit's files out of the session's batch folder into the job's own folder.

    The batch folder is shared by the session's batches (so an unchanged workbook is not
    generated again); a later upload would otherwise replace the files this job links to.
    """
    for unit in job.units:
        if unit.out_dir is None or not unit.out_dir.is_dir():
            continue
        own = job.folder / "files" / unit.stored.relative_to(job.folder / "uploads").with_suffix("")  # 部门 folders kept
        shutil.copytree(unit.out_dir, own, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".*"))  # not the temporary files of a writer
        for item in job.downloads.values():
            if item.path.is_relative_to(unit.out_dir):
                item.path = own / item.path.relative_to(unit.out_dir)
        if unit.data is not None and unit.data.is_relative_to(unit.out_dir):
            unit.data = own / unit.data.relative_to(unit.out_dir)
        unit.out_dir = own


def write_named_summary(source: Path, target: Path, units: list[Unit]) -> Path:
    """汇总.xlsx of the batch, with the uploaded names in place of the generated ones."""
    import warnings

    from openpyxl import load_workbook

    from .output import atomic_write

    names = {u.stored.name: u.display for u in units}
    names |= {relative_name(u, u.stored.parents[1] if u.stored.parent.name.endswith(DEPARTMENT_SUFFIXES)
                            else u.stored.parent): u.display for u in units}
    docs = {str(u.out_dir / "修订说明.txt"): f"{display_stem(u.display)}/修订说明.txt" for u in units if u.out_dir}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = names.get(cell.value) or docs.get(cell.value) or cell.value
    unit_of = {u.display: u for u in units}
    for sheet, message_column in (("汇总", 8), ("问题清单", 5)):  # 说明: as the page says it
        for row in wb[sheet].iter_rows(min_row=2):
            unit = unit_of.get(row[0].value)
            if unit is not None and isinstance(row[message_column].value, str):
                row[message_column].value = web_message(row[message_column].value, unit).replace(
                    "请按下表的提示修改后重新上传", "各处问题见“问题清单”表")
    from .workbook import as_text

    as_text(wb)
    with atomic_write(target) as tmp:
        wb.save(tmp)
    return target


def write_archive(job: Job, summary: Path) -> Path:
    """全部报告.zip: 汇总.xlsx, and a folder per workbook (named as uploaded) with every document
    of it: 决算说明, 绩效自评报告, 检查结果, 修订说明 and the charts."""
    from .output import atomic_write, stable_member
    from .render import safe_name

    target = job.folder / ARCHIVE_NAME
    used: set[str] = set()
    with atomic_write(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(stable_member(SUMMARY_NAME), summary.read_bytes())
        for unit in job.units:
            folder = base = "/".join(safe_name(p) for p in PurePosixPath(unit.display).with_suffix("").parts)
            n = 2
            while folder.casefold() in used:  # "单位.xlsx" and "单位 .xlsx" fold to one name: both kept
                folder, n = f"{base}（{n}）", n + 1
            used.add(folder.casefold())
            for key in unit_documents(unit):
                item = job.downloads.get(key)
                if item is None or not item.path.is_file():
                    continue
                inside = unit.out_dir is not None and item.path.is_relative_to(unit.out_dir) and key != unit.changes
                name = item.path.relative_to(unit.out_dir).as_posix() if inside else item.name
                z.writestr(stable_member(f"{folder}/{name}"), item.path.read_bytes())
    return target


def unit_documents(unit: Unit) -> list[str]:
    """The download ids of every document of a unit, in the order a reviewer reads them."""
    keys = [unit.report, *(k for k, _ in unit.selfeval), unit.check, unit.changes, *(c for c, _ in unit.charts)]
    return [k for k in keys if k]


def preview(unit: Unit, limit: int = 12) -> tuple[list[str], dict[int, str]]:
    """The report's first paragraphs with figures and its charts' descriptions (data JSON), for the result page."""
    data = _read_json(unit.data) if unit.data else None
    if not data:
        return [], {}
    alts = {f"图{c.get('number')}": c.get("alt") or "" for c in data.get("charts", [])}
    return [s for s in data.get("sentences", []) if "万元" in s][:limit], alts  # the paragraphs with figures


# ------------------------------------------------------------------ the server

def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def served_hosts(host: str) -> tuple[str, ...]:
    """The host names the page answers to: the local names, the address it listens on and,
    when it listens on every address, this computer's name and addresses."""
    import socket

    names = set(LOCAL_HOSTS) | {host_name(host)}
    if host in ("0.0.0.0", "::", ""):
        with contextlib.suppress(OSError):
            hostname, aliases, addresses = socket.gethostbyname_ex(socket.gethostname())
            names |= {hostname, *aliases, *addresses, socket.gethostname()}
        with contextlib.suppress(OSError):
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    return tuple(sorted(n.lower() for n in names if n))


def _request_handler_class():
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        """Errors the HTTP server answers itself (a request line too long: 414; headers too
        large: 431) in Chinese too; the status line stays ASCII as HTTP requires."""

        error_content_type = "text/html; charset=utf-8"
        error_message_format = ERROR_PAGE.replace("{message}", "%(explain)s")

        def send_error(self, code, message=None, explain=None):
            text = HTTP_MESSAGES.get(code, "无法处理该请求，请返回首页重新操作。")
            return super().send_error(code, None, text.format(hours=SESSION_MAX_AGE // 3600))

    return Handler


def make_web_server(host: str, port: int, app):
    """The HTTP server of `serve` (also used by the tests)."""
    from werkzeug.serving import make_server

    return make_server(host, port, app, threaded=True, request_handler=_request_handler_class())


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True, folder: Path | None = None) -> None:
    """Run the page until Ctrl+C; open it in the default browser unless told not to. Uploads,
    results and their history are kept in `folder` (default output/网页版), so a restart keeps them."""
    import webbrowser

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from .output import ensure_folder

    root = ensure_folder(Path(folder) if folder else DEFAULT_FOLDER)
    try:
        app = create_app({"ALLOWED_HOSTS": served_hosts(host), "WORK_DIR": root})
    except Exception as exc:  # sqlite3.Error: the history database cannot be opened there
        raise GeneratorError(f"无法在“{root}”保存网页版的记录（{exc}）；请用 --folder 换一个文件夹") from None
    store = app.extensions["juesuan"]
    try:  # werkzeug reports a taken port in English and exits: say it in Chinese instead
        with contextlib.redirect_stderr(io.StringIO()) as said:
            server = make_web_server(host, port, app)
    except (OSError, SystemExit) as exc:
        store.close()
        log.debug("make_server: %s %s", exc, said.getvalue())
        raise GeneratorError(f"无法在 {host}:{port} 启动网页服务：端口可能已被其他程序占用，或地址不是本机的；"
                             "可用 --port 换一个端口") from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"
    print(f"网页版已启动：{url}  （按 Ctrl+C 退出）", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"注意：服务监听在 {host}，同一网络中的其他电脑也可以打开本页面。", flush=True)
    if open_browser:
        # the socket already listens, so the page answers as soon as serving starts; a thread,
        # because some browsers keep webbrowser.open waiting
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if main_thread else None  # `kill` ends it like Ctrl+C
    try:
        server.serve_forever()  # returns on Ctrl+C (werkzeug catches the KeyboardInterrupt)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()
        from .batch import stop_workers

        stop_workers()  # a batch still running: its workers end with the server
        store.close()
        hours = app.config["SESSION_MAX_AGE"] // 3600
        print(f"已退出。上传的文件和生成的报告保存在“{root}”，再次启动后仍可查看（最后一次操作 {hours} 小时后自动删除）。",
              flush=True)

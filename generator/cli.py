"""The `generate` command: parse arguments, call the library, print results. Nothing else.

`generate 工作簿.xlsx` is the main job exactly as typed; `generate init`/`check` are
sub-commands. Errors a user can cause end in one Chinese sentence and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import GeneratorError

DEFAULT_OUTPUT = Path("output")


class ChineseHelp:
    """Headings of --help in Chinese (click's own are English)."""

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section("选项"):
                formatter.write_dl(opts)
        if isinstance(self, click.Group):
            cmds = [(name, self.get_command(ctx, name).get_short_help_str()) for name in self.list_commands(ctx)]
            if cmds:
                with formatter.section("子命令"):
                    formatter.write_dl(cmds)


class ZhCommand(ChineseHelp, click.Command):
    pass


class DefaultGroup(ChineseHelp, click.Group):
    """A group whose first argument, when it is not a sub-command, is a workbook to generate."""

    def parse_args(self, ctx, args):
        i = 0
        while i < len(args) and args[i] in LAYOUT_OPTIONS:  # the group's own option comes first
            i += 2
        if i < len(args) and args[i] not in self.commands and args[i] not in ("-h", "--help", "--version"):
            args = [*args[:i], "run", *args[i:]]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx):
        return ["run", "init", "check", "核对", "自评", "部门", "serve", "示例"]

    def main(self, *args, **kwargs):
        """click's own usage errors (English, status 2) become one Chinese sentence and status 1."""
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            _fail(_usage_message(exc))
        except click.Abort:
            _fail("已中断。")
        else:
            sys.exit(rv if isinstance(rv, int) else 0)


class OptionValueError(click.BadParameter):
    """A bad option value, said in Chinese by the option type itself."""


class Threshold(click.ParamType):
    """A finite number not below zero (click's float accepts nan and inf)."""

    name = "数字"

    def convert(self, value, param, ctx):
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            name = param.opts[0] if param is not None else "选项"
            raise OptionValueError(f"{name} 的值应为不小于 0 的数字，实为“{value}”", ctx, param)
        return number


def _usage_message(exc: click.UsageError) -> str:
    hint = "；用 generate --help 查看用法"
    if isinstance(exc, OptionValueError):
        return exc.message + hint
    if isinstance(exc, click.MissingParameter):
        name = (exc.param.human_readable_name if exc.param else "参数").upper()
        return f"缺少参数 {name}{hint}"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项“{exc.option_name}”{hint}"
    if isinstance(exc, click.BadParameter):
        name = exc.param.opts[0] if exc.param and getattr(exc.param, "opts", None) else "参数"
        return f"{name} 的值不正确{hint}"
    return f"命令用法不正确{hint}"


HELP = dict(help_option_names=["-h", "--help"])
LAYOUT_OPTIONS = ("--格式文件夹", "--layouts")


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(1)


def _print_findings(findings, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
        return
    for f in findings:
        click.echo(f.line(), err=False)


@click.group(cls=DefaultGroup, context_settings=HELP, invoke_without_command=True, options_metavar="[选项]",
             subcommand_metavar="[子命令] [参数]...")
@click.version_option(message="generate %(version)s", help="显示版本并退出")
@click.help_option("-h", "--help", help="显示本帮助并退出")
@click.option(*LAYOUT_OPTIONS, "layouts", multiple=True, metavar="文件夹",
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="另外的报告格式文件夹（如本省的格式，每个子文件夹一个格式）；工作簿旁的“报告格式”文件夹也会自动使用")
@click.pass_context
def main(ctx, layouts):
    """由一份决算工作簿生成完整的部门（单位）决算说明（Word）及其图表。

    \b
    常用：
      generate 工作簿.xlsx            检查并生成决算说明，写入 output/ 文件夹
      generate init 空白工作簿.xlsx    生成待填写的空白工作簿
      generate check 工作簿.xlsx      只检查，不生成
      generate 自评 工作簿.xlsx       只生成绩效自评报告（整体支出、专项）
      generate 部门 文件夹/           汇总本级和所属单位的工作簿，生成部门决算说明
      generate 核对 决算说明.docx [工作簿.xlsx]  核对一份（手写的）决算说明：正文、附表、图表数据和工作簿是否一致
      generate serve                 打开网页版（在浏览器中上传工作簿、下载报告）
      generate 示例                  写出一份示例工作簿并生成它的报告（第一次使用时试一试）
    """
    from .profiles import use_layouts

    use_layouts(layouts)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command("run", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT,
              show_default=True, help="报告输出文件夹")
@click.option("--force", is_flag=True,
              help="不论如何都生成：工作簿有错误时仍生成（控制台会说明）；批量时不跳过未变动的单位")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="批量时同时处理的进程数，默认为本机 CPU 核数")
@click.option("--previous", "previous", type=click.Path(path_type=Path, exists=True), default=None,
              help="上年的工作簿（文件或文件夹）：按单位编码、其次按单位名称取上年数")
@click.option("--no-selfeval", "no_selfeval", is_flag=True,
              help="不生成绩效自评报告（即使工作簿的“绩效自评报告”表选择了评分表）")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def run(workbooks: tuple[Path, ...], output: Path, force: bool, jobs: int | None, previous: Path | None,
        no_selfeval: bool):
    """检查工作簿并生成决算说明（可直接写 generate 工作簿.xlsx）。

    工作簿的“绩效自评报告”表选择了评分表时，同时生成整体支出和专项绩效自评报告。
    给出一个文件夹或多个工作簿时批量处理：只重新生成有变动的单位，并写出 汇总.xlsx。
    """
    from .profiles import use_layouts

    use_layouts(inputs=workbooks)
    if len(workbooks) == 1 and not workbooks[0].is_dir():
        _run_one(workbooks[0], output, force, previous, selfeval=not no_selfeval)
    else:
        _run_many(list(workbooks), output, force, jobs, previous, selfeval=not no_selfeval)


def _previous_paths(previous: Path | None) -> list[Path]:
    from .batch import discover

    return [p for p, _ in discover([previous])] if previous else []


def _run_one(workbook: Path, output: Path, force: bool, previous: Path | None, selfeval: bool = True,
             only_selfeval: bool = False) -> None:
    from .pipeline import generate  # heavy imports only when needed
    from .previous import PreviousIndex

    try:
        index = PreviousIndex(_previous_paths(previous)) if previous else None
        outcome = generate(workbook, output, force=force, previous=index, selfeval=selfeval,
                           only_selfeval=only_selfeval)
    except GeneratorError as exc:
        if exc.__class__.__name__ == "CheckFailed":
            _print_findings(exc.findings)
        _fail(str(exc))
        return
    _print_findings(outcome.findings)
    if outcome.forced:
        click.echo("注意：工作簿有错误，按 --force 要求仍然生成了报告，报告中的数字可能不一致。", err=True)
    for note in outcome.notes:
        click.echo(f"注意：{note}", err=True)
    from .inputs import DEPARTMENT_SUFFIXES

    folder = workbook.resolve().parent
    if folder.name.endswith(DEPARTMENT_SUFFIXES) and outcome.accounts.unit.get("subject") == "部门":
        click.echo(f"注意：这份工作簿在部门文件夹“{folder.name}”中，本报告只含它自己的数字；"
                   f"部门决算说明应汇总本级和所属单位：generate 部门 “{folder}”", err=True)
    for problem in index.problems if index else ():  # a previous year left out is said, not passed over
        click.echo(f"注意：上年工作簿无法读取，未用其上年数：{problem}", err=True)
    for path in outcome.written.all():
        click.echo(f"已写入 {path}")


def _run_many(paths: list[Path], output: Path, force: bool, jobs: int | None, previous: Path | None,
              selfeval: bool = True) -> None:
    from .batch import SUMMARY, discover_all, run_batch

    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"找不到“{missing[0]}”")
    same = [p for p in paths if p.is_dir() and p.resolve() == output.resolve()]
    if same:
        _fail(f"输出文件夹“{output}”与工作簿所在的文件夹相同；请用 -o 指定另一个文件夹（例如“{output / '输出'}”）")
    found, not_processed = discover_all(paths, output)
    if not found:
        extra = f"（另有 {len(not_processed)} 个其他文件，例如“{not_processed[0][0]}”：{not_processed[0][1]}）" if not_processed else ""
        _fail(f"在“{paths[0]}”中没有找到 .xlsx 工作簿{extra}")
    counts = {"成功": 0, "警告": 0, "错误": 0}
    with click.progressbar(length=1, label="准备中", show_pos=True, item_show_func=lambda x: x) as bar:
        def progress(result, done, total):
            bar.length = max(total, 1)
            if result and result.get("status") in counts:
                counts[result["status"]] += 1
                bar.label = f"成功 {counts['成功']} 警告 {counts['警告']} 失败 {counts['错误']}"
                bar.update(1, result["relative"])
            elif result:
                bar.update(0, result["relative"])

        try:
            result = run_batch(paths, output, jobs=jobs, force=force, previous=_previous_paths(previous),
                               progress=progress, selfeval=selfeval)
        except GeneratorError as exc:
            _fail(str(exc))
            return
    for r in result.results:
        if r.get("skipped") and not r.get("not_counted"):  # a repeat or another year is said every run
            continue
        line = f"{r['status']}  {r['relative']}"
        if r.get("message"):
            line += f"：{r['message']}"
        click.echo(line)
        for f in r.get("findings", []):
            if f["severity"] == "错误":
                click.echo(f"    [{f['rule']}] {f['severity']} {f['ref']}：{f['message']}")
    for name, reason in result.not_processed:
        click.echo(f"未处理  {name}：{reason}")
    for note in result.notes:
        click.echo(f"注意：{note}", err=True)
    generated = sum(not r.get("skipped") and bool(r.get("files")) for r in result.results)
    failed = sum(not r.get("skipped") and not r.get("files") for r in result.results)
    line = f"共 {len(result.results)} 个单位：生成 {generated} 个，未变动跳过 {result.skipped} 个，未生成（有错误）{failed} 个"
    left_out = sum(bool(r.get("not_counted")) for r in result.results)
    if left_out:
        line += f"；{left_out} 个单位重复或报告年度不同，未计入全区合计（见上，已列入 汇总.xlsx）"
    if result.not_processed:
        line += f"；另有 {len(result.not_processed)} 个文件不是工作簿，未处理（已列入 汇总.xlsx）"
    click.echo(line + "。")
    click.echo(f"已写入 {output / SUMMARY}")
    if result.interrupted:
        _fail("处理被中断；已完成的单位已保存，再次运行将继续处理其余单位")
    if not result.ok:
        sys.exit(1)


@main.command("init", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--overwrite", is_flag=True, help="目标文件已存在时覆盖")
@click.option("--profile", "profile_key", default=None, metavar="格式",
              help="报告格式的编号或名称（默认为第一个）；generate init --list 列出全部格式")
@click.option("--list", "list_profiles", is_flag=True, help="列出可用的报告格式（含 --格式文件夹 中的）")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def init(path: Path, overwrite: bool, profile_key: str | None, list_profiles: bool):
    """生成待填写的空白工作簿。"""
    from .profiles import profile, profiles, use_layouts
    from .workbook import write_workbook

    if path is None and not list_profiles:
        _fail("缺少参数 PATH（空白工作簿的文件名）；用 generate init --help 查看用法")
        return
    use_layouts(inputs=[path.parent] if path is not None else [Path(".")])
    try:
        found = profiles()
    except GeneratorError as exc:
        _fail(str(exc))
        return
    if list_profiles:
        for p in found:
            click.echo(f"{p.id}\t{p.label}\t{p.folder}")
        return

    if profile_key is not None:
        try:
            profile_key = profile(profile_key).id
        except KeyError:
            _fail(f"没有报告格式“{profile_key}”；可选：" + "、".join(f"{p.id}（{p.label}）" for p in profiles()))
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    if path.exists() and not overwrite:
        _fail(f"“{path}”已存在；如需覆盖请加 --overwrite")
    try:
        write_workbook(path, profile_id=profile_key)
    except GeneratorError as exc:
        _fail(str(exc))
    click.echo(f"已写入 {path}")


@main.command("check", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每条一行，json 供程序读取")
@click.option("--report", is_flag=True, help="另存一份标出问题单元格（颜色和批注）的工作簿，首页列出全部问题")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT,
              show_default=True, help="--report 的输出文件夹")
@click.option("--change-amount", type=Threshold(), default=None, help="变动超过多少万元（且超过百分比）须说明原因，默认见 checks.toml")
@click.option("--change-percent", type=Threshold(), default=None, help="变动超过百分之几（且超过金额）须说明原因")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def check_cmd(workbook: Path, fmt: str, report: bool, output: Path, change_amount, change_percent):
    """只检查工作簿：列出错误、警告和提示；有错误时退出码为 1。"""
    from .profiles import use_layouts

    use_layouts(inputs=[workbook])
    from dataclasses import replace

    from .annotate import write_check_report
    from .check import Settings, has_errors
    from .pipeline import check_report_path, load

    settings = Settings.default()
    if change_amount is not None:
        settings = replace(settings, change_amount=change_amount)
    if change_percent is not None:
        settings = replace(settings, change_percent=change_percent)
    try:
        _, findings = load(workbook, settings)
        marked = write_check_report(workbook, findings, check_report_path(workbook, output)) if report else None
    except GeneratorError as exc:
        _fail(str(exc))
        return
    _print_findings(findings, as_json=fmt == "json")
    if marked:
        click.echo(f"已写入 {marked}", err=fmt == "json")
    if fmt == "text":
        n = {s: sum(f.severity == s for f in findings) for s in ("错误", "警告", "提示")}
        click.echo(f"检查完成：错误 {n['错误']} 处，警告 {n['警告']} 处，提示 {n['提示']} 处。")
    sys.exit(1 if has_errors(findings) else 0)


@main.command("核对", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]",
              short_help="核对一份（手写的）决算说明：正文、附表、图表数据和工作簿是否一致。")
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("workbook", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 每条一行，json 供程序读取")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT,
              show_default=True, help="标出问题的决算说明副本（.docx）写入的文件夹")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def review_cmd(report: Path, workbook: Path | None, fmt: str, output: Path):
    """核对一份决算说明（.docx 或 .pdf）：同一数字在正文、附表、图表数据中是否一致，占比、增减率、
    完成预算%是否由所写数字得出，年份、人数、图表编号、科目名称、占位符、金额单位和重复段落。

    给出工作簿时，另将每个数字与工作簿核对。.docx 另存一份在问题句子上加批注和底色的副本。
    读不懂的句子列为“未核对”，不猜测；有错误（自相矛盾）时退出码为 1。
    """
    from .render import safe_name
    from .report_text import read_report
    from .review import review
    from .review_mark import write_marked

    try:
        text = read_report(report)
        accounts = None
        if workbook is not None:
            from .pipeline import load

            accounts, _ = load(workbook)
        result = review(text, accounts)
        marked = None
        if text.kind == "docx":
            marked = write_marked(report, result, output / f"{safe_name(report.stem)}.核对.docx")
    except GeneratorError as exc:
        _fail(str(exc))
        return
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    else:
        for f in result.findings:
            click.echo(f.line())
        for where, sentence in result.not_checked:
            click.echo(f"未核对 {where}：“{sentence}”（未能读出句中数字对应的项目）")
        n = {s: sum(f.severity == s for f in result.findings) for s in ("错误", "警告", "提示")}
        click.echo(f"核对完成：读出 {result.checked} 个数字；错误 {n['错误']} 处，警告 {n['警告']} 处，提示 {n['提示']} 处，"
                   f"未核对 {len(result.not_checked)} 句。")
    if marked:
        click.echo(f"已写入 {marked}", err=fmt == "json")
    sys.exit(1 if result.has_errors() else 0)


@main.command("自评", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT,
              show_default=True, help="报告输出文件夹（与决算说明相同的 output/<工作簿名>/）")
@click.option("--force", is_flag=True, help="工作簿其他表有错误时仍生成（评分表本身有错误的报告仍不生成）")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def selfeval_cmd(workbook: Path, output: Path, force: bool):
    """只生成绩效自评报告：整体支出绩效自评报告和“专项自评”表中各项目的专项绩效自评报告。

    评分表在工作簿的“绩效自评报告”表中选择；需人工评分的指标和公式所需的实际值填在“自评评分表”。
    """
    _run_one(workbook, output, force, None, only_selfeval=True)


@main.command("部门", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]",
              short_help="汇总本级和所属单位的工作簿，生成部门决算说明。")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT,
              show_default=True, help="输出文件夹（写入 output/<文件夹名>/）")
@click.option("--force", is_flag=True, help="汇总后的工作簿有错误时仍生成部门决算说明（单位有错误时不汇总）")
@click.option("--previous", "previous", type=click.Path(path_type=Path, exists=True), default=None,
              help="各单位上年的工作簿（文件或文件夹）：取上年数，并抵销上年的部门内部往来后与上年比较")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def department_cmd(folder: Path, output: Path, force: bool, previous: Path | None):
    """汇总一个部门：文件夹中放本级工作簿（“单位信息”的公开主体填“部门”）和各所属单位的工作簿。

    先逐个检查各单位（有错误的单位会指出单位名称和单元格，部门不汇总）；各附表按科目编码相加，
    抵销部门内部往来（本级对附属单位补助支出 ↔ 所属单位上级补助收入；所属单位上缴上级支出 ↔
    本级附属单位上缴收入），写出部门汇总工作簿（含“部门汇总核对”表）并按它生成部门决算说明。
    """
    from .profiles import use_layouts

    use_layouts(inputs=[folder])
    from .consolidate import generate_department, unit_warnings
    from .money import fmt_amount
    from .render import safe_name

    from .previous import PreviousIndex

    out_dir = output / safe_name(folder.name or folder.resolve().name)
    try:
        index = PreviousIndex(_previous_paths(previous)) if previous else None
        done = generate_department(folder, out_dir, force=force, previous=index)
    except GeneratorError as exc:
        if exc.findings:
            _print_findings([f for f in exc.findings if f.severity == "错误"])
        _fail(str(exc))
        return
    cons = done.consolidation
    click.echo(f"汇总 {len(cons.members)} 个单位：" + "、".join(m.name for m in cons.members) + "。")
    for name, f in unit_warnings(cons):
        click.echo(f"{name}：{f.line()}")
    for e in cons.eliminations:
        click.echo(f"抵销 {e.flow}：{e.unit} {e.item} {e.code} {fmt_amount(e.amount)} 万元")
    _print_findings(done.outcome.findings)
    for name, reason in done.consolidation.skipped:
        click.echo(f"未处理  {name}：{reason}")
    if done.outcome.forced:
        click.echo("注意：部门汇总工作簿有错误，按 --force 要求仍然生成了报告，报告中的数字可能不一致。", err=True)
    click.echo(f"已写入 {done.workbook}")
    for path in done.outcome.written.all():
        click.echo(f"已写入 {path}")


@main.command("serve", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]")
@click.option("--host", default="127.0.0.1", metavar="地址",
              help="监听的地址，默认 127.0.0.1（只有本机能打开）；0.0.0.0 则同一网络的其他电脑也能打开")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, metavar="端口", help="端口，默认 8000")
@click.option("--no-browser", is_flag=True, help="启动后不自动打开浏览器")
@click.option("--folder", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="文件夹",
              help="保存上传的工作簿、生成的报告和上传记录的文件夹，默认 output/网页版（重启后仍可查看）")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def serve_cmd(host: str, port: int, no_browser: bool, folder: Path | None):
    """打开网页版：在浏览器中下载空白工作簿、上传工作簿、查看检查结果并下载报告。"""
    from .web import serve

    try:
        serve(host, port, open_browser=not no_browser, folder=folder)
    except GeneratorError as exc:
        _fail(str(exc))


@main.command("示例", cls=ZhCommand, context_settings=HELP, options_metavar="[选项]",
              short_help="写出一份示例工作簿并生成它的报告。")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("示例"), required=False)
@click.option("--profile", "profile_key", default=None, metavar="格式",
              help="示例的报告格式的编号或名称（默认为第一个）；generate init --list 列出全部格式")
@click.help_option("-h", "--help", help="显示本帮助并退出")
def sample_cmd(folder: Path, profile_key: str | None):
    """写出一份填好的示例工作簿（随程序安装），并检查它、生成它的决算说明和图表，
    都写入 FOLDER（默认当前目录下的“示例”文件夹）。照着示例填写自己的工作簿最快。"""
    from .profiles import profile, profiles
    from .samples import copy_sample

    try:
        wanted = profile(profile_key).id
    except KeyError:
        _fail(f"没有报告格式“{profile_key}”；可选：" + "、".join(f"{p.id}（{p.label}）" for p in profiles()))
        return
    try:
        workbook = copy_sample(folder, wanted)
    except GeneratorError as exc:
        _fail(str(exc))
        return
    click.echo(f"示例工作簿：{workbook}")
    _run_one(workbook, folder / "output", force=False, previous=None)
    click.echo(f"完成。用 Excel/WPS 打开示例工作簿对照填写；报告在“{folder / 'output'}”中。")

"""The command line: parse options, build Settings, call the pipeline, print. Nothing else.

``main`` is the one error boundary: an ``L10nError`` becomes its message and exit code, Ctrl-C
(or SIGTERM) becomes 130, anything else "unexpected error".
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import click

from l10n_qwen import __version__, checks, languages, pipeline, sync
from l10n_qwen.config import Settings, load_settings
from l10n_qwen.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    L10nError,
    UsageError,
)
from l10n_qwen.progress import Progress
from l10n_qwen.report import RunResult, count

EXIT_UNEXPECTED = 3

FILES = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=False, dir_okay=False, path_type=Path)
)


def _batch_size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--batch-size``: ``auto`` (0 in Settings) or a whole number of 1 or more."""
    if value is None:
        return None
    if value.strip().lower() == "auto":
        return 0
    if value.strip().isdigit() and int(value) >= 1:
        return int(value)
    raise click.BadParameter(f"{value!r} is neither 'auto' nor a whole number of 1 or more")


def translating_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every translating command takes (config keys use the same names)."""
    options = [
        click.option(
            "--target-lang",
            metavar="CODE",
            help="Locale of the file(s) (default: PO Language header, else the path).",
        ),
        click.option(
            "--source-lang",
            metavar="CODE",
            help="Source locale (default en; 'auto' lets the model detect it).",
        ),
        click.option(
            "--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source-language file."
        ),
        click.option(
            "--glossary",
            type=click.Path(dir_okay=False),
            help="Project glossary (CSV, TBX or YAML).",
        ),
        click.option(
            "--tm",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="More approved translations (PO or TMX); repeatable.",
        ),
        click.option(
            "--domains",
            metavar="TEXT",
            help="English domain/style prompt (not sent to qwen-mt-lite).",
        ),
        click.option(
            "--model",
            type=click.Choice(["qwen-mt-plus", "qwen-mt-flash", "qwen-mt-lite", "qwen-mt-turbo"]),
            help="Qwen-MT model (default qwen-mt-flash).",
        ),
        click.option(
            "--region",
            type=click.Choice(["singapore", "us", "beijing"]),
            help="API region (default singapore); keys are per region.",
        ),
        click.option(
            "--base-url",
            metavar="URL",
            help="API base URL, overrides the region (env L10N_QWEN_BASE_URL).",
        ),
        click.option(
            "--api",
            type=click.Choice(["openai", "dashscope"]),
            help="Protocol: openai-compatible (default) or dashscope native.",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1),
            help="Requests in flight at most (default 8).",
        ),
        click.option(
            "--rpm",
            type=click.IntRange(min=1),
            help="Requests per minute allowed by the account (default 60).",
        ),
        click.option(
            "--tpm",
            type=click.IntRange(min=1),
            help="Tokens per minute allowed by the account (default 100000).",
        ),
        click.option(
            "--batch-size",
            metavar="auto|N",
            callback=_batch_size,
            help="Strings per request at most: auto (default, sized to the quota) or N; 1: off.",
        ),
        click.option(
            "--cache/--no-cache",
            default=None,
            help="Use the persistent translation cache (default on).",
        ),
        click.option(
            "--include-fuzzy",
            is_flag=True,
            default=None,
            help="Also retranslate fuzzy / stale entries.",
        ),
        click.option(
            "--fuzzy/--no-fuzzy",
            default=None,
            help="Mark filled entries for review (default) or write them approved.",
        ),
        click.option(
            "--provider",
            type=click.Choice(["qwen", "pseudo"]),
            help="qwen (default) or pseudo: offline pseudo-localization.",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            default=None,
            help="No network, no writes: show what would be sent and the cost.",
        ),
        click.option(
            "--report",
            type=click.Path(dir_okay=False),
            help="Write a report of the run here (JSON; Markdown if it ends in .md).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class Boundary(click.Group):
    """The group whose ``invoke`` is the one error boundary, for the console script and tests."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except L10nError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, click.exceptions.Abort):
            click.echo(
                "\ninterrupted: finished translations were saved (and cached); "
                "run the same command again to continue",
                err=True,
            )
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.ClickException, click.exceptions.Exit, BrokenPipeError):
            raise  # click's own: usage errors, --help, and a reader gone away (`| head`)
        except OSError as exc:  # a path the system refuses (name too long, a loop of links)
            if ctx.meta.get("verbose"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except Exception as exc:
            if ctx.meta.get("verbose"):
                raise
            click.echo(
                f"unexpected error: {type(exc).__name__}: {exc} (run with -v for details)", err=True
            )
            ctx.exit(EXIT_UNEXPECTED)


@click.group(cls=Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="l10n-qwen")
@click.option("-v", "--verbose", is_flag=True, help="Log each request and retry.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Fill missing translations in .po, JSON and YAML files with Qwen-MT, marked for review."""
    ctx.meta["verbose"] = verbose
    _log_to_stderr(verbose)


def _log_to_stderr(verbose: bool) -> None:
    """Send the package's log records to the current stderr (fresh per invocation, for tests)."""
    logger = logging.getLogger("l10n_qwen")
    for handler in [h for h in logger.handlers if getattr(h, "l10n_qwen", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.l10n_qwen = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("l10n-qwen: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


def _progress(total: int, settings: Settings) -> Progress:
    """The run's progress on stderr: a bar on a terminal, plain lines in a log."""
    quota = f"{settings.rpm} requests/min"
    return Progress(total, sys.stderr, interval=settings.progress_interval, quota=quota)


@cli.command()
@FILES
@translating_options
def fill(files: tuple[Path, ...], **options: Any) -> None:
    """Fill untranslated entries of FILES (.po, .json, .yaml/.yml)."""
    settings = load_settings(options, files=files)
    _check_report_path(settings)
    _report(settings, pipeline.fill(settings, files, echo=click.echo, progress=_progress))


def _check_report_path(settings: Settings) -> None:
    """Refuse a report that could not be written, before any work is done."""
    if settings.report is not None and not settings.report.parent.is_dir():
        raise UsageError(
            f"--report {settings.report}: folder {settings.report.parent} does not exist"
        )


def _report(settings: Settings, result: RunResult) -> None:
    """Print what failed and the summary, write the report; exit 1 if anything failed (or the
    stop's own code when a run stopped early)."""
    for problem in result.review:
        click.echo(f"review: {problem}")
    for problem in result.failed:
        click.echo(f"failed: {problem}", err=True)
    if settings.report:
        result.write(settings.report)
    click.echo(result.summary())
    if result.stopped:
        click.echo(f"error: {result.stopped}", err=True)
        sys.exit(result.exit_code)
    if result.failed:
        sys.exit(EXIT_INCOMPLETE)


def _warnings(count: int) -> str:
    return f"; {count} warning{'s' if count != 1 else ''}" if count else ""


STRICT = click.option("--strict", is_flag=True, help="Warnings fail too (exit 1), not only errors.")


@cli.command()
@FILES
@click.option("--target-lang", metavar="CODE", help="Locale of the file(s), where not in the file.")
@click.option("--source-lang", metavar="CODE", help="Source locale (default en).")
@click.option("--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source file.")
@STRICT
def check(files: tuple[Path, ...], strict: bool, **options: Any) -> None:
    """No network: exit 1 if anything is untranslated, awaiting review, stale or broken.

    What a person's translation may do and the runtime accepts (whitespace, markup, strftime
    directives, a placeholder left out) is a warning: shown, exit 0 unless --strict.
    """
    settings = load_settings(options, files=files)
    problems = checks.check(settings, files)
    for problem in problems:
        click.echo(str(problem))
    failing = problems if strict else checks.errors(problems)
    warnings = len(problems) - len(checks.errors(problems))
    entries = len({(p.path, p.key) for p in failing})
    line = (
        f"{count(entries, 'entry')} {'needs' if entries == 1 else 'need'} attention"
        if failing
        else "all entries translated and approved"
    )
    click.echo(line + _warnings(warnings))
    if failing:
        sys.exit(EXIT_INCOMPLETE)


@cli.command()
@FILES
@click.option(
    "--key",
    "key_globs",
    metavar="GLOB",
    multiple=True,
    help="Only keys matching this glob (PO: msgid); repeatable.",
)
@click.option("--target-lang", metavar="CODE", help="Locale of the file(s), where not in the file.")
@click.option("--source-lang", metavar="CODE", help="Source locale (default en).")
@click.option("--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source file.")
def approve(files: tuple[Path, ...], key_globs: tuple[str, ...], **options: Any) -> None:
    """Mark machine translations as reviewed (PO: drop the fuzzy flag; JSON/YAML: review state).

    Entries whose translation the runtime would reject, and msgmerge's guesses (#| lines), are
    not approved.
    """
    settings = load_settings(options, files=files)
    approved, refused = checks.approve(settings, files, key_globs)
    for problem in refused:
        click.echo(str(problem), err=True)
    click.echo(f"approved {count(approved, 'entry')}")
    if refused:
        sys.exit(EXIT_INCOMPLETE)


@cli.command(name="sync")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="No network, no writes: exit 1 if anything is out of date.",
)
@STRICT
@translating_options
def sync_command(files: tuple[Path, ...], check_only: bool, strict: bool, **options: Any) -> None:
    """Update every configured locale from its template/source, fill, report.

    With FILES (as pre-commit passes them), only the file sets they touch: a changed template or
    source means all its targets, a changed target itself. A changed JSON/YAML locale file outside
    every file set is paired with its source as fill pairs it, or named as skipped.
    """
    settings = load_settings(options)
    _check_report_path(settings)
    picked, specs, skipped = sync.select(settings, list(files))
    for note in skipped:  # on stdout: the hooks show it (see .pre-commit-hooks.yaml, verbose)
        click.echo(str(note))
    if not specs:
        click.echo("nothing to sync")
        return
    if check_only:
        problems = sync.check(settings, picked, specs)
        for problem in problems:
            click.echo(str(problem))
        failing = problems if strict else checks.errors(problems)
        warnings = len(problems) - len(checks.errors(problems))
        line = count(len(failing), "problem") if failing else "everything is up to date"
        click.echo(line + _warnings(warnings))
        sys.exit(EXIT_INCOMPLETE if failing else 0)
    _report(settings, sync.run(settings, picked, specs, echo=click.echo, progress=_progress))


@cli.command(name="review")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option("--target-lang", metavar="CODE", help="Locale of the file(s), where not in the file.")
@click.option("--source-lang", metavar="CODE", help="Source locale (default en).")
@click.option("--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source file.")
def review_command(files: tuple[Path, ...], port: int, no_browser: bool, **options: Any) -> None:
    """Review machine translations on a local web page (default: every configured file set).

    Serves 127.0.0.1 only; the printed address carries the page's secret token.
    """
    from l10n_qwen.reviewpage import server  # the review extra: only this command needs it

    settings = load_settings(options, files=files)
    server.run(settings, files, port=port, browser=not no_browser, echo=click.echo)


@cli.command(name="languages")
def languages_command() -> None:
    """List supported languages: locale code, Qwen-MT name, and whether qwen-mt-lite has it."""
    click.echo(f"{'code':<6} {'name':<26} lite")
    for language in languages.LANGUAGES:
        click.echo(f"{language.code:<6} {language.name:<26} {'yes' if language.lite else 'no'}")


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (CI cancelling, `kill`) gets the same orderly stop as Ctrl-C: save, exit 130.
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the ``l10n-qwen`` command."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        try:
            cli(prog_name="l10n-qwen")
        finally:
            # Output still buffered meets a closed pipe here, where it can be handled, rather
            # than at interpreter exit, where Python prints "Exception ignored ... BrokenPipe".
            sys.stdout.flush()
    except BrokenPipeError:
        # `l10n-qwen languages | head`: the reader has all it wanted; end quietly, as Unix
        # tools do. Later writes (and the final flush) go nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_INCOMPLETE)

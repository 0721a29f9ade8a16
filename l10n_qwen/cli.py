"""The command line: parse options, build Settings, call the command (``commands/``). Nothing else.

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

from l10n_qwen import __version__, commands, service
from l10n_qwen.config import CHOICES, load_settings
from l10n_qwen.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    L10nError,
)

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
            type=click.Choice(CHOICES["model"]),
            help=f"Qwen-MT model (default {service.DEFAULT_MODEL}).",
        ),
        click.option(
            "--region",
            type=click.Choice(CHOICES["region"]),
            help=f"API region (default {service.DEFAULT_REGION}); keys are per region.",
        ),
        click.option(
            "--base-url",
            metavar="URL",
            help="API base URL, overrides the region (env L10N_QWEN_BASE_URL).",
        ),
        click.option(
            "--api",
            type=click.Choice(CHOICES["api"]),
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
            type=click.Choice(CHOICES["provider"]),
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
            code = super().invoke(ctx)
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
        # What the command returned: here, beside the errors' codes, is the one place a code
        # becomes the process's exit status.
        ctx.exit(code or EXIT_OK)


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


@cli.command()
@FILES
@translating_options
def fill(files: tuple[Path, ...], **options: Any) -> int:
    """Fill untranslated entries of FILES (.po, .json, .yaml/.yml)."""
    return commands.fill.fill(load_settings(options, files=files), files)


STRICT = click.option("--strict", is_flag=True, help="Warnings fail too (exit 1), not only errors.")


@cli.command()
@FILES
@click.option("--target-lang", metavar="CODE", help="Locale of the file(s), where not in the file.")
@click.option("--source-lang", metavar="CODE", help="Source locale (default en).")
@click.option("--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source file.")
@STRICT
def check(files: tuple[Path, ...], strict: bool, **options: Any) -> int:
    """No network: exit 1 if anything is untranslated, awaiting review, stale or broken.

    What a person's translation may do and the runtime accepts (whitespace, markup, strftime
    directives, a placeholder left out) is a warning: shown, exit 0 unless --strict.
    """
    return commands.check.check(load_settings(options, files=files), files, strict=strict)


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
def approve(files: tuple[Path, ...], key_globs: tuple[str, ...], **options: Any) -> int:
    """Mark machine translations as reviewed (PO: drop the fuzzy flag; JSON/YAML: review state).

    Entries whose translation the runtime would reject, and msgmerge's guesses (#| lines), are
    not approved.
    """
    return commands.approve.approve(load_settings(options, files=files), files, key_globs)


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
def sync_command(files: tuple[Path, ...], check_only: bool, strict: bool, **options: Any) -> int:
    """Update every configured locale from its template/source, fill, report.

    With FILES (as pre-commit passes them), only the file sets they touch: a changed template or
    source means all its targets, a changed target itself. A changed JSON/YAML locale file outside
    every file set is paired with its source as fill pairs it, or named as skipped.
    """
    settings = load_settings(options)
    return commands.sync.sync(settings, files, check_only=check_only, strict=strict)


@cli.command(name="review")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option("--target-lang", metavar="CODE", help="Locale of the file(s), where not in the file.")
@click.option("--source-lang", metavar="CODE", help="Source locale (default en).")
@click.option("--source", type=click.Path(dir_okay=False), help="JSON/YAML: the source file.")
def review_command(files: tuple[Path, ...], port: int, no_browser: bool, **options: Any) -> int:
    """Review machine translations on a local web page (default: every configured file set).

    Serves 127.0.0.1 only; the printed address carries the page's secret token.
    """
    settings = load_settings(options, files=files)
    return commands.review.review(settings, files, port=port, browser=not no_browser)


@cli.command(name="languages")
def languages_command() -> int:
    """List supported languages: locale code, Qwen-MT name, and whether qwen-mt-lite has it."""
    return commands.languages.languages()


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
